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
  /** Per object uid: the versions this writer's writes replaced since the cache last caught up, and the status. */
  private final java.util.Map<String, Written> written = new java.util.concurrent.ConcurrentHashMap<>();

  private record Written(java.util.Set<String> replaced, Object status) {}

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The informer cache can hand a reconcile the version from just before this writer's last status write
   * (the watch event is still in flight). Acting on that stale status repeats work (a second pause, a second
   * step), so the status written is put back in that case. Any other version is newer and wins.
   */
  @SuppressWarnings("unchecked")
  public <S, R extends CustomResource<?, S>> R latest(R resource) {
    String uid = resource.getMetadata().getUid();
    Written w = uid == null ? null : written.get(uid);
    if (w == null) {
      return resource;
    }
    if (w.replaced().contains(resource.getMetadata().getResourceVersion())) {
      resource.setStatus(copy((S) w.status()));
    } else {
      // The cache shows our write or something newer: nothing to correct any more.
      written.remove(uid, w);
    }
    return resource;
  }

  /** Forgets an object (deleted). */
  public void forget(String uid) {
    if (uid != null) {
      written.remove(uid);
    }
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
        String replaced = current.getMetadata().getResourceVersion();
        R stored = client.resource(current).updateStatus();
        if (replaced != null && stored.getMetadata().getUid() != null) {
          written.compute(stored.getMetadata().getUid(), (uid, previous) -> {
            java.util.Set<String> versions = new java.util.HashSet<>(previous == null ? java.util.Set.of()
                : previous.replaced());
            versions.add(replaced);
            return new Written(versions, copy(stored.getStatus()));
          });
        }
        return stored;
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
