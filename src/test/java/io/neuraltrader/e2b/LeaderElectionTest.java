package io.neuraltrader.e2b;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Leader election as two replicas of the chart run it, each watching only the test's namespace: the holder of the
 * Lease reconciles, the standby does not, and the standby takes over when the leader stops.
 */
class LeaderElectionTest {
  private static final String LEASE = "e2b-operator-leader";

  @Test
  void theLeaderReconcilesAndTheStandbyTakesOverWhenItStops() throws Exception {
    try (OperatorHarness h = OperatorHarness.startInOwnNamespace(c -> c.withLeaderElection(true, LEASE, "unused"))) {
      E2BOperator first = h.operator();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(first::isLeader);
      E2BOperator standby = h.startAnotherOperator();
      assertEquals(first.identity(), holder(h), "the Lease names the leader");

      h.apply(Files.readString(Path.of("examples/sandbox.yaml")));
      h.apply(Files.readString(Path.of("examples/pool.yaml")));
      h.awaitResource(E2BSandbox.class, "research", s -> s.getStatus() != null
          && s.getStatus().getPhase() == SandboxPhase.Running);
      h.awaitResource(SandboxPool.class, "warm-pool", p -> p.getStatus() != null
          && p.getStatus().getReadyReplicas() != null && p.getStatus().getReadyReplicas() >= 2);
      assertTrue(first.isLeader());
      assertFalse(standby.isLeader(), "one leader at a time");

      h.stop(first);
      // The Lease runs out (15 s) before the standby may take it: there is no early release.
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(standby::isLeader);
      assertEquals(standby.identity(), holder(h));
      h.apply("""
          apiVersion: e2b.neuraltrader.io/v1alpha1
          kind: E2BSandbox
          metadata:
            name: after-failover
          spec:
            template: code-interpreter-v1
          """);
      h.awaitResource(E2BSandbox.class, "after-failover", s -> s.getStatus() != null
          && s.getStatus().getPhase() == SandboxPhase.Running);
    }
  }

  private static String holder(OperatorHarness h) {
    Lease lease = h.client().leases().inNamespace(h.namespace()).withName(LEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
