package io.neuraltrader.e2b.agent;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which agents care about a change of an E2BSandbox: its owner (label), its claimer (claimRef), agents that
 * reference it by name, and agents waiting for a member of its pool. Agents register their interest as they
 * reconcile, so a sandbox turning Running wakes exactly the agents that wait for it.
 */
final class SandboxInterest {
  private final Map<String, Set<ResourceID>> byName = new ConcurrentHashMap<>();
  private final Map<String, Set<ResourceID>> waitingForPool = new ConcurrentHashMap<>();

  void referencing(String namespace, String sandboxName, ResourceID agent) {
    byName.computeIfAbsent(namespace + "/" + sandboxName, k -> ConcurrentHashMap.newKeySet()).add(agent);
  }

  void waitForPool(String namespace, String pool, ResourceID agent) {
    waitingForPool.computeIfAbsent(namespace + "/" + pool, k -> ConcurrentHashMap.newKeySet()).add(agent);
  }

  void stopWaiting(String namespace, String pool, ResourceID agent) {
    Set<ResourceID> waiting = waitingForPool.get(namespace + "/" + pool);
    if (waiting != null) {
      waiting.remove(agent);
    }
  }

  void forget(ResourceID agent) {
    byName.values().forEach(s -> s.remove(agent));
    waitingForPool.values().forEach(s -> s.remove(agent));
  }

  Set<ResourceID> agentsFor(E2BSandbox sandbox) {
    String namespace = sandbox.getMetadata().getNamespace();
    Set<ResourceID> agents = new HashSet<>();
    Map<String, String> labels = sandbox.getMetadata().getLabels();
    if (labels != null && labels.containsKey(ApiConstants.LABEL_AGENT)) {
      agents.add(new ResourceID(labels.get(ApiConstants.LABEL_AGENT), namespace));
    }
    var claim = sandbox.getSpec() == null ? null : sandbox.getSpec().getClaimRef();
    if (claim != null && "TradingAgent".equals(claim.getKind())) {
      agents.add(new ResourceID(claim.getName(), namespace));
    }
    agents.addAll(byName.getOrDefault(namespace + "/" + sandbox.getMetadata().getName(), Set.of()));
    if (labels != null && labels.containsKey(ApiConstants.LABEL_POOL)
        && ApiConstants.POOL_STATE_WARM.equals(labels.get(ApiConstants.LABEL_POOL_STATE))) {
      agents.addAll(waitingForPool.getOrDefault(namespace + "/" + labels.get(ApiConstants.LABEL_POOL), Set.of()));
    }
    return agents;
  }
}
