package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.runtime.SandboxSnapshot;
import io.neuraltrader.e2b.local.runtime.HostedState;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What happens to the agents a window end removes: Pause keeps their sandboxes for the next window, Delete not. */
class OffHoursPolicyTest {
  // Two short UTC windows on the same day, so the clock never jumps further than a sandbox lives.
  private static final String WINDOWS = """
      replicas: 1
      schedules:
        - {name: morning, timezone: UTC, days: [Mon-Sun], start: "14:10", end: "14:20", replicas: 3}
        - {name: afternoon, timezone: UTC, days: [Mon-Sun], start: "14:30", end: "14:40", replicas: 3}
      scaling: {maxStep: 5, stepIntervalSeconds: 60, maxReplicas: 5, maxScaleUpFactor: 10}
      """;
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private Map<String, String> sandboxIds() {
    return Fleet.agents(h).stream().filter(a -> a.getStatus() != null && a.getStatus().getSandboxID() != null)
        .collect(Collectors.toMap(a -> a.getMetadata().getName(), a -> a.getStatus().getSandboxID()));
  }

  private HostedState runtimeState(String sandboxId) {
    return h.runtime().sandboxes().stream().filter(s -> s.sandboxId().equals(sandboxId))
        .map(SandboxSnapshot::state).findFirst().orElse(null);
  }

  @Test
  void pauseSuspendsRemovedAgentsAndTheNextWindowResumesTheSameSandboxes() {
    h.apply(Fleet.manifest(WINDOWS + "offHoursPolicy: Pause\n"));
    Fleet.awaitReady(h, 1);
    h.clock().advanceTo(Instant.parse("2026-03-02T14:10:00Z"));
    Fleet.awaitReady(h, 3);
    Map<String, String> morning = sandboxIds();
    assertEquals(3, morning.size(), morning.toString());

    h.clock().advanceTo(Instant.parse("2026-03-02T14:20:00Z"));
    Fleet.await(h, d -> Fleet.is(d.getStatus().getReplicas(), 1) && d.getStatus().getActiveSchedule() == null);
    for (String name : List.of("fleet-1", "fleet-2")) {
      TradingAgent agent = h.awaitResource(TradingAgent.class, name, a -> Boolean.TRUE.equals(a.getSpec().getSuspend())
          && a.getStatus().getPhase() == AgentPhase.Suspended);
      assertEquals(morning.get(name), agent.getStatus().getSandboxID());
      h.awaitResource(E2BSandbox.class, name + "-sandbox", s -> Boolean.TRUE.equals(s.getSpec().getPaused())
          && s.getStatus().getPhase() == SandboxPhase.Paused);
      assertEquals(HostedState.PAUSED, runtimeState(morning.get(name)), "paused in E2B, not killed");
    }
    assertEquals(3, Fleet.agents(h).size(), "suspended, not deleted");
    assertEquals(1, Fleet.activeAgents(h).size());

    h.clock().advanceTo(Instant.parse("2026-03-02T14:30:00Z"));
    Fleet.awaitReady(h, 3);
    for (String name : List.of("fleet-1", "fleet-2")) {
      TradingAgent agent = h.awaitResource(TradingAgent.class, name, a -> !Boolean.TRUE.equals(a.getSpec().getSuspend())
          && a.getStatus().getPhase() == AgentPhase.Running);
      assertEquals(morning.get(name), agent.getStatus().getSandboxID(), name + " resumed its own sandbox");
      h.awaitResource(E2BSandbox.class, name + "-sandbox", s -> s.getStatus().getPhase() == SandboxPhase.Running);
      assertEquals(HostedState.RUNNING, runtimeState(morning.get(name)));
    }
    assertEquals(morning, sandboxIds());
    assertEquals(3, h.runtime().sandboxCount(), "no new sandbox was created");
  }

  @Test
  void deleteRemovesTheAgentsAndTheirSandboxes() {
    h.apply(Fleet.manifest(WINDOWS + "offHoursPolicy: Delete\n"));
    Fleet.awaitReady(h, 1);
    h.clock().advanceTo(Instant.parse("2026-03-02T14:10:00Z"));
    Fleet.awaitReady(h, 3);
    Map<String, String> morning = sandboxIds();

    h.clock().advanceTo(Instant.parse("2026-03-02T14:20:00Z"));
    h.awaitGone(TradingAgent.class, "fleet-1");
    h.awaitGone(TradingAgent.class, "fleet-2");
    h.awaitGone(E2BSandbox.class, "fleet-1-sandbox");
    h.awaitGone(E2BSandbox.class, "fleet-2-sandbox");
    Fleet.await(h, d -> Fleet.is(d.getStatus().getReplicas(), 1));
    assertEquals(null, runtimeState(morning.get("fleet-1")), "killed in E2B");
    assertEquals(HostedState.RUNNING, runtimeState(morning.get("fleet-0")), "the baseline agent keeps running");

    h.advance(Duration.ofMinutes(10));
    Fleet.awaitReady(h, 3);
    String fresh = h.get(TradingAgent.class, "fleet-1").getStatus().getSandboxID();
    assertTrue(fresh != null && !fresh.equals(morning.get("fleet-1")), "a new sandbox, not the deleted one");
  }
}
