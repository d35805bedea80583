package io.neuraltrader.e2b.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A watch from the resourceVersion of a list gets what changed since, as from an API server's watch cache:
 * the deletions in between (without them a client's cache keeps a deleted object for good), the changes as
 * MODIFIED, and nothing for the objects that did not change (the list has them already).
 */
class WatchReplayTest {
  private static ConfigMap configMap(String name) {
    return new ConfigMapBuilder().withNewMetadata().withNamespace("ns").withName(name).endMetadata().build();
  }

  @Test
  void aWatchFromAListsVersionSeesTheDeletionsSinceTheList() {
    try (InMemoryKubernetes kube = new InMemoryKubernetes()) {
      KubernetesClient client = kube.client();
      client.configMaps().resource(configMap("kept")).create();
      client.configMaps().resource(configMap("gone")).create();
      String listed = client.configMaps().inNamespace("ns").list().getMetadata().getResourceVersion();
      client.configMaps().inNamespace("ns").withName("gone").delete();
      Awaitility.await().atMost(30, TimeUnit.SECONDS)
          .until(() -> client.configMaps().inNamespace("ns").withName("gone").get() == null);

      List<String> seen = new CopyOnWriteArrayList<>();
      try (Watch watch = client.configMaps().inNamespace("ns").withResourceVersion(listed)
          .watch(recorder(seen))) {
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> !seen.isEmpty());
        // A change after the watch opened marks the end of the replay.
        client.configMaps().resource(configMap("later")).create();
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> seen.contains("ADDED later"));
        // "kept" did not change since the list: it is not sent again.
        assertEquals(List.of("DELETED gone", "ADDED later"), seen);
      }
    }
  }

  @Test
  void aWatchFromAListsVersionReplaysOnlyTheChangesSinceInOrder() {
    try (InMemoryKubernetes kube = new InMemoryKubernetes()) {
      KubernetesClient client = kube.client();
      client.configMaps().resource(configMap("unchanged")).create();
      client.configMaps().resource(configMap("edited")).create();
      String listed = client.configMaps().inNamespace("ns").list().getMetadata().getResourceVersion();
      client.configMaps().inNamespace("ns").withName("edited")
          .edit(cm -> new ConfigMapBuilder(cm).addToData("k", "v").build());
      client.configMaps().resource(configMap("created")).create();
      List<String> seen = new CopyOnWriteArrayList<>();
      try (Watch watch = client.configMaps().inNamespace("ns").withResourceVersion(listed)
          .watch(recorder(seen, cm -> cm.getMetadata().getName()
              + (cm.getData() == null || cm.getData().isEmpty() ? "" : " " + cm.getData())))) {
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> seen.size() >= 2);
        client.configMaps().inNamespace("ns").withName("created").delete();
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> seen.size() >= 3);
        assertEquals(List.of("MODIFIED edited {k=v}", "ADDED created", "DELETED created"), seen);
      }
    }
  }

  @Test
  void anObjectLeavingALabelSelectorIsDeletedForThatWatchAndOneEnteringItIsAdded() {
    try (InMemoryKubernetes kube = new InMemoryKubernetes()) {
      KubernetesClient client = kube.client();
      client.configMaps().resource(new ConfigMapBuilder(configMap("m")).editMetadata().addToLabels("pool", "a")
          .endMetadata().build()).create();
      List<String> seenA = new CopyOnWriteArrayList<>();
      List<String> seenB = new CopyOnWriteArrayList<>();
      try (Watch a = client.configMaps().inNamespace("ns").withLabel("pool", "a").watch(recorder(seenA));
          Watch b = client.configMaps().inNamespace("ns").withLabel("pool", "b").watch(recorder(seenB))) {
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> seenA.contains("ADDED m"));
        client.configMaps().inNamespace("ns").withName("m")
            .edit(cm -> new ConfigMapBuilder(cm).editMetadata().addToLabels("pool", "b").endMetadata().build());
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> seenA.size() >= 2 && !seenB.isEmpty());
        assertEquals(List.of("ADDED m", "DELETED m"), seenA);
        assertEquals(List.of("ADDED m"), seenB);
      }
    }
  }

  /** Records each event as "ACTION name". */
  private static Watcher<ConfigMap> recorder(List<String> seen) {
    return recorder(seen, cm -> cm.getMetadata().getName());
  }

  /** Records each event as "ACTION " + what {@code describe} makes of its object. */
  private static Watcher<ConfigMap> recorder(List<String> seen, Function<ConfigMap, String> describe) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, ConfigMap cm) {
        seen.add(action + " " + describe.apply(cm));
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    };
  }

  @Test
  void aNamedWatchSeesOnlyItsOwnObjectsDeletion() {
    try (InMemoryKubernetes kube = new InMemoryKubernetes()) {
      KubernetesClient client = kube.client();
      client.configMaps().resource(configMap("a")).create();
      client.configMaps().resource(configMap("b")).create();
      String listed = client.configMaps().inNamespace("ns").list().getMetadata().getResourceVersion();
      client.configMaps().inNamespace("ns").withName("a").delete();
      client.configMaps().inNamespace("ns").withName("b").delete();
      List<String> seen = new CopyOnWriteArrayList<>();
      try (Watch watch = client.configMaps().inNamespace("ns").withField("metadata.name", "b")
          .withResourceVersion(listed).watch(recorder(seen))) {
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> !seen.isEmpty());
        assertEquals(List.of("DELETED b"), seen);
      }
    }
  }

  @Test
  void aVersionOlderThanTheChangeLogIsRefusedWith410AndTheClientMustList() {
    try (InMemoryKubernetes kube = new InMemoryKubernetes()) {
      KubernetesClient client = kube.client();
      client.configMaps().resource(configMap("busy")).create();
      String old = client.configMaps().inNamespace("ns").list().getMetadata().getResourceVersion();
      for (int i = 0; i < 1_050; i++) {
        int n = i;
        client.configMaps().inNamespace("ns").withName("busy")
            .edit(cm -> new ConfigMapBuilder(cm).addToData("n", Integer.toString(n)).build());
      }
      List<WatcherException> closed = new CopyOnWriteArrayList<>();
      try (Watch watch = client.configMaps().inNamespace("ns").withResourceVersion(old)
          .watch(new Watcher<ConfigMap>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
            }

            @Override
            public void onClose(WatcherException cause) {
              closed.add(cause);
            }
          })) {
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> !closed.isEmpty());
        assertTrue(closed.get(0).isHttpGone(), closed.get(0).toString());
      }
    }
  }
}
