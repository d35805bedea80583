package io.neuraltrader.e2b.deployment;

import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.reconcile.Conditions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One child agent as the planner sees it.
 *
 * @param active not suspended
 * @param ready Ready, Running (or outside market hours) and its latest spec seen by its reconciler
 * @param updated its template hash is the deployment's current one
 */
record DeploymentChild(int index, TradingAgent agent, boolean active, boolean ready, boolean updated) {

  /** The children among {@code agents}, by index: agents being deleted or not named {@code <name>-<index>} are skipped. */
  static List<DeploymentChild> of(List<TradingAgent> agents, String hash) {
    List<DeploymentChild> out = new ArrayList<>();
    for (TradingAgent a : agents) {
      if (a.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      String name = a.getMetadata().getName();
      int index;
      try {
        index = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
      } catch (NumberFormatException e) {
        continue;
      }
      boolean active = !Boolean.TRUE.equals(a.getSpec().getSuspend());
      // An agent whose latest spec its reconciler has not seen yet is updating, not ready.
      boolean ready = a.getStatus() != null && Conditions.isTrue(a.getStatus().getConditions(), "Ready")
          && Objects.equals(a.getStatus().getObservedGeneration(), a.getMetadata().getGeneration())
          && (a.getStatus().getPhase() == AgentPhase.Running || a.getStatus().getPhase() == AgentPhase.OutsideMarketHours);
      String childHash = a.getMetadata().getAnnotations() == null ? null
          : a.getMetadata().getAnnotations().get(ApiConstants.ANNOTATION_TEMPLATE_HASH);
      out.add(new DeploymentChild(index, a, active, ready, hash.equals(childHash)));
    }
    out.sort(Comparator.comparingInt(DeploymentChild::index));
    return out;
  }
}
