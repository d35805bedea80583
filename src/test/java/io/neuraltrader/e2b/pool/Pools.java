package io.neuraltrader.e2b.pool;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.Timer;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.observability.MetricNames;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** Shared steps of the pool tests that run the operator. */
final class Pools {
  private Pools() {}

  static List<E2BSandbox> members(OperatorHarness h, String pool) {
    return h.client().resources(E2BSandbox.class).inNamespace(h.namespace())
        .withLabel(ApiConstants.LABEL_POOL, pool).list().getItems();
  }

  static boolean isWarm(E2BSandbox m) {
    return ApiConstants.POOL_STATE_WARM.equals(m.getMetadata().getLabels().get(ApiConstants.LABEL_POOL_STATE));
  }

  static boolean isRunning(E2BSandbox m) {
    return m.getStatus() != null && m.getStatus().getPhase() == SandboxPhase.Running;
  }

  /** Status numbers as {@code kubectl get sbpool} shows them, null-safe. */
  static boolean status(SandboxPool p, int replicas, int ready, int claimed, int creating) {
    var s = p.getStatus();
    return s != null && Objects.equals(s.getReplicas(), replicas) && Objects.equals(s.getReadyReplicas(), ready)
        && Objects.equals(s.getClaimed(), claimed) && Objects.equals(s.getCreating(), creating);
  }

  static boolean condition(SandboxPool p, String type, boolean value) {
    return p.getStatus() != null && Conditions.find(p.getStatus().getConditions(), type)
        .map(c -> (value ? Conditions.TRUE : Conditions.FALSE).equals(c.getStatus())).orElse(false);
  }

  static SandboxPool awaitPool(OperatorHarness h, String name, Predicate<SandboxPool> condition) {
    return h.awaitResource(SandboxPool.class, name, condition);
  }

  static TradingAgent agent(OperatorHarness h, String name) {
    return h.client().resource(claimer(name, h.namespace())).create();
  }

  /**
   * A claimer for the tests to claim members for: admitted by the API (symbols and a sandbox source, as its
   * schema requires) but left alone by the operator (an interval below 1s is refused at reconcile time).
   */
  static TradingAgent claimer(String name, String namespace) {
    TradingAgent agent = new TradingAgent();
    agent.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    agent.getSpec().setStrategy(Strategy.momentum);
    agent.getSpec().setSymbols(java.util.List.of("AAPL"));
    io.neuraltrader.e2b.api.v1alpha1.AgentSandboxSource source = new io.neuraltrader.e2b.api.v1alpha1.AgentSandboxSource();
    source.setTemplate(new io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec());
    agent.getSpec().setSandbox(source);
    agent.getSpec().setInterval("10ms");
    return agent;
  }

  static long claimTimerCount(OperatorHarness h) {
    Timer timer = h.operator().registry().find(MetricNames.POOL_CLAIM_LATENCY).timer();
    return timer == null ? 0 : timer.count();
  }

  static boolean sandboxExists(OperatorHarness h, String sandboxId) {
    return h.runtime().sandboxes().stream().anyMatch(s -> s.sandboxId().equals(sandboxId));
  }
}
