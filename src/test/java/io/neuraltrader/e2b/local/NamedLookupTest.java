package io.neuraltrader.e2b.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Named reads, writes and deletes of the in-memory API go through its name index: the index holds exactly the
 * stored keys through creates, label changes (which change an object's key), deletes with and without
 * finalizers, and every object stays reachable by name, in its own namespace only.
 */
class NamedLookupTest {
  private AdmissionDispatcher dispatcher;
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    List<CustomResourceDefinitionContext> contexts = new ArrayList<>();
    InMemoryKubernetes.KINDS.forEach(k -> contexts.add(CustomResourceDefinitionContext.fromCustomResourceType(
        k.asSubclass(io.fabric8.kubernetes.client.CustomResource.class))));
    dispatcher = new AdmissionDispatcher(contexts);
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  private ConfigMap configMap(String ns, String name, Map<String, String> labels) {
    return new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels)
        .endMetadata().addToData("k", ns + "/" + name).build();
  }

  @Test
  void theIndexFollowsTheStoreThroughCreatesLabelChangesAndDeletes() {
    for (int i = 0; i < 40; i++) {
      // The same names in two namespaces: a lookup must not cross namespaces.
      client.configMaps().resource(configMap("a", "cm-" + i, Map.of("pool", "p1"))).create();
      client.configMaps().resource(configMap("b", "cm-" + i, Map.of("pool", "p2"))).create();
    }
    assertEquals(80, dispatcher.indexedKeys());
    // A label change gives the object a new key: the old one must leave the index.
    for (int i = 0; i < 40; i += 2) {
      client.configMaps().inNamespace("a").withName("cm-" + i)
          .edit(cm -> new ConfigMapBuilder(cm).editMetadata().addToLabels("state", "claimed").endMetadata().build());
    }
    assertEquals(80, dispatcher.indexedKeys());
    assertEquals("claimed", client.configMaps().inNamespace("a").withName("cm-4").get().getMetadata().getLabels()
        .get("state"));
    assertEquals("b/cm-4", client.configMaps().inNamespace("b").withName("cm-4").get().getData().get("k"));
    assertEquals(20, client.configMaps().inNamespace("a").withLabel("state", "claimed").list().getItems().size());

    client.configMaps().inNamespace("a").withName("cm-7").delete();
    assertNull(client.configMaps().inNamespace("a").withName("cm-7").get());
    assertNotNull(client.configMaps().inNamespace("b").withName("cm-7").get(), "only a's cm-7 is deleted");
    assertEquals(79, dispatcher.indexedKeys());
    assertTrue(dispatcher.indexed());
  }

  @Test
  void aDeleteWithFinalizersMarksTheObjectAndTheLastFinalizerDeletesIt() {
    client.configMaps().resource(new ConfigMapBuilder(configMap("a", "held", Map.of()))
        .editMetadata().addToFinalizers("e2b.neuraltrader.io/test").endMetadata().build()).create();
    String created = client.configMaps().inNamespace("a").withName("held").get().getMetadata().getResourceVersion();

    client.configMaps().inNamespace("a").withName("held").delete();
    ConfigMap marked = client.configMaps().inNamespace("a").withName("held").get();
    assertNotNull(marked.getMetadata().getDeletionTimestamp());
    assertTrue(Long.parseLong(marked.getMetadata().getResourceVersion()) > Long.parseLong(created));

    // A second delete of a marked object changes nothing.
    client.configMaps().inNamespace("a").withName("held").delete();
    assertEquals(marked.getMetadata().getResourceVersion(),
        client.configMaps().inNamespace("a").withName("held").get().getMetadata().getResourceVersion());

    client.configMaps().inNamespace("a").withName("held")
        .edit(cm -> new ConfigMapBuilder(cm).editMetadata().withFinalizers(List.of()).endMetadata().build());
    assertNull(client.configMaps().inNamespace("a").withName("held").get());
    assertEquals(0, dispatcher.indexedKeys());
  }

  @Test
  void customResourcesAreFoundByNameAndCreatesOfAnExistingNameConflict() throws Exception {
    try (InMemoryKubernetes kube = new InMemoryKubernetes()) {
      for (int i = 0; i < 30; i++) {
        kube.apply("""
            apiVersion: e2b.neuraltrader.io/v1alpha1
            kind: SandboxPool
            metadata: {name: pool-%d}
            spec: {replicas: 1, maxSandboxes: 2, template: {}}
            """.formatted(i), "ns");
      }
      KubernetesClient c = kube.client();
      assertEquals(1, c.resources(SandboxPool.class).inNamespace("ns").withName("pool-17").get().getSpec().getReplicas());
      var again = new SandboxPool();
      again.getMetadata().setName("pool-17");
      again.getMetadata().setNamespace("ns");
      again.setSpec(c.resources(SandboxPool.class).inNamespace("ns").withName("pool-17").get().getSpec());
      var e = org.junit.jupiter.api.Assertions.assertThrows(
          io.fabric8.kubernetes.client.KubernetesClientException.class,
          () -> c.resources(SandboxPool.class).resource(again).create());
      assertEquals(409, e.getCode());
    }
  }
}
