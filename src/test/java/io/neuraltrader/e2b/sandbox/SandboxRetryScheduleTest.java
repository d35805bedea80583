package io.neuraltrader.e2b.sandbox;

import static io.neuraltrader.e2b.sandbox.SandboxTesting.applySandbox;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitRunning;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitStays;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitTrue;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.count;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retries happen at the backoff's instants on the operator's clock and at no other time: neither the
 * status-refresh wakeup, nor the fleet poller, nor a real-time timer may bring an attempt forward.
 */
class SandboxRetryScheduleTest {
  private OperatorHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  /** Status refresh every 10 s (as in local mode), so refresh wakeups fall inside the longer backoffs. */
  private static OperatorHarness startWithShortRefresh() {
    return OperatorHarness.start(rc -> { }, c -> c.withTimings(Duration.ofMillis(200), Duration.ofSeconds(5),
        Duration.ofSeconds(10)));
  }

  @Test
  void failingCreatesAreAttemptedAtTheBackoffTimesAndNoMore() {
    h = startWithShortRefresh();
    // Every create answers 5xx: the outcome is unknown, so each attempt is one create request.
    h.runtime().faults().set(ServedOperation.CREATE, FaultPlan.none().withErrorRate(1.0));
    applySandbox(h, "flaky", "{}");
    awaitTrue(() -> count(h, ServedOperation.CREATE) == 1);

    // Backoff 5 s doubling: attempts 5, 15, 35, 75 and 155 s after the first.
    long[] attemptAt = {5, 15, 35, 75, 155};
    long elapsed = 0;
    for (int k = 0; k < attemptAt.length; k++) {
      long before = k + 1;
      // Walk up to one second before the attempt, a refresh interval at a time: refresh wakeups fire, no create.
      while (elapsed + 10 < attemptAt[k]) {
        h.advance(Duration.ofSeconds(10));
        elapsed += 10;
        awaitStays(() -> count(h, ServedOperation.CREATE) == before);
      }
      h.advance(Duration.ofSeconds(attemptAt[k] - 1 - elapsed));
      elapsed = attemptAt[k] - 1;
      awaitStays(() -> count(h, ServedOperation.CREATE) == before);
      h.advance(Duration.ofSeconds(1));
      elapsed = attemptAt[k];
      awaitTrue(() -> count(h, ServedOperation.CREATE) == before + 1);
    }
    awaitStays(() -> count(h, ServedOperation.CREATE) == attemptAt.length + 1);

    h.runtime().faults().clear();
    h.advance(Duration.ofSeconds(160)); // the next backoff
    awaitRunning(h, "flaky");
    assertEquals(1, h.runtime().sandboxCount());
  }

  @Test
  void failingRenewalsAreRetriedBeforeTheSandboxWouldExpire() {
    h = OperatorHarness.start();
    applySandbox(h, "kept", "timeoutSeconds: 300");
    String id = awaitRunning(h, "kept").getStatus().getSandboxID();
    h.runtime().faults().set(ServedOperation.SET_TIMEOUT, FaultPlan.none().withErrorRate(1.0));
    // Renewal falls due with about 35% of the timeout left (180-210 s in); every renewal fails until 280 s in,
    // by when the doubling backoff alone would next try only after the sandbox expired at 300 s.
    h.advance(Duration.ofSeconds(170));
    for (int t = 175; t <= 320; t += 5) {
      if (t == 285) {
        h.runtime().faults().clear();
      }
      h.advance(Duration.ofSeconds(5));
      awaitStays(() -> SandboxTesting.sandbox(h, id).map(s -> s.state()
          == io.neuraltrader.e2b.local.runtime.HostedState.RUNNING).orElse(false));
    }
    E2BSandbox kept = h.get(E2BSandbox.class, "kept");
    assertEquals(id, kept.getStatus().getSandboxID());
    assertEquals(0, kept.getStatus().getRestarts() == null ? 0 : kept.getStatus().getRestarts());
  }

  @Test
  void aFailedKillIsRetriedOnTheOperatorClockOnly() {
    h = startWithShortRefresh();
    applySandbox(h, "doomed", "{}");
    awaitRunning(h, "doomed");
    h.runtime().faults().set(ServedOperation.KILL, FaultPlan.none().withErrorRate(1.0));
    SandboxTesting.delete(h, "doomed");
    h.awaitEvent("doomed", "DeleteFailed");
    long kills = count(h, ServedOperation.KILL);

    // The clock stands still: longer than the first backoff passes in real time, and no kill is retried.
    await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
        .until(() -> count(h, ServedOperation.KILL) == kills);

    h.runtime().faults().clear();
    h.advance(Duration.ofSeconds(5));
    h.awaitGone(E2BSandbox.class, "doomed");
    assertEquals(0, h.runtime().sandboxCount());
  }
}
