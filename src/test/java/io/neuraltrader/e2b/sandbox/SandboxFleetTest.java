package io.neuraltrader.e2b.sandbox;

import static io.neuraltrader.e2b.sandbox.SandboxTesting.applySandbox;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitRunning;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.count;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.sandbox;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.client.E2BClient;
import io.neuraltrader.e2b.client.NewSandbox;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.observability.MetricNames;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One paginated list per poll instead of a GET per sandbox, and the orphan reaper. */
class SandboxFleetTest {
  private OperatorHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  /** The background poller runs once at start; tests drive the polls they count. */
  private static OperatorHarness manualPolls() {
    return OperatorHarness.start(rc -> { }, c -> c
        .withTimings(Duration.ofHours(1), Duration.ofSeconds(5), Duration.ofSeconds(60)).withE2BLimits(50, 1000));
  }

  @Test
  void twoHundredFiftySandboxesAreObservedWithThreeListAndThreeMetricsCallsPerPoll() {
    h = manualPolls();
    int n = 250;
    h.apply(IntStream.range(0, n).mapToObj(i -> """
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BSandbox
        metadata: {name: sb-%03d}
        spec: {timeoutSeconds: 3600}
        """.formatted(i)).collect(Collectors.joining("---\n")));
    await().atMost(Duration.ofSeconds(50)).pollInterval(Duration.ofMillis(200)).until(() ->
        h.client().resources(E2BSandbox.class).inNamespace(h.namespace()).list().getItems().stream()
            .filter(r -> r.getStatus() != null && r.getStatus().getPhase() == SandboxPhase.Running).count() == n);
    assertEquals(n, h.runtime().sandboxCount());

    h.operator().fleet().poll(); // first sight of every sandbox: reconciles follow, without E2B calls
    h.runtime().resetCounts();
    SandboxFleet.Snapshot snapshot = h.operator().fleet().poll();

    assertEquals(n, snapshot.byUid().size());
    assertEquals(n, snapshot.metrics().size());
    Map<ServedOperation, Long> counts = h.runtime().requestCounts();
    assertEquals(3, counts.get(ServedOperation.LIST), "pages of 100");
    assertEquals(3, counts.get(ServedOperation.METRICS), "batches of 100 ids");
    assertEquals(0, counts.get(ServedOperation.GET), "no GET per sandbox");
  }

  @Test
  void orphansOfThisOperatorAreReapedAfterTheGracePeriodAndCounted() {
    h = manualPolls();
    applySandbox(h, "owned", "{}");
    String owned = awaitRunning(h, "owned").getStatus().getSandboxID();
    E2BClient e2b = h.operator().clients().defaultClient();
    String operatorId = h.runtime().sandboxes().get(0).metadata().get(SandboxTags.OPERATOR);
    String orphan1 = e2b.create(NewSandbox.builder("code-interpreter-v1").metadata(Map.of(
        SandboxTags.UID, "uid-of-a-deleted-resource-1", SandboxTags.NAMESPACE, h.namespace(),
        SandboxTags.NAME, "gone-1", SandboxTags.OPERATOR, operatorId)).build()).sandboxID();
    String orphan2 = e2b.create(NewSandbox.builder("code-interpreter-v1").metadata(Map.of(
        SandboxTags.UID, "uid-of-a-deleted-resource-2", SandboxTags.NAMESPACE, h.namespace(),
        SandboxTags.NAME, "gone-2", SandboxTags.OPERATOR, operatorId)).build()).sandboxID();
    String foreign = e2b.create(NewSandbox.builder("code-interpreter-v1").metadata(Map.of(
        SandboxTags.UID, "uid-of-another-operator", SandboxTags.OPERATOR, "some-other-operator")).build())
        .sandboxID();

    h.operator().fleet().poll();
    assertEquals(4, h.runtime().sandboxCount(), "too young to judge");
    h.advance(Duration.ofSeconds(6)); // past the harness's 5 s grace
    h.operator().fleet().poll();

    assertTrue(sandbox(h, orphan1).isEmpty());
    assertTrue(sandbox(h, orphan2).isEmpty());
    assertTrue(sandbox(h, owned).isPresent(), "a sandbox with a live resource is never an orphan");
    assertTrue(sandbox(h, foreign).isPresent(), "another operator's sandbox is not ours to reap");
    assertEquals(2.0, h.operator().registry().get(MetricNames.ORPHANS_REAPED).counter().count());
    assertEquals(2, count(h, ServedOperation.KILL));

    h.advance(Duration.ofSeconds(6));
    h.operator().fleet().poll();
    assertEquals(2.0, h.operator().registry().get(MetricNames.ORPHANS_REAPED).counter().count());
  }
}
