package io.neuraltrader.e2b.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes a resource's reconciler at an instant of the operator's clock. Reconcilers schedule their next
 * deadline (timeout renewal, lifetime end, retry after backoff, next tick, next schedule boundary) here
 * instead of sleeping or using real-time delays, so a simulated clock (tests, local mode at speed) drives
 * them exactly like the system clock does in production. One instant per resource: the earliest wins.
 */
public final class WakeupEventSource<P extends HasMetadata> extends AbstractEventSource<Void, P> {
  private final Clock clock;
  private final Duration resolution;
  private final Map<ResourceID, Instant> due = new ConcurrentHashMap<>();
  private volatile Thread thread;

  public WakeupEventSource(String name, Clock clock, Duration resolution) {
    super(Void.class, name);
    this.clock = clock;
    this.resolution = resolution;
  }

  /** Wakes {@code id} at {@code at} (or earlier if an earlier wakeup is already scheduled). */
  public void wakeAt(ResourceID id, Instant at) {
    due.merge(id, at, (a, b) -> a.isBefore(b) ? a : b);
  }

  /**
   * Reconciles {@code id} again right away, without waiting for the next look at the clock: for a reconcile
   * that split its work into steps and wants the next one to follow at once (JOSDK runs it after the current
   * reconcile of the resource returns).
   */
  public void wakeNow(ResourceID id) {
    getEventHandler().handleEvent(new Event(id));
  }

  public void cancel(ResourceID id) {
    due.remove(id);
  }

  /** The next scheduled wakeup of a resource, if any. */
  public Instant scheduled(ResourceID id) {
    return due.get(id);
  }

  @Override
  public void start() {
    super.start();
    Thread t = new Thread(this::run, "wakeups-" + name());
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  @Override
  public void stop() {
    Thread t = thread;
    thread = null;
    if (t != null) {
      t.interrupt();
    }
    super.stop();
  }

  private void run() {
    while (thread == Thread.currentThread()) {
      fireDue();
      try {
        Thread.sleep(resolution.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Fires every wakeup whose instant has come; returns how many fired. */
  public int fireDue() {
    Instant now = clock.instant();
    int fired = 0;
    for (Map.Entry<ResourceID, Instant> e : due.entrySet()) {
      if (!e.getValue().isAfter(now) && due.remove(e.getKey(), e.getValue())) {
        getEventHandler().handleEvent(new Event(e.getKey()));
        fired++;
      }
    }
    return fired;
  }

  @Override
  public Set<Void> getSecondaryResources(P primary) {
    return Collections.emptySet();
  }
}
