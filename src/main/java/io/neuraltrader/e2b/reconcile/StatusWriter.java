package io.neuraltrader.e2b.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Objects;

/**
 * Writes a resource's status subresource (PUT /status, which replaces status and never touches spec). Each
 * status has a single writer (its reconciler), so on a 409 the status is re-applied to the latest version.
 * A write that would not change anything is skipped. Every reconciler reads its primary through
 * {@link #latest}, the one place that corrects an informer view older than the status last written.
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
   * scale step, a second tick), so the status written is put back in that case: for the version the write
   * was based on and every version it replaced on a conflict (someone else changed the object meanwhile, and
   * the cache may still show the version before that change). Any other version is newer and wins. A
   * resource without a status gets an empty one, so reconcilers never see null.
   */
  public <S, R extends CustomResource<?, S>> R latest(R resource, java.util.function.Supplier<S> empty) {
    latest(resource);
    if (resource.getStatus() == null) {
      resource.setStatus(empty.get());
    }
    return resource;
  }

  /** {@link #latest(CustomResource, java.util.function.Supplier)} for a resource that always has a status. */
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
    java.util.Set<String> replaced = new java.util.HashSet<>();
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        if (current.getMetadata().getResourceVersion() != null) {
          replaced.add(current.getMetadata().getResourceVersion());
        }
        R stored = client.resource(current).updateStatus();
        if (!replaced.isEmpty() && stored.getMetadata().getUid() != null) {
          written.compute(stored.getMetadata().getUid(), (uid, previous) -> {
            java.util.Set<String> versions = new java.util.HashSet<>(previous == null ? java.util.Set.of()
                : previous.replaced());
            versions.addAll(replaced);
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
