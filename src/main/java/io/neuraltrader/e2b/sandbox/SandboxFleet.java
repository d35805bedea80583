package io.neuraltrader.e2b.sandbox;

import io.neuraltrader.e2b.shared.E2BClients;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.reconcile.Times;
import io.neuraltrader.e2b.client.E2BClient;
import io.neuraltrader.e2b.client.E2BException;
import io.neuraltrader.e2b.client.ListedSandbox;
import io.neuraltrader.e2b.client.SandboxMetric;
import io.neuraltrader.e2b.client.SandboxState;
import io.neuraltrader.e2b.observability.MetricNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observes every sandbox of this operator with one paginated list call per poll (metadata filter on the
 * operator id) plus batched metrics calls (100 ids each), instead of one GET per sandbox. It triggers a
 * reconcile only for resources whose observed sandbox changed (appeared, disappeared, paused, resumed),
 * and kills orphans: sandboxes tagged with this operator whose resource no longer exists.
 */
public final class SandboxFleet extends AbstractEventSource<Void, E2BSandbox> {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxFleet.class);

  /**
   * What one poll saw. {@code complete} is false when a list call failed (absence then proves nothing);
   * {@code listedBy} holds the clients whose listing succeeded, so one failing set of per-resource credentials
   * does not blind the operator to the absence of every other resource's sandbox.
   */
  public record Snapshot(Instant takenAt, Map<String, ListedSandbox> byUid, Map<String, SandboxMetric> metrics,
      boolean complete, Set<E2BClient> listedBy) {
    static final Snapshot EMPTY = new Snapshot(Instant.EPOCH, Map.of(), Map.of(), false, Set.of());

    /** True when the listing through {@code client} succeeded in this poll. */
    public boolean completeFor(E2BClient client) {
      return listedBy.contains(client);
    }

    public Optional<ListedSandbox> byUid(String uid) {
      return Optional.ofNullable(byUid.get(uid));
    }

    public Optional<SandboxMetric> metric(String sandboxID) {
      return Optional.ofNullable(metrics.get(sandboxID));
    }
  }

  private final E2BClients clients;
  private final String operatorId;
  private final Clock clock;
  private final Duration period;
  private final Duration orphanGrace;
  private final Counter orphansReaped;
  private volatile IndexerResourceCache<E2BSandbox> primaryCache;
  private final BooleanSupplier cacheSynced;
  private volatile Snapshot snapshot = Snapshot.EMPTY;
  /** The first listing since start was taken or tried (by the poller or by a reconcile that needed it). */
  private volatile boolean firstDone;
  private final Map<String, Instant> orphanSeen = new HashMap<>();
  private ScheduledExecutorService executor;

  public SandboxFleet(E2BClients clients, String operatorId, Clock clock, Duration period, Duration orphanGrace,
      BooleanSupplier cacheSynced, MeterRegistry registry) {
    super(Void.class, "sandbox-fleet");
    this.cacheSynced = cacheSynced;
    this.clients = clients;
    this.operatorId = operatorId;
    this.clock = clock;
    this.period = period;
    this.orphanGrace = orphanGrace;
    this.orphansReaped = Counter.builder(MetricNames.ORPHANS_REAPED)
        .description("Sandboxes killed because no E2BSandbox resource owns them any more")
        .register(registry);
  }

  /** Wires the informer cache of E2BSandbox resources (to map uids to resources and recognise orphans). */
  public void bind(IndexerResourceCache<E2BSandbox> cache) {
    this.primaryCache = cache;
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  /**
   * The snapshot, taking the first listing since start now if nobody has yet: a reconcile right after a
   * restart then decides on E2B's view (its sandboxes' end times) rather than on a status written before
   * renewals nobody remembers. Tried once; a failed listing is the poller's to repeat.
   */
  public Snapshot firstListing() {
    if (firstDone) {
      return snapshot;
    }
    // Waits for a first poll in progress on the poller's thread as well: its snapshot is the one to use.
    synchronized (this) {
      if (!firstDone) {
        try {
          pollSafely();
        } finally {
          firstDone = true;
        }
      }
    }
    return snapshot;
  }

  @Override
  public void start() {
    super.start();
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sandbox-fleet");
      t.setDaemon(true);
      return t;
    });
    executor.execute(this::firstListing);
    executor.scheduleWithFixedDelay(this::pollSafely, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    if (executor != null) {
      executor.shutdownNow();
    }
    super.stop();
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.warn("sandbox poll failed: {}", e.toString());
    }
  }

  /** One observation round; public so tests and benchmarks can drive polls deterministically. */
  public synchronized Snapshot poll() {
    Instant takenAt = clock.instant();
    Map<String, ListedSandbox> byUid = new HashMap<>();
    Map<String, SandboxMetric> metrics = new HashMap<>();
    boolean complete = true;
    Map<String, E2BClient> owners = new HashMap<>();
    Set<E2BClient> listedBy = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (E2BClient client : clients.all()) {
      List<ListedSandbox> listed;
      try {
        listed = client.listAll(SandboxTags.byOperator(operatorId), EnumSet.of(SandboxState.RUNNING,
            SandboxState.PAUSED));
      } catch (E2BException e) {
        complete = false;
        LOG.warn("listing sandboxes failed ({}); keeping the previous observation", e.outcome());
        continue;
      }
      listedBy.add(client);
      List<String> running = new ArrayList<>();
      for (ListedSandbox s : listed) {
        String uid = s.metadata().get(SandboxTags.UID);
        if (uid != null) {
          byUid.put(uid, s);
        }
        // Two clients can see the same account (same key, other URL spelling): fetch metrics once per sandbox.
        boolean seen = owners.putIfAbsent(s.sandboxID(), client) != null;
        if (s.state() == SandboxState.RUNNING && !seen) {
          running.add(s.sandboxID());
        }
      }
      if (!running.isEmpty()) {
        try {
          metrics.putAll(client.metrics(running));
        } catch (E2BException e) {
          LOG.debug("sandbox metrics unavailable ({})", e.outcome());
        }
      }
    }
    if (!complete) {
      // Keep what the failed client last showed, so a transient error is not mistaken for lost sandboxes.
      snapshot.byUid().forEach(byUid::putIfAbsent);
    }
    Snapshot previous = snapshot;
    Snapshot next = new Snapshot(takenAt, Collections.unmodifiableMap(byUid),
        Collections.unmodifiableMap(metrics), complete, Collections.unmodifiableSet(listedBy));
    snapshot = next;
    firstDone = true;
    notifyChanges(previous, next);
    reapOrphans(next, owners);
    return next;
  }

  private void notifyChanges(Snapshot previous, Snapshot next) {
    IndexerResourceCache<E2BSandbox> cache = primaryCache;
    if (cache == null || getEventHandler() == null) {
      return;
    }
    Set<String> uids = new java.util.HashSet<>(previous.byUid().keySet());
    uids.addAll(next.byUid().keySet());
    Map<String, ResourceID> ids = uidIndex(cache);
    Set<ResourceID> notify = new java.util.HashSet<>();
    for (String uid : uids) {
      ListedSandbox before = previous.byUid().get(uid);
      ListedSandbox after = next.byUid().get(uid);
      if (changed(before, after)) {
        ResourceID id = ids.get(uid);
        if (id != null) {
          notify.add(id);
        }
      }
    }
    // A sandbox that vanished before any poll saw it is no change between two listings, yet its resource
    // still claims it: tell that resource too (its planner confirms with a GET before recreating).
    cache.list().filter(r -> claimsUnlisted(r, next)).forEach(r -> notify.add(ResourceID.fromResource(r)));
    notify.forEach(id -> getEventHandler().handleEvent(new Event(id)));
  }

  private boolean claimsUnlisted(E2BSandbox r, Snapshot next) {
    var status = r.getStatus();
    boolean complete = r.getSpec().getCredentialsSecretRef() == null ? next.completeFor(clients.defaultClient())
        : next.complete();
    if (status == null || status.getSandboxID() == null || !complete
        || (status.getPhase() != SandboxPhase.Running && status.getPhase() != SandboxPhase.Paused)) {
      return false;
    }
    ListedSandbox listed = next.byUid().get(r.getMetadata().getUid());
    if (listed != null && status.getSandboxID().equals(listed.sandboxID())) {
      return false;
    }
    Instant started = Times.parse(status.getStartedAt());
    return started == null || next.takenAt().isAfter(started.plus(SandboxPlanner.LISTING_SETTLE));
  }

  private static boolean changed(ListedSandbox before, ListedSandbox after) {
    if (before == null || after == null) {
      return before != after;
    }
    return !Objects.equals(before.sandboxID(), after.sandboxID()) || before.state() != after.state();
  }

  private static Map<String, ResourceID> uidIndex(IndexerResourceCache<E2BSandbox> cache) {
    Map<String, ResourceID> ids = new HashMap<>();
    cache.list().forEach(r -> ids.put(r.getMetadata().getUid(), ResourceID.fromResource(r)));
    return ids;
  }

  private void reapOrphans(Snapshot next, Map<String, E2BClient> owners) {
    IndexerResourceCache<E2BSandbox> cache = primaryCache;
    if (cache == null || !cacheSynced.getAsBoolean()) {
      return;
    }
    Map<String, ResourceID> live = uidIndex(cache);
    Instant now = next.takenAt();
    orphanSeen.keySet().retainAll(next.byUid().keySet());
    for (Map.Entry<String, ListedSandbox> e : next.byUid().entrySet()) {
      if (!owners.containsKey(e.getValue().sandboxID())) {
        // Carried over from an earlier poll because its client's listing failed now: not seen, not judged.
        continue;
      }
      if (live.containsKey(e.getKey())) {
        orphanSeen.remove(e.getKey());
        continue;
      }
      // An orphan must be old enough and missing its resource on two polls: a resource created a moment
      // ago may not be in the informer cache yet.
      Instant firstSeen = orphanSeen.computeIfAbsent(e.getKey(), k -> now);
      ListedSandbox sandbox = e.getValue();
      Instant started = sandbox.startedAt() == null ? firstSeen : sandbox.startedAt();
      boolean oldEnough = !started.plus(orphanGrace).isAfter(now) && !firstSeen.plus(orphanGrace).isAfter(now);
      if (oldEnough && firstSeen.isBefore(now)) {
        killOrphan(sandbox, owners.get(sandbox.sandboxID()));
        orphanSeen.remove(e.getKey());
      }
    }
  }

  private void killOrphan(ListedSandbox sandbox, E2BClient client) {
    try {
      client.kill(sandbox.sandboxID());
      orphansReaped.increment();
      LOG.info("killed orphan sandbox {} (resource {}/{} no longer exists)", sandbox.sandboxID(),
          sandbox.metadata().get(SandboxTags.NAMESPACE), sandbox.metadata().get(SandboxTags.NAME));
    } catch (E2BException e) {
      LOG.warn("killing orphan sandbox {} failed ({}); next poll retries", sandbox.sandboxID(), e.outcome());
    }
  }

  @Override
  public Set<Void> getSecondaryResources(E2BSandbox primary) {
    return Collections.emptySet();
  }
}
