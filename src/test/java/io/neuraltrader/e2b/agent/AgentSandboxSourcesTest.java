package io.neuraltrader.e2b.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An agent's sandbox: an existing E2BSandbox by name, or a claimed warm pool member (own template: see others). */
class AgentSandboxSourcesTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  static String agentYaml(String name, String sandbox) {
    return """
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: TradingAgent
        metadata: {name: %s}
        spec:
          strategy: momentum
          symbols: [AAPL, MSFT]
          parameters: {period: 5, threshold: 0.01}
          interval: 10s
          marketData: {type: synthetic, seed: 3}
          sandbox:
        %s
        """.formatted(name, sandbox.indent(4).stripTrailing());
  }

  @Test
  void runsInAnExistingSandboxByRefAndWaitsUntilItExists() {
    h.apply(agentYaml("by-ref", "sandboxRef: {name: shared}"));
    TradingAgent waiting = h.awaitResource(TradingAgent.class, "by-ref",
        a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.WaitingForSandbox, WAIT);
    assertTrue(Agents.conditionIs(waiting, "SandboxReady", "False", "SandboxNotFound"));
    assertTrue(Agents.condition(waiting, "SandboxReady").orElseThrow().getMessage().contains("shared"),
        "the condition names the missing sandbox");
    assertTrue(Agents.conditionIs(waiting, "Ready", "False", "WaitingForSandbox"));
    assertEquals(0, h.runtime().sandboxCount(), "an agent with sandboxRef never creates a sandbox of its own");

    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BSandbox
        metadata: {name: shared}
        spec: {template: code-interpreter-v1}
        """);
    TradingAgent running = h.awaitResource(TradingAgent.class, "by-ref", a -> Agents.runs(a) >= 1, WAIT);
    E2BSandbox shared = h.get(E2BSandbox.class, "shared");
    assertEquals("shared", running.getStatus().getSandboxRef());
    assertEquals(shared.getStatus().getSandboxID(), running.getStatus().getSandboxID());
    assertTrue(Agents.conditionIs(running, "SandboxReady", "True", null));
    assertEquals(1, h.runtime().sandboxCount());
    assertNull(h.get(E2BSandbox.class, "by-ref-sandbox"));
  }

  @Test
  void claimsAWarmPoolMemberWaitsForThePoolAndReleasesItWhenSuspended() {
    h.apply(agentYaml("pooled", "poolRef: {name: warm}"));
    TradingAgent waiting = h.awaitResource(TradingAgent.class, "pooled",
        a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.WaitingForSandbox, WAIT);
    assertTrue(Agents.conditionIs(waiting, "SandboxReady", "False", "PoolNotFound"));
    assertEquals("SandboxPool warm does not exist; waiting for it",
        Agents.condition(waiting, "SandboxReady").orElseThrow().getMessage());
    assertTrue(Agents.conditionIs(waiting, "Ready", "False", "WaitingForSandbox"));
    assertEquals(0, Agents.runs(waiting));

    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: warm}
        spec: {replicas: 1, maxSandboxes: 3, releasePolicy: Recycle}
        """);
    // No clock movement: the pool's member turning Running must wake the waiting agent.
    TradingAgent running = h.awaitResource(TradingAgent.class, "pooled", a -> Agents.runs(a) >= 1, WAIT);
    assertEquals(AgentPhase.Running, running.getStatus().getPhase());
    String member = running.getStatus().getSandboxRef();
    E2BSandbox claimed = h.get(E2BSandbox.class, member);
    assertEquals(running.getMetadata().getUid(), claimed.getSpec().getClaimRef().getUid());
    assertEquals(ApiConstants.POOL_STATE_CLAIMED, claimed.getMetadata().getLabels().get(ApiConstants.LABEL_POOL_STATE));
    assertEquals(claimed.getStatus().getSandboxID(), running.getStatus().getSandboxID());
    h.awaitEvent("pooled", "SandboxClaimed");
    h.awaitResource(SandboxPool.class, "warm", p -> p.getStatus() != null && p.getStatus().getClaimed() != null
        && p.getStatus().getClaimed() == 1 && p.getStatus().getReadyReplicas() == 1, WAIT);

    // suspend: true stops ticks and gives the member back (Recycle: to the warm set).
    TradingAgent spec = h.get(TradingAgent.class, "pooled");
    spec.getSpec().setSuspend(true);
    h.client().resource(spec).update();
    TradingAgent suspended = h.awaitResource(TradingAgent.class, "pooled",
        a -> a.getStatus().getPhase() == AgentPhase.Suspended, WAIT);
    assertTrue(Agents.conditionIs(suspended, "Ready", "False", "Suspended"));
    assertNull(suspended.getStatus().getNextRunAt());
    // Recycle puts the member back into the warm set (the pool may then trim its surplus of warm members).
    h.awaitResource(SandboxPool.class, "warm", p -> Integer.valueOf(0).equals(p.getStatus().getClaimed()), WAIT);
    // Back in the warm set, unless the pool is trimming it as surplus (labelled retiring, then deleted).
    await().atMost(WAIT).pollInterval(Duration.ofMillis(25)).until(() -> h.get(E2BSandbox.class, member),
        returned -> returned == null || (returned.getSpec().getClaimRef() == null && ApiConstants.POOL_STATE_WARM
            .equals(returned.getMetadata().getLabels().get(ApiConstants.LABEL_POOL_STATE))));
    h.awaitEvent("pooled", "SandboxReleased");
    long runsWhenSuspended = Agents.runs(suspended);
    for (int i = 0; i < 3; i++) {
      h.advance(Duration.ofSeconds(20));
    }
    // A reconcile after the clock moved must still not tick: change the spec (still suspended) and wait until
    // the operator has observed that generation.
    TradingAgent touched = h.get(TradingAgent.class, "pooled");
    touched.getSpec().setInterval("11s");
    long generation = h.client().resource(touched).update().getMetadata().getGeneration();
    h.awaitResource(TradingAgent.class, "pooled",
        a -> Long.valueOf(generation).equals(a.getStatus().getObservedGeneration()), WAIT);
    assertEquals(runsWhenSuspended, Agents.runs(h.get(TradingAgent.class, "pooled")), "no tick while suspended");

    // suspend: false resumes: a member is claimed again and ticks continue from the state.
    TradingAgent resume = h.get(TradingAgent.class, "pooled");
    resume.getSpec().setSuspend(false);
    h.client().resource(resume).update();
    TradingAgent resumed = h.awaitResource(TradingAgent.class, "pooled",
        a -> Agents.runs(a) > runsWhenSuspended && a.getStatus().getPhase() == AgentPhase.Running, WAIT);
    assertNotNull(resumed.getStatus().getSandboxRef());
    List<E2BSandbox> claimedNow = h.client().resources(E2BSandbox.class).inNamespace(h.namespace())
        .withLabel(ApiConstants.LABEL_POOL, "warm").list().getItems().stream()
        .filter(m -> m.getSpec().getClaimRef() != null).toList();
    assertEquals(1, claimedNow.size());
    assertEquals(resumed.getMetadata().getUid(), claimedNow.get(0).getSpec().getClaimRef().getUid());
    assertEquals(SandboxPhase.Running, claimedNow.get(0).getStatus().getPhase());
  }

  @Test
  void withReleasePolicyDeleteASuspendedAgentsMemberIsDeletedAndThePoolRefills() {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: fresh}
        spec: {replicas: 1, maxSandboxes: 3, releasePolicy: Delete}
        """);
    h.apply(agentYaml("deleter", "poolRef: {name: fresh}"));
    TradingAgent running = h.awaitResource(TradingAgent.class, "deleter", a -> Agents.runs(a) >= 1, WAIT);
    String member = running.getStatus().getSandboxRef();
    String sandboxID = running.getStatus().getSandboxID();

    running.getSpec().setSuspend(true);
    h.client().resource(running).update();
    h.awaitResource(TradingAgent.class, "deleter", a -> a.getStatus().getPhase() == AgentPhase.Suspended, WAIT);
    h.awaitGone(E2BSandbox.class, member);
    h.awaitResource(SandboxPool.class, "fresh", p -> Integer.valueOf(0).equals(p.getStatus().getClaimed())
        && Integer.valueOf(1).equals(p.getStatus().getReadyReplicas()), WAIT);
    assertTrue(h.runtime().sandboxes().stream().noneMatch(sb -> sb.sandboxId().equals(sandboxID)),
        "the released member's E2B sandbox was killed, not handed to the next claimer");
  }
}
