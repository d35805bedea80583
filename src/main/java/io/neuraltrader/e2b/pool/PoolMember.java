package io.neuraltrader.e2b.pool;

import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Instant;

/** What the pool planner needs to know about one member. */
public record PoolMember(String name, boolean claimed, boolean ready, boolean deleting, Instant createdAt,
    String claimerUid, String blockedReason) {

  /** Annotation with the member's creation time on the operator's clock (maxWarmAge counts from it). */
  public static final String CREATED_AT = ApiConstants.GROUP + "/created-at";

  public static PoolMember of(E2BSandbox sandbox) {
    var status = sandbox.getStatus();
    boolean claimed = ApiConstants.POOL_STATE_CLAIMED.equals(
        sandbox.getMetadata().getLabels().get(ApiConstants.LABEL_POOL_STATE));
    boolean ready = status != null && status.getPhase() == SandboxPhase.Running;
    String annotation = sandbox.getMetadata().getAnnotations() == null ? null
        : sandbox.getMetadata().getAnnotations().get(CREATED_AT);
    String reason = status == null ? null : Conditions.reason(status.getConditions(), "Ready");
    boolean blocked = reason != null && (reason.equals("CapacityExceeded") || reason.equals("RateLimited")
        || reason.equals("E2BUnavailable"));
    return new PoolMember(sandbox.getMetadata().getName(), claimed, ready,
        sandbox.getMetadata().getDeletionTimestamp() != null, Times.parse(annotation),
        sandbox.getSpec().getClaimRef() == null ? null : sandbox.getSpec().getClaimRef().getUid(),
        blocked ? reason : null);
  }
}
