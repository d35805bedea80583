package io.neuraltrader.e2b.sandbox;

import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The E2B metadata that ties a sandbox to its resource: the resource uid (idempotent create and adoption),
 * its namespace/name (for humans reading E2B's dashboard) and the operator instance (list filter, orphans).
 */
public final class SandboxTags {
  public static final String UID = ApiConstants.GROUP + "/uid";
  public static final String NAMESPACE = ApiConstants.GROUP + "/namespace";
  public static final String NAME = ApiConstants.GROUP + "/name";
  public static final String OPERATOR = ApiConstants.GROUP + "/operator";

  private SandboxTags() {}

  /** The user's metadata plus the operator's tags (which win over any user key, though the schema forbids them). */
  public static Map<String, String> forCreate(E2BSandbox resource, String operatorId) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (resource.getSpec().getMetadata() != null) {
      metadata.putAll(resource.getSpec().getMetadata());
    }
    metadata.put(UID, resource.getMetadata().getUid());
    metadata.put(NAMESPACE, resource.getMetadata().getNamespace());
    metadata.put(NAME, resource.getMetadata().getName());
    metadata.put(OPERATOR, operatorId);
    return metadata;
  }

  public static Map<String, String> byUid(String uid) {
    return Map.of(UID, uid);
  }

  public static Map<String, String> byOperator(String operatorId) {
    return Map.of(OPERATOR, operatorId);
  }
}
