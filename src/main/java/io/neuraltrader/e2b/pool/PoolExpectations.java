package io.neuraltrader.e2b.pool;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The expectations gate: members a pool created that its informer cache does not show yet. They count as
 * warm members being created, so a stale cache never makes the pool create them a second time. An
 * expectation ends when the cache shows the member, or after {@code timeout} on the operator's clock (a
 * member created and deleted before the cache ever showed it must not block the pool forever).
 */
public final class PoolExpectations {
  private final Duration timeout;
  private final Map<ResourceID, Map<String, Instant>> pending = new ConcurrentHashMap<>();

  public PoolExpectations(Duration timeout) {
    this.timeout = timeout;
  }

  /** Records a member just created for {@code pool}. */
  public void expectCreated(ResourceID pool, String member, Instant at) {
    pending.computeIfAbsent(pool, k -> new ConcurrentHashMap<>()).put(member, at);
  }

  /**
   * Drops the expectations the cache now shows ({@code seen}: names of the members in the cache) and those
   * older than the timeout; returns how many creates are still in flight.
   */
  public int settle(ResourceID pool, Collection<String> seen, Instant now) {
    Map<String, Instant> p = pending.get(pool);
    if (p == null) {
      return 0;
    }
    p.entrySet().removeIf(e -> seen.contains(e.getKey()) || !now.isBefore(e.getValue().plus(timeout)));
    return p.size();
  }

  /** Creates in flight for {@code pool} as of the last settle or create. */
  public int inFlight(ResourceID pool) {
    Map<String, Instant> p = pending.get(pool);
    return p == null ? 0 : p.size();
  }

  /** When the oldest in-flight expectation times out, or null when none is pending. */
  public Instant nextExpiry(ResourceID pool) {
    Map<String, Instant> p = pending.get(pool);
    if (p == null) {
      return null;
    }
    return p.values().stream().min(Comparator.naturalOrder()).map(t -> t.plus(timeout)).orElse(null);
  }

  public void forget(ResourceID pool) {
    pending.remove(pool);
  }
}
