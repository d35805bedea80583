package io.neuraltrader.e2b.pool;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.reconcile.ChildMetadata;
import io.neuraltrader.e2b.reconcile.StatusWriter;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Instant;
import java.util.Map;

/** The desired warm member of a pool: a pure function of the pool, the member's name and the time. */
final class PoolMemberTemplate {
  private PoolMemberTemplate() {}

  static E2BSandbox desired(SandboxPool pool, String name, Instant now) {
    Map<String, String> labels = ChildMetadata.withoutTracking(pool.getSpec().getTemplate().getLabels());
    labels.put(ApiConstants.LABEL_POOL, pool.getMetadata().getName());
    labels.put(ApiConstants.LABEL_POOL_STATE, ApiConstants.POOL_STATE_WARM);
    labels.put(ApiConstants.LABEL_MANAGED_BY, ApiConstants.MANAGED_BY_VALUE);
    Map<String, String> annotations = ChildMetadata.withoutTracking(pool.getSpec().getTemplate().getAnnotations());
    annotations.put(PoolMember.CREATED_AT, Times.format(now));
    E2BSandbox member = new E2BSandbox();
    member.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(pool.getMetadata().getNamespace())
        .withLabels(labels).withAnnotations(annotations)
        .withOwnerReferences(ChildMetadata.ownerReference(pool, true)).build());
    member.setSpec(StatusWriter.copy(pool.getSpec().getTemplate().getSpec()));
    member.getSpec().setClaimRef(null);
    return member;
  }
}
