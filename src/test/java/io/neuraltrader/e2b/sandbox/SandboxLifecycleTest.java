package io.neuraltrader.e2b.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.local.runtime.SandboxSnapshot;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.testing.OperatorHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Create, status and delete of one E2BSandbox through the running operator. */
class SandboxLifecycleTest {
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void createsOneTaggedSandboxAndReportsItRunning() {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BSandbox
        metadata: {name: research}
        spec:
          timeoutSeconds: 300
          metadata: {team: research}
        """);
    E2BSandbox sb = h.awaitResource(E2BSandbox.class, "research",
        r -> r.getStatus() != null && r.getStatus().getPhase() == SandboxPhase.Running);
    assertEquals(1, h.runtime().sandboxCount());
    SandboxSnapshot sandbox = h.runtime().sandboxes().get(0);
    assertEquals(sb.getStatus().getSandboxID(), sandbox.sandboxId());
    assertEquals(sb.getMetadata().getUid(), sandbox.metadata().get(SandboxTags.UID));
    assertEquals("research", sandbox.metadata().get("team"));
    assertEquals("e2b-operator", sandbox.metadata().get(SandboxTags.OPERATOR));
    assertTrue(Conditions.isTrue(sb.getStatus().getConditions(), "Ready"));
    assertEquals(sb.getMetadata().getGeneration(), sb.getStatus().getObservedGeneration());
    assertTrue(sb.getMetadata().getFinalizers().contains(ApiConstants.FINALIZER));
    assertEquals(OperatorHarness.START.plusSeconds(300).toString(), sb.getStatus().getExpiresAt());
    h.awaitEvent("research", "Created");
  }

  @Test
  void deleteKillsTheSandboxThenReleasesTheResource() {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BSandbox
        metadata: {name: short-lived}
        spec: {}
        """);
    h.awaitResource(E2BSandbox.class, "short-lived", r -> r.getStatus() != null && r.getStatus().getSandboxID() != null);
    h.client().resources(E2BSandbox.class).inNamespace(h.namespace()).withName("short-lived").delete();
    h.awaitGone(E2BSandbox.class, "short-lived");
    assertEquals(0, h.runtime().sandboxCount());
  }
}
