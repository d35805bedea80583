package io.neuraltrader.e2b.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionConditionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionStatus;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-cluster path of the harness (what E2B_TEST_KUBECONFIG selects), driven through a kubeconfig against the
 * in-memory API standing in for a cluster: fresh namespace, operator watching only it, Lease there, and the
 * namespace freed and deleted on close.
 */
class RealClusterTest {
  @TempDir
  Path dir;

  @Test
  void theHarnessRunsInAFreshNamespaceAndRemovesIt() throws Exception {
    try (InMemoryKubernetes api = new InMemoryKubernetes()) {
      ApiServerStandIn.install(api.server());
      // An API server marks installed CRDs Established; RealCluster waits for that.
      for (CustomResourceDefinition crd : api.client().apiextensions().v1().customResourceDefinitions().list()
          .getItems()) {
        crd.setStatus(new CustomResourceDefinitionStatus());
        crd.getStatus().getConditions().add(new CustomResourceDefinitionConditionBuilder().withType("Established")
            .withStatus("True").build());
        api.client().resource(crd).update();
      }
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters: [{name: c, cluster: {server: "%s"}}]
          users: [{name: u, user: {token: t}}]
          contexts: [{name: x, context: {cluster: c, user: u}}]
          current-context: x
          """.formatted(api.server().url("/")));

      String namespace;
      try (OperatorHarness h = OperatorHarness.startOn(() -> RealCluster.connect(kubeconfig))) {
        namespace = h.namespace();
        assertTrue(namespace.startsWith("e2b-test-"), namespace);
        assertNotNull(api.client().namespaces().withName(namespace).get());
        assertEquals(Set.of(namespace), h.config().watchNamespaces(), "the operator watches only its namespace");
        assertEquals(namespace, h.config().leaseNamespace());

        h.apply("""
            apiVersion: e2b.neuraltrader.io/v1alpha1
            kind: E2BSandbox
            metadata:
              name: on-a-cluster
            spec:
              template: code-interpreter-v1
            """);
        E2BSandbox running = h.awaitResource(E2BSandbox.class, "on-a-cluster",
            s -> s.getStatus() != null && s.getStatus().getPhase() == SandboxPhase.Running);
        assertEquals(namespace, running.getMetadata().getNamespace());
        assertTrue(h.hasEvent("on-a-cluster", h.events("on-a-cluster").get(0).getReason()));
      }
      assertNull(api.client().namespaces().withName(namespace).get(), "the namespace is deleted");
      E2BSandbox left = api.client().resources(E2BSandbox.class).inNamespace(namespace).withName("on-a-cluster").get();
      // The in-memory store does not cascade a namespace deletion; a real one would, once no finalizer blocks it.
      assertTrue(left == null || left.getMetadata().getFinalizers() == null
          || left.getMetadata().getFinalizers().isEmpty(), "no finalizer left to block the namespace");
    }
  }
}
