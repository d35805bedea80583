package io.neuraltrader.e2b.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metadata of objects the operator creates for a parent. Children never inherit the parent's Argo CD
 * tracking label or annotations: Argo CD would otherwise consider them part of the app and prune them.
 */
public final class ChildMetadata {
  private ChildMetadata() {}

  /** Copies labels or annotations without Argo CD tracking keys. */
  public static Map<String, String> withoutTracking(Map<String, String> source) {
    Map<String, String> out = new LinkedHashMap<>();
    if (source != null) {
      source.forEach((k, v) -> {
        if (!k.equals("app.kubernetes.io/instance") && !k.startsWith("argocd.argoproj.io/")) {
          out.put(k, v);
        }
      });
    }
    return out;
  }

  /** An owner reference to {@code owner}; {@code controller} marks the managing owner. */
  public static OwnerReference ownerReference(HasMetadata owner, boolean controller) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(controller)
        .withBlockOwnerDeletion(controller)
        .build();
  }
}
