package io.neuraltrader.e2b.agent;

import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.client.E2BException;
import io.neuraltrader.e2b.observability.AnomalyMetrics;
import io.neuraltrader.e2b.observability.EventRecorder;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.Times;
import io.neuraltrader.e2b.shared.E2BClients;
import io.neuraltrader.e2b.shared.MissingReferenceException;
import io.neuraltrader.e2b.shared.SandboxActivity;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows a tick, done or failed: the agent's error-rate verdict ({@link AgentErrorRate}) and the
 * replacement of a sandbox whose executions keep failing ({@link SandboxRemediation}). A replacement kills the
 * E2B sandbox and reports it gone, so the sandbox controller recreates it (restarts + 1) and the agent's next
 * tick deploys the strategy into the new one and restores its state from the state ConfigMap.
 */
final class AgentHealthActions {
  static final String REMEDIATION = "SandboxRemediation";
  private static final Logger LOG = LoggerFactory.getLogger(AgentHealthActions.class);

  private final E2BClients clients;
  private final SandboxActivity activity;
  private final StrategyRunner runner;
  private final EventRecorder events;
  private final AnomalyMetrics anomalies;

  AgentHealthActions(E2BClients clients, SandboxActivity activity, StrategyRunner runner, EventRecorder events,
      AnomalyMetrics anomalies) {
    this.clients = clients;
    this.activity = activity;
    this.runner = runner;
    this.events = events;
    this.anomalies = anomalies;
  }

  /** After a tick in {@code sandbox}: the anomaly verdict, then remediation. */
  void afterTick(TradingAgent agent, E2BSandbox sandbox, Instant now) {
    anomaly(agent, now);
    remediate(agent, sandbox, now);
  }

  private void anomaly(TradingAgent agent, Instant now) {
    String namespace = agent.getMetadata().getNamespace();
    String name = agent.getMetadata().getName();
    AgentErrorRate.Change change = AgentErrorRate.update(agent.getStatus(), agent.getSpec().getAnomaly(),
        agent.getMetadata().getGeneration(), now);
    if (change == null) {
      anomalies.record(namespace, TradingAgent.class.getSimpleName(), name, false, null);
      return;
    }
    anomalies.record(namespace, TradingAgent.class.getSimpleName(), name, change.verdict().anomalous(),
        change.verdict().currentRate());
    if (change.raised()) {
      events.warning(agent, "Anomalous", "Tick error rate anomalous: " + change.message());
    } else if (change.cleared()) {
      events.normal(agent, "AnomalyCleared", "Tick error rate back within its baseline: " + change.message());
    }
  }

  private void remediate(TradingAgent agent, E2BSandbox sandbox, Instant now) {
    TradingAgentStatus status = agent.getStatus();
    Long generation = agent.getMetadata().getGeneration();
    boolean owned = agent.getMetadata().getLabels() != null
        && agent.getMetadata().getLabels().containsKey(ApiConstants.LABEL_DEPLOYMENT);
    SandboxRemediation.Settings settings = SandboxRemediation.settings(agent.getSpec().getRemediation(), owned);
    if (!settings.enabled()) {
      Conditions.remove(status.getConditions(), REMEDIATION);
      return;
    }
    String sandboxID = sandbox.getStatus().getSandboxID();
    SandboxActivity.Stats stats = activity.stats(sandboxID).orElse(null);
    SandboxRemediation.Decision decision = SandboxRemediation.decide(settings, stats == null ? 0 : stats.executions(),
        stats == null ? 0 : stats.errors(), Times.parse(status.getLastRemediationAt()), now);
    boolean wasLimited = "RateLimited".equals(Conditions.reason(status.getConditions(), REMEDIATION));
    switch (decision.action()) {
      case NONE -> Conditions.set(status.getConditions(), REMEDIATION, false, "SandboxHealthy",
          "sandbox " + sandboxID + ": " + decision.why(), generation, now);
      case RATE_LIMITED -> {
        String message = "sandbox " + sandboxID + ": " + decision.why() + "; replaced at "
            + status.getLastRemediationAt() + ", the next replacement may come at " + Times.format(decision.retryAt());
        Conditions.set(status.getConditions(), REMEDIATION, true, "RateLimited", message, generation, now);
        if (!wasLimited) {
          events.warning(agent, "RemediationRateLimited", message);
        }
      }
      case REPLACE -> {
        String killed = kill(agent, sandbox);
        runner.forget(agent.getMetadata().getUid(), null, null);
        activity.reportGone(sandboxID, now);
        status.setRemediations((status.getRemediations() == null ? 0 : status.getRemediations()) + 1);
        status.setLastRemediationAt(Times.format(now));
        String message = "Replaced sandbox " + sandboxID + " (" + sandbox.getMetadata().getName() + "): "
            + decision.why() + "; " + killed + ", the agent's state is restored from ConfigMap "
            + AgentStateStore.name(agent) + " in the new one";
        Conditions.set(status.getConditions(), REMEDIATION, true, "Replaced", message, generation, now);
        events.warning(agent, "SandboxReplaced", message);
      }
    }
  }

  /** Kills the E2B sandbox; says how that went (a failed kill leaves it to its E2B timeout). */
  private String kill(TradingAgent agent, E2BSandbox sandbox) {
    String sandboxID = sandbox.getStatus().getSandboxID();
    try {
      clients.forResource(agent.getMetadata().getNamespace(), sandbox.getSpec().getCredentialsSecretRef())
          .kill(sandboxID);
      return "it was killed and is being recreated";
    } catch (E2BException | MissingReferenceException e) {
      LOG.warn("{}/{}: killing sandbox {} for replacement failed: {}", agent.getMetadata().getNamespace(),
          agent.getMetadata().getName(), sandboxID, e.getMessage());
      return "killing it failed (" + e.getMessage() + "), it is being recreated";
    }
  }

  void forget(TradingAgent agent) {
    anomalies.forget(agent.getMetadata().getNamespace(), TradingAgent.class.getSimpleName(),
        agent.getMetadata().getName());
  }
}
