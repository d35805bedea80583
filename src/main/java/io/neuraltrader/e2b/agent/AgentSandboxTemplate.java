package io.neuraltrader.e2b.agent;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.reconcile.ChildMetadata;
import io.neuraltrader.e2b.reconcile.StatusWriter;
import java.util.Map;

/** The agent's own sandbox (spec.sandbox.template): a pure function of the agent. */
final class AgentSandboxTemplate {
  private AgentSandboxTemplate() {}

  /** The own sandbox's name: one per agent. */
  static String name(TradingAgent agent) {
    return agent.getMetadata().getName() + "-sandbox";
  }

  /** The sandbox the agent wants while it runs: the template's spec, never paused, owned by the agent. */
  static E2BSandbox desired(TradingAgent agent) {
    Map<String, String> labels = ChildMetadata.withoutTracking(agent.getMetadata().getLabels());
    labels.put(ApiConstants.LABEL_AGENT, agent.getMetadata().getName());
    labels.put(ApiConstants.LABEL_MANAGED_BY, ApiConstants.MANAGED_BY_VALUE);
    E2BSandbox sandbox = new E2BSandbox();
    sandbox.setMetadata(new ObjectMetaBuilder().withName(name(agent)).withNamespace(agent.getMetadata().getNamespace())
        .withLabels(labels).withOwnerReferences(ChildMetadata.ownerReference(agent, true)).build());
    E2BSandboxSpec spec = StatusWriter.copy(agent.getSpec().getSandbox().getTemplate());
    spec.setPaused(false);
    sandbox.setSpec(spec);
    return sandbox;
  }
}
