package io.neuraltrader.e2b.pool;

import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Instant;
import java.util.Set;

/**
 * What the pool planner needs to know about one member.
 *
 * @param dead the member's sandbox ended for good (phase Expired): it can never become ready again
 * @param blockedReason the member's Ready reason when E2B refused its create for capacity or rate limits
 */
public record PoolMember(String name, boolean claimed, boolean ready, boolean deleting, boolean dead,
    Instant createdAt, String claimerUid, String blockedReason) {

  /** Annotation with the member's creation time on the operator's clock (maxWarmAge counts from it). */
  public static final String CREATED_AT = ApiConstants.GROUP + "/created-at";

  /** Ready reasons of a member that mean "E2B is not taking more sandboxes right now". */
  public static final Set<String> BLOCKED_REASONS = Reasons.E2B_NOT_TAKING_SANDBOXES;

  public static PoolMember of(E2BSandbox sandbox) {
    var status = sandbox.getStatus();
    var labels = sandbox.getMetadata().getLabels();
    boolean claimed = labels != null
        && ApiConstants.POOL_STATE_CLAIMED.equals(labels.get(ApiConstants.LABEL_POOL_STATE));
    boolean ready = status != null && status.getPhase() == SandboxPhase.Running;
    boolean dead = status != null && status.getPhase() == SandboxPhase.Expired;
    String annotation = sandbox.getMetadata().getAnnotations() == null ? null
        : sandbox.getMetadata().getAnnotations().get(CREATED_AT);
    String reason = status == null || ready ? null : Conditions.reason(status.getConditions(), "Ready");
    // A retiring member is about to be deleted by the pool: it counts as gone already.
    boolean deleting = sandbox.getMetadata().getDeletionTimestamp() != null || (labels != null
        && ApiConstants.POOL_STATE_RETIRING.equals(labels.get(ApiConstants.LABEL_POOL_STATE)));
    return new PoolMember(sandbox.getMetadata().getName(), claimed, ready, deleting, dead, Times.parse(annotation),
        sandbox.getSpec().getClaimRef() == null ? null : sandbox.getSpec().getClaimRef().getUid(),
        reason != null && BLOCKED_REASONS.contains(reason) ? reason : null);
  }
}
