package io.neuraltrader.e2b.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * 30 sandboxes, 2 pools, 5 agents and a deployment converge while E2B fails ~30% of calls (5xx, 429 with
 * Retry-After, connection resets, lost create responses, +200 ms): afterwards E2B holds exactly one sandbox per
 * E2BSandbox resource, and deleting everything leaves no sandbox and no Python process.
 */
class ConvergenceUnderFaultsTest {
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start(rc -> rc.seed(20260302L), c -> c);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void everythingConvergesNothingLeaksNothingDuplicatesAndDeletionLeavesNothing() {
    Estate estate = Estate.standard();
    h.runtime().faults().setDefault(Estate.faults(0.30));
    // Creates lose their response more often than other calls fail, so adoption by uid is exercised.
    h.runtime().faults().set(ServedOperation.CREATE, Estate.faults(0.30).withLostCreateResponseRate(0.25));

    estate.applyAll(h);
    Estate.advanceUntil(h, Duration.ofSeconds(2), Duration.ofSeconds(240),
        () -> estate.pending(h, estate.poolReplicas, estate.deploymentReplicas).isEmpty(),
        () -> estate.pending(h, estate.poolReplicas, estate.deploymentReplicas));

    Map<ServedOperation, Long> counts = h.runtime().requestCounts();
    assertTrue(counts.getOrDefault(ServedOperation.CREATE, 0L) > estate.expectedSandboxes(2, 2),
        "faults made some creates fail and be retried: " + counts);

    // Agents keep ticking under faults.
    Map<String, Long> runs = new HashMap<>();
    Estate.list(h, TradingAgent.class).forEach(a -> runs.put(a.getMetadata().getName(), a.getStatus().getRuns()));
    Estate.advanceUntil(h, Duration.ofSeconds(5), Duration.ofSeconds(60),
        () -> Estate.list(h, TradingAgent.class).stream().allMatch(a -> a.getStatus().getRuns()
            > runs.getOrDefault(a.getMetadata().getName(), Long.MAX_VALUE)),
        () -> Estate.list(h, TradingAgent.class).stream().map(a -> a.getMetadata().getName() + "="
            + a.getStatus().getRuns() + "/" + a.getStatus().getLastError()).toList());

    // No leak, no duplicate: one live E2B sandbox per E2BSandbox resource, the one its status names.
    Estate.advanceUntil(h, Duration.ofSeconds(2), Duration.ofSeconds(60),
        () -> Estate.account(h).exact() && Estate.statusMismatches(h).isEmpty(),
        () -> Estate.account(h) + " " + Estate.statusMismatches(h));
    assertTrue(Estate.claimProblems(h).isEmpty(), "claims: " + Estate.claimProblems(h));
    assertTrue(Estate.list(h, io.neuraltrader.e2b.api.v1alpha1.E2BSandbox.class).stream()
            .anyMatch(s -> h.hasEvent(s.getMetadata().getName(), "Adopted")),
        "a sandbox whose create response was lost was adopted, not created again");
    Estate.Accounting accounting = Estate.account(h);
    assertEquals(estate.expectedSandboxes(2, 2), accounting.resources(), "E2BSandbox resources");
    assertEquals(estate.expectedSandboxes(2, 2), accounting.sandboxes(), "E2B sandboxes");

    Estate.deleteAll(h);
    Estate.advanceUntil(h, Duration.ofSeconds(2), Duration.ofSeconds(90),
        () -> Estate.customResources(h) == 0 && h.runtime().sandboxCount() == 0,
        () -> Estate.customResources(h) + " resources left, " + h.runtime().sandboxCount() + " sandboxes "
            + Estate.account(h));
    assertEquals(0, h.runtime().sandboxCount());
    assertEquals(0, h.runtime().liveProcessCount(), "no Python process outlives its sandbox");
  }
}
