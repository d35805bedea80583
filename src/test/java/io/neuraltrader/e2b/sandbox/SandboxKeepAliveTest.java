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
    assertEquals(T0.plusSeconds(renewedAt + 60), sandbox(h, id).orElseThrow().endAt());
    awaitTrue(() -> renewals() == 1);
    // The renewal is kept in memory and in the metric: the stored status is not rewritten for it.
    assertEquals(T0.plusSeconds(60).toString(), h.get(E2BSandbox.class, "kept").getStatus().getExpiresAt());

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
  void renewalsWriteNoStatusAndARestartedOperatorTakesTheEndTimeFromE2B() {
    applySandbox(h, "quiet", "timeoutSeconds: 60");
    String id = awaitRunning(h, "quiet").getStatus().getSandboxID();
    long due = (long) Math.ceil(60 * (1 - SandboxPlanner.renewFraction(id)));
    h.advance(Duration.ofSeconds(due + 1));
    awaitTrue(() -> count(h, ServedOperation.SET_TIMEOUT) == 1);
    String version = h.get(E2BSandbox.class, "quiet").getMetadata().getResourceVersion();
    h.advance(Duration.ofSeconds(due));
    awaitTrue(() -> count(h, ServedOperation.SET_TIMEOUT) == 2);
    awaitStays(() -> count(h, ServedOperation.SET_TIMEOUT) == 2);
    assertEquals(version, h.get(E2BSandbox.class, "quiet").getMetadata().getResourceVersion(),
        "a renewal alone is no status write");
    Instant endAt = sandbox(h, id).orElseThrow().endAt();
    assertTrue(endAt.isAfter(Instant.parse(h.get(E2BSandbox.class, "quiet").getStatus().getExpiresAt())),
        "the stored end time is older than E2B's");

    // The restarted operator remembers nothing; its first listing has E2B's end time, so nothing is renewed
    // before that end time's renewal point.
    h.restartOperator();
    awaitStays(() -> count(h, ServedOperation.SET_TIMEOUT) == 2);
    long left = Duration.between(h.clock().instant(), endAt).toSeconds();
    h.advance(Duration.ofSeconds(left - (long) Math.floor(60 * SandboxPlanner.renewFraction(id)) - 2));
    awaitStays(() -> count(h, ServedOperation.SET_TIMEOUT) == 2);
    h.advance(Duration.ofSeconds(3));
    awaitTrue(() -> count(h, ServedOperation.SET_TIMEOUT) == 3);
    assertTrue(sandbox(h, id).isPresent(), "kept alive across the restart");
  }

  private double renewals() {
    var counter = h.operator().registry().find(io.neuraltrader.e2b.observability.MetricNames.KEEPALIVE_RENEWALS)
        .counter();
    return counter == null ? 0 : counter.count();
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
