package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.observability.EventRecorder;
import io.neuraltrader.e2b.shared.ReferenceResolver;
import io.neuraltrader.e2b.testing.FakeContext;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The informer can hand the reconciler an agent as it was before the reconciler's own last status write (a
 * sandbox event right after a tick). The agent reconciler is driven directly here, in a namespace the harness's
 * operator does not watch, so the stale view arrives exactly then: it must not run the tick a second time.
 */
class StaleAgentViewTest {
  private static final String ELSEWHERE = "stale-view";
  private OperatorHarness h;
  private KubernetesClient kube;
  private AgentReconciler reconciler;

  @BeforeEach
  void start() {
    h = OperatorHarness.startInOwnNamespace(c -> c);
    h.assumeInMemory();
    kube = h.client();
    // The operator runs the sandbox; the agent uses a copy of it where only this test's reconciler looks.
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BSandbox
        metadata: {name: shared}
        spec: {template: code-interpreter-v1, timeoutSeconds: 86400}
        """);
    E2BSandbox shared = h.awaitResource(E2BSandbox.class, "shared", s -> s.getStatus() != null
        && s.getStatus().getPhase() == SandboxPhase.Running && s.getStatus().getSandboxID() != null,
        Duration.ofSeconds(60));
    kube.resource(new NamespaceBuilder().withNewMetadata().withName(ELSEWHERE).endMetadata().build()).create();
    E2BSandbox copy = new E2BSandbox();
    copy.setMetadata(new ObjectMetaBuilder().withName("shared").withNamespace(ELSEWHERE).build());
    copy.setSpec(shared.getSpec());
    E2BSandbox created = kube.resource(copy).create();
    created.setStatus(shared.getStatus());
    kube.resource(created).updateStatus();

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    reconciler = new AgentReconciler(kube, h.operator().clients(), new ReferenceResolver(kube), h.operator().claims(),
        new StrategyRunner(new ExecutionCache(h.clock(), Duration.ofMinutes(5), 100, registry),
            h.operator().activity(), h.clock()),
        new AgentStateStore(kube), h.operator().activity(), new EventRecorder(kube, h.clock(), "stale-view-test"),
        new AgentMetrics(registry), h.clock());
    kube.resource(kube.getKubernetesSerialization().unmarshal(
        AgentSandboxSourcesTest.agentYaml("solo", "sandboxRef: {name: shared}"), TradingAgent.class))
        .inNamespace(ELSEWHERE).create();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private TradingAgent stored() {
    return kube.resources(TradingAgent.class).inNamespace(ELSEWHERE).withName("solo").get();
  }

  private void reconcile(TradingAgent view) {
    reconciler.reconcile(kube.getKubernetesSerialization().clone(view), FakeContext.empty());
  }

  @Test
  void aViewFromBeforeTheLastStatusWriteRunsNoSecondTick() {
    TradingAgent before = stored();
    reconcile(before);
    TradingAgent ticked = stored();
    assertEquals(1, Agents.runs(ticked), ticked.getStatus().getLastError());

    reconcile(before);
    TradingAgent after = stored();
    assertEquals(1, Agents.runs(after), "the stale view must not run the tick again");
    assertEquals(ticked.getStatus().getLastRunAt(), after.getStatus().getLastRunAt());
    assertEquals(ticked.getStatus().getPortfolio().getEquity(), after.getStatus().getPortfolio().getEquity());
  }

  @Test
  void aViewFromBeforeAConcurrentEditRunsNoSecondTick() {
    TradingAgent before = stored();
    // Someone labels the agent between the informer's view and the status write: the write conflicts.
    TradingAgent edited = stored();
    Map<String, String> labels = new HashMap<>();
    if (edited.getMetadata().getLabels() != null) {
      labels.putAll(edited.getMetadata().getLabels());
    }
    labels.put("team", "quant");
    edited.getMetadata().setLabels(labels);
    TradingAgent labelled = kube.resource(edited).update();
    reconcile(before);
    assertEquals(1, Agents.runs(stored()));

    reconcile(before);
    reconcile(labelled);
    TradingAgent after = stored();
    assertEquals(1, Agents.runs(after), "views from before the edit and before the write are both stale");
    assertEquals("quant", after.getMetadata().getLabels().get("team"));
  }
}
