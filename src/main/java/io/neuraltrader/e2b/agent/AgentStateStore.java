package io.neuraltrader.e2b.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.reconcile.ChildMetadata;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * An agent's state (portfolio, price windows, learned values) in ConfigMap {@code <agent>-state}, owned by the
 * agent. Written after every tick, read when a sandbox has to be (re)deployed, so a lost sandbox costs one
 * tick and never the history.
 */
public class AgentStateStore {
  public static final String KEY = "state.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final KubernetesClient client;

  public AgentStateStore(KubernetesClient client) {
    this.client = client;
  }

  public static String name(TradingAgent agent) {
    return agent.getMetadata().getName() + "-state";
  }

  public Optional<JsonNode> read(TradingAgent agent) {
    ConfigMap map = client.configMaps().inNamespace(agent.getMetadata().getNamespace()).withName(name(agent)).get();
    if (map == null || map.getData() == null || !map.getData().containsKey(KEY)) {
      return Optional.empty();
    }
    try {
      return Optional.of(MAPPER.readTree(map.getData().get(KEY)));
    } catch (IOException e) {
      throw new IllegalStateException("state ConfigMap " + name(agent) + " is not valid JSON: " + e.getMessage());
    }
  }

  public void write(TradingAgent agent, JsonNode state, long tick) {
    ConfigMap map = new ConfigMapBuilder()
        .withNewMetadata().withName(name(agent)).withNamespace(agent.getMetadata().getNamespace())
        .withLabels(Map.of(ApiConstants.LABEL_AGENT, agent.getMetadata().getName(),
            ApiConstants.LABEL_MANAGED_BY, ApiConstants.MANAGED_BY_VALUE))
        .withOwnerReferences(ChildMetadata.ownerReference(agent, true))
        .endMetadata()
        .withData(Map.of(KEY, state.toString(), "tick", Long.toString(tick)))
        .build();
    client.resource(map).createOr(existing -> existing.update());
  }

  public void delete(TradingAgent agent) {
    client.configMaps().inNamespace(agent.getMetadata().getNamespace()).withName(name(agent)).delete();
  }
}
