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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A watch from the resourceVersion of a list hears of what was deleted in between, as from an API server: the
 * objects still there arrive as ADDED, the deleted ones as DELETED. Without that a client's cache keeps a
 * deleted object for good (an informer waiting for the deletion waits forever).
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
          .watch(new Watcher<ConfigMap>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
              seen.add(action + " " + cm.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
          })) {
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> seen.size() >= 2);
        assertTrue(seen.contains("DELETED gone"), seen.toString());
        assertTrue(seen.contains("ADDED kept"), seen.toString());
        // Only this namespace's, only configmaps: a deletion elsewhere is not replayed here.
        assertEquals(2, seen.size(), seen.toString());
      }
    }
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
          .withResourceVersion(listed).watch(new Watcher<ConfigMap>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
              seen.add(action + " " + cm.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
          })) {
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
