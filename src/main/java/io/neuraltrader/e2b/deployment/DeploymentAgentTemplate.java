package io.neuraltrader.e2b.deployment;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.neuraltrader.e2b.api.v1alpha1.AgentSandboxSource;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeploymentSpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import io.neuraltrader.e2b.reconcile.ChildMetadata;
import io.neuraltrader.e2b.reconcile.StatusWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The desired agent of a deployment for one index (and its symbol shard): pure functions of the deployment. */
final class DeploymentAgentTemplate {
  private DeploymentAgentTemplate() {}

  /** Agent {@code <deployment>-<index>} of {@code replicas}, with the template at {@code hash}. */
  static TradingAgent desired(E2BDeployment deployment, int index, int replicas, String hash) {
    E2BDeploymentSpec spec = deployment.getSpec();
    TradingAgentSpec childSpec = StatusWriter.copy(spec.getTemplate().getSpec());
    if (spec.getSharding() != null) {
      childSpec.setSymbols(Sharding.shard(spec.getSharding().getSymbols(), index, replicas));
    }
    if (spec.getPoolRef() != null) {
      AgentSandboxSource source = new AgentSandboxSource();
      source.setPoolRef(spec.getPoolRef());
      childSpec.setSandbox(source);
    }
    childSpec.setSuspend(false);
    Map<String, String> labels = new LinkedHashMap<>(ChildMetadata.withoutTracking(spec.getTemplate().getLabels()));
    labels.putAll(selectorLabels(deployment));
    labels.put(ApiConstants.LABEL_MANAGED_BY, ApiConstants.MANAGED_BY_VALUE);
    Map<String, String> annotations =
        new LinkedHashMap<>(ChildMetadata.withoutTracking(spec.getTemplate().getAnnotations()));
    annotations.put(ApiConstants.ANNOTATION_TEMPLATE_HASH, hash);
    TradingAgent agent = new TradingAgent();
    agent.setMetadata(new ObjectMetaBuilder()
        .withName(deployment.getMetadata().getName() + "-" + index)
        .withNamespace(deployment.getMetadata().getNamespace())
        .withLabels(labels).withAnnotations(annotations)
        .withOwnerReferences(ChildMetadata.ownerReference(deployment, true)).build());
    agent.setSpec(childSpec);
    return agent;
  }

  /** The labels that select this deployment's agents: spec.selector's matchLabels, or the deployment label. */
  static Map<String, String> selectorLabels(E2BDeployment deployment) {
    Map<String, String> labels = new LinkedHashMap<>();
    LabelSelector selector = deployment.getSpec().getSelector();
    if (selector != null && selector.getMatchLabels() != null) {
      labels.putAll(selector.getMatchLabels());
    }
    labels.put(ApiConstants.LABEL_DEPLOYMENT, deployment.getMetadata().getName());
    return labels;
  }

  /** Hash of what a template change means: everything but the per-replica symbols and suspend flag. */
  static String templateHash(E2BDeploymentSpec spec) {
    TradingAgentSpec template = StatusWriter.copy(spec.getTemplate().getSpec());
    template.setSymbols(null);
    template.setSuspend(null);
    String text = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(template).toString()
        + "|" + spec.getTemplate().getLabels() + "|" + spec.getPoolRef();
    return io.neuraltrader.e2b.agent.StrategyCode.sha256(text).substring(0, 16);
  }
}
