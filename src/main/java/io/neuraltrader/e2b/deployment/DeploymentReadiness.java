package io.neuraltrader.e2b.deployment;

/**
 * The E2BDeployment's {@code Ready} condition, the one {@code kubectl wait --for=condition=Ready} waits for on
 * every kind: True when as many agents run as are desired now, all on the current template and all Ready,
 * so no scale step and no rollout is pending. Pure, from the counts the status already shows.
 */
public final class DeploymentReadiness {
  /** The condition's status, reason and message. */
  public record Verdict(boolean ready, String reason, String message) {}

  private DeploymentReadiness() {}

  /**
   * @param replicas active agents
   * @param ready active agents whose own Ready condition is True
   * @param updated active agents on the current template
   * @param desired agents wanted now (schedule, override, spec, capped by maxReplicas)
   * @param limitReason why the deployment is held short of desired (e.g. AwaitingApproval), or null
   */
  public static Verdict of(int replicas, int ready, int updated, int desired, String limitReason) {
    String counts = ready + "/" + desired + " agents ready, " + updated + "/" + replicas + " on the current template";
    if (replicas == desired && updated >= replicas && ready >= replicas) {
      return new Verdict(true, "AllAgentsReady", counts);
    }
    if (replicas != desired) {
      return new Verdict(false, limitReason != null ? limitReason : "Scaling", counts);
    }
    if (updated < replicas) {
      return new Verdict(false, "RollingUpdate", counts);
    }
    return new Verdict(false, "AgentsNotReady", counts);
  }
}
