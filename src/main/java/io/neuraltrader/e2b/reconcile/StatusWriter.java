package io.neuraltrader.e2b.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Objects;

/**
 * Writes a resource's status subresource (PUT /status, which replaces status and never touches spec). Each
 * status has a single writer (its reconciler), so on a 409 the status is re-applied to the latest version.
 * A write that would not change anything is skipped.
 */
public final class StatusWriter {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int ATTEMPTS = 4;

  private final KubernetesClient client;

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /** True when the two statuses serialize identically. */
  public static boolean same(Object a, Object b) {
    return Objects.equals(MAPPER.valueToTree(a), MAPPER.valueToTree(b));
  }

  /** A deep copy of a status (through JSON), to compare before and after a reconcile. */
  @SuppressWarnings("unchecked")
  public static <S> S copy(S status) {
    return status == null ? null : (S) MAPPER.convertValue(status, status.getClass());
  }

  /** Writes {@code resource}'s status; returns the stored resource (its resourceVersion moved on). */
  public <S, R extends CustomResource<?, S>> R write(R resource) {
    KubernetesClientException last = null;
    R current = resource;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        return client.resource(current).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        last = e;
        R latest = client.resource(current).get();
        if (latest == null) {
          throw e;
        }
        latest.setStatus(resource.getStatus());
        current = latest;
      }
    }
    throw last;
  }
}
