package io.neuraltrader.e2b.sandbox;

import static io.neuraltrader.e2b.sandbox.SandboxTesting.applySandbox;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitRunning;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitStays;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitTrue;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.count;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.sandbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The E2B timeout is a dead-man's switch: renewed while the resource exists, expiring once nobody renews. */
class SandboxKeepAliveTest {
  private static final Instant T0 = OperatorHarness.START;
  private OperatorHarness h;

  @BeforeEach
  void start() {
    // The poller runs once at start; the test drives every further poll, so what each listing shows is fixed.
    h = OperatorHarness.start(rc -> { }, c -> c.withTimings(Duration.ofHours(1), Duration.ofSeconds(5),
        Duration.ofSeconds(60)));
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void renewsTheTimeoutBeforeItRunsOutAndOnlyOnceEachTime() {
    applySandbox(h, "kept", "timeoutSeconds: 60");
    String id = awaitRunning(h, "kept").getStatus().getSandboxID();
    assertEquals(T0.plusSeconds(60), sandbox(h, id).orElseThrow().endAt());
    assertEquals(0, count(h, ServedOperation.SET_TIMEOUT));
    // The renewal is due when 30-40% of the timeout is left (a per-sandbox point): 36-42 s in.
    long due = (long) Math.ceil(60 * (1 - SandboxPlanner.renewFraction(id)));
    assertTrue(due >= 36 && due <= 42, "renewal point " + due);

    // A listing taken just before the renewal shows the old end time.
    h.advance(Duration.ofSeconds(due - 2));
    h.operator().fleet().poll();
    awaitStays(() -> count(h, ServedOperation.SET_TIMEOUT) == 0);
    h.advance(Duration.ofSeconds(3)); // past the renewal point
    awaitTrue(() -> count(h, ServedOperation.SET_TIMEOUT) >= 1);
    long renewedAt = due + 1;
    E2BSandbox renewed = h.awaitResource(E2BSandbox.class, "kept",
        r -> T0.plusSeconds(renewedAt + 60).toString().equals(r.getStatus().getExpiresAt()));
    assertEquals(T0.plusSeconds(renewedAt).toString(), renewed.getStatus().getLastRenewedAt());
    assertEquals(T0.plusSeconds(renewedAt + 60), sandbox(h, id).orElseThrow().endAt());

    // That older listing must not trigger renewal after renewal; neither does one taken at the same instant.
    awaitStays(() -> count(h, ServedOperation.SET_TIMEOUT) == 1);
    h.operator().fleet().poll();
    awaitStays(() -> count(h, ServedOperation.SET_TIMEOUT) == 1);

    h.advance(Duration.ofSeconds(due));
    awaitTrue(() -> count(h, ServedOperation.SET_TIMEOUT) == 2);

    // Well past the original timeout, the sandbox is alive because it was renewed.
    h.advance(Duration.ofSeconds(due));
    awaitTrue(() -> count(h, ServedOperation.SET_TIMEOUT) == 3);
    h.runtime().sweep();
    assertTrue(sandbox(h, id).isPresent());
  }

  @Test
  void withTheOperatorStoppedTheSandboxDiesWithinItsTimeout() {
    applySandbox(h, "abandoned", "timeoutSeconds: 60");
    String id = awaitRunning(h, "abandoned").getStatus().getSandboxID();
    h.stopOperator();

    h.advance(Duration.ofSeconds(59));
    h.runtime().sweep();
    assertTrue(sandbox(h, id).isPresent(), "not before its timeout");

    h.advance(Duration.ofSeconds(2));
    h.runtime().sweep();
    assertEquals(0, h.runtime().sandboxCount(), "leak time is bounded by timeoutSeconds");
  }
}
