package io.neuraltrader.e2b.pool;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.ClaimRef;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.ReleasePolicy;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.observability.MetricNames;
import io.neuraltrader.e2b.reconcile.ChildMetadata;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims and releases pool members. A claim reads the members from the informer cache (indexed by pool and
 * state, see {@link MemberView}) and binds one warm, Running member to its claimer with a single optimistic-lock
 * update (claimRef, state label, owner reference): no listing, no E2B call. Two claimers can never win the same
 * member: claimers in this operator reserve it first, and anyone else's update fails on the stale
 * resourceVersion.
 */
public class PoolClaims {
  private static final Logger LOG = LoggerFactory.getLogger(PoolClaims.class);
  /** Index of the member cache: namespace/pool/state. */
  public static final String BY_POOL_STATE = "pool-state";
  /** Index of the member cache: namespace/claimer uid. */
  public static final String BY_CLAIMER = "claimer";
  /** Optimistic-lock writes per candidate: a conflict from a status write is retried on the member read back. */
  static final int ATTEMPTS_PER_MEMBER = 3;

  private final KubernetesClient client;
  private final Clock clock;
  private final Timer claimLatency;
  private final MeterRegistry registry;
  private volatile MemberView view;
  /** Members a claimer of this operator is binding right now (namespace/name). */
  private final Set<String> reserved = ConcurrentHashMap.newKeySet();
  /**
   * Members whose cached version is known not to be claimable any more (namespace/name to that
   * resourceVersion): bound by this operator, or changed by someone else. The cache lags behind the write; once
   * it shows another version the entry is stale and dropped.
   */
  private final Map<String, Set<String>> notClaimableAt = new ConcurrentHashMap<>();
  /** The member each claimer was bound to by this operator, until the cache shows the bind (claimer uid). */
  private final Map<String, Bound> recent = new ConcurrentHashMap<>();

  /** A bind of this operator; {@code versionsBefore}: the member's versions the cache may still show. */
  private record Bound(String namespace, String pool, String name, Set<String> versionsBefore, E2BSandbox member) {}

  /**
   * What a claim reads: the pool members the informer cache holds. Backed by indexes on the pool's member
   * informer ({@link #indexed}); never by a listing from the API server.
   */
  public interface MemberView {
    /** Members of {@code pool} whose state label is {@code state}. */
    List<E2BSandbox> inState(String namespace, String pool, String state);

    /** Members whose claimRef names the claimer with this uid. */
    List<E2BSandbox> claimedBy(String namespace, String claimerUid);

    Optional<E2BSandbox> get(String namespace, String name);
  }

  public PoolClaims(KubernetesClient client, Clock clock, MeterRegistry registry) {
    this.client = client;
    this.clock = clock;
    this.registry = registry;
    this.claimLatency = Timer.builder(MetricNames.POOL_CLAIM_LATENCY).publishPercentileHistogram()
        .description("From a claim request to a bound warm member").register(registry);
  }

  /** Serves claims from {@code members} from now on. */
  public void bind(MemberView members) {
    this.view = members;
  }

  /**
   * A view over the member informer with the two indexes claims use; call before the informer starts.
   */
  public static MemberView indexed(InformerEventSource<E2BSandbox, ?> source) {
    source.addIndexers(Map.of(
        BY_POOL_STATE, m -> {
          Map<String, String> labels = m.getMetadata().getLabels();
          String pool = labels == null ? null : labels.get(ApiConstants.LABEL_POOL);
          return pool == null ? List.of() : List.of(poolStateKey(m.getMetadata().getNamespace(), pool,
              labels.getOrDefault(ApiConstants.LABEL_POOL_STATE, "")));
        },
        BY_CLAIMER, m -> m.getSpec() == null || m.getSpec().getClaimRef() == null ? List.of()
            : List.of(m.getMetadata().getNamespace() + "/" + m.getSpec().getClaimRef().getUid())));
    return new MemberView() {
      @Override
      public List<E2BSandbox> inState(String namespace, String pool, String state) {
        return source.byIndex(BY_POOL_STATE, poolStateKey(namespace, pool, state));
      }

      @Override
      public List<E2BSandbox> claimedBy(String namespace, String claimerUid) {
        return source.byIndex(BY_CLAIMER, namespace + "/" + claimerUid);
      }

      @Override
      public Optional<E2BSandbox> get(String namespace, String name) {
        return source.get(new ResourceID(name, namespace));
      }
    };
  }

  private static String poolStateKey(String namespace, String pool, String state) {
    return namespace + "/" + pool + "/" + state;
  }

  /**
   * The member bound to this claimer, claiming one if needed; empty when no warm member is Running (the
   * claimer waits; a member turning warm and Running wakes it). A lost race (409: another claimer bound the
   * member first, or its status moved on) reads that one member back and tries it again while it is still
   * claimable, else the next candidate: a claim comes back empty only when no warm, Running member is left.
   */
  public Optional<E2BSandbox> claim(String namespace, String poolName, HasMetadata claimer) {
    long started = System.nanoTime();
    MemberView members = view;
    if (members == null) {
      throw new IllegalStateException("pool claims are served from the member cache, which is not bound yet");
    }
    String claimerUid = claimer.getMetadata().getUid();
    Optional<E2BSandbox> mine = boundTo(members, namespace, poolName, claimerUid);
    if (mine.isPresent()) {
      return mine;
    }
    List<E2BSandbox> candidates = members.inState(namespace, poolName, ApiConstants.POOL_STATE_WARM).stream()
        .filter(PoolClaims::claimable).filter(m -> !knownNotClaimable(m))
        .sorted(Comparator.comparing(m -> m.getMetadata().getName())).toList();
    if (candidates.isEmpty()) {
      count(namespace, poolName, "none_available");
      return Optional.empty();
    }
    // Concurrent claimers start at different members, so most first attempts do not collide.
    int start = Math.floorMod(claimerUid.hashCode(), candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      E2BSandbox candidate = candidates.get((start + i) % candidates.size());
      String key = key(candidate);
      // Claimers in this operator reserve a member before writing, so they never race each other for it;
      // the optimistic lock below still settles races with anyone else.
      if (!reserved.add(key)) {
        continue;
      }
      try {
        Optional<E2BSandbox> bound = bind(namespace, poolName, claimer, candidate, started);
        if (bound.isPresent()) {
          return bound;
        }
      } finally {
        reserved.remove(key);
      }
    }
    count(namespace, poolName, "contended");
    return Optional.empty();
  }

  /**
   * The member this claimer holds in {@code pool}: the one this operator bound while the cache does not show
   * the bind yet, else the one the cache shows claimed by it.
   */
  private Optional<E2BSandbox> boundTo(MemberView members, String namespace, String pool, String claimerUid) {
    Bound b = recent.get(claimerUid);
    if (b != null && b.namespace().equals(namespace) && b.pool().equals(pool)) {
      E2BSandbox cached = members.get(namespace, b.name()).orElse(null);
      if (cached != null && b.versionsBefore().contains(cached.getMetadata().getResourceVersion())) {
        return Optional.of(b.member());
      }
      recent.remove(claimerUid, b);
    }
    return members.claimedBy(namespace, claimerUid).stream()
        .filter(m -> m.getMetadata().getLabels() != null
            && pool.equals(m.getMetadata().getLabels().get(ApiConstants.LABEL_POOL)))
        .findFirst();
  }

  /** True while the cache still shows the version of {@code m} this operator bound or lost a race for. */
  private boolean knownNotClaimable(E2BSandbox m) {
    String key = key(m);
    Set<String> versions = notClaimableAt.get(key);
    if (versions == null) {
      return false;
    }
    if (versions.contains(m.getMetadata().getResourceVersion())) {
      return true;
    }
    notClaimableAt.remove(key, versions);
    return false;
  }

  /**
   * Optimistic-lock updates binding {@code seen} (a cached member); empty when someone else changed it first
   * and it is no longer claimable. A conflict reads the member back once per attempt: a status write since the
   * cache saw it does not make it any less claimable.
   */
  private Optional<E2BSandbox> bind(String namespace, String poolName, HasMetadata claimer, E2BSandbox seen,
      long started) {
    String key = key(seen);
    E2BSandbox candidate = seen;
    Set<String> versionsBefore = new java.util.HashSet<>();
    for (int attempt = 1; attempt <= ATTEMPTS_PER_MEMBER; attempt++) {
      versionsBefore.add(candidate.getMetadata().getResourceVersion());
      E2BSandbox desired = bindingOf(candidate, claimer);
      try {
        // update() sends the cached resourceVersion: the API server rejects it if anyone changed the member.
        E2BSandbox bound = client.resource(desired).update();
        claimLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        Set<String> before = Set.copyOf(versionsBefore);
        notClaimableAt.put(key, before);
        recent.put(claimer.getMetadata().getUid(), new Bound(namespace, poolName, seen.getMetadata().getName(),
            before, bound));
        count(namespace, poolName, "claimed");
        LOG.info("{}/{} claimed pool member {} of {}", namespace, claimer.getMetadata().getName(),
            bound.getMetadata().getName(), poolName);
        return Optional.of(bound);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 && e.getCode() != 404) {
          throw e;
        }
        // The cache's version is gone for good: other claimers of this operator skip it until the cache
        // moves on.
        notClaimableAt.put(key, Set.copyOf(versionsBefore));
        if (e.getCode() == 404) {
          return Optional.empty();
        }
      }
      E2BSandbox latest = client.resources(E2BSandbox.class).inNamespace(namespace)
          .withName(seen.getMetadata().getName()).get();
      if (latest == null || !claimable(latest)) {
        return Optional.empty();
      }
      candidate = latest;
    }
    return Optional.empty();
  }

  /** A copy of {@code member} bound to {@code claimer} (the cached object itself is never changed). */
  private E2BSandbox bindingOf(E2BSandbox member, HasMetadata claimer) {
    E2BSandbox copy = io.fabric8.kubernetes.client.utils.Serialization.clone(member);
    copy.getSpec().setClaimRef(new ClaimRef(claimer.getKind(), claimer.getMetadata().getName(),
        claimer.getMetadata().getUid(), Times.format(clock.instant())));
    copy.getMetadata().getLabels().put(ApiConstants.LABEL_POOL_STATE, ApiConstants.POOL_STATE_CLAIMED);
    List<OwnerReference> owners = new ArrayList<>(copy.getMetadata().getOwnerReferences());
    owners.add(ChildMetadata.ownerReference(claimer, false));
    copy.getMetadata().setOwnerReferences(owners);
    return copy;
  }

  private static String key(E2BSandbox m) {
    return m.getMetadata().getNamespace() + "/" + m.getMetadata().getName();
  }

  /** A warm, Running member that is not being deleted. */
  static boolean claimable(E2BSandbox m) {
    return m.getMetadata().getLabels() != null
        && ApiConstants.POOL_STATE_WARM.equals(m.getMetadata().getLabels().get(ApiConstants.LABEL_POOL_STATE))
        && m.getSpec().getClaimRef() == null
        && m.getMetadata().getDeletionTimestamp() == null
        && m.getStatus() != null && m.getStatus().getPhase() == SandboxPhase.Running;
  }

  /**
   * Gives a member back: Delete kills it (the pool refills), Recycle returns it to the warm set. Returns the
   * recycled member as stored, or null when it was deleted (or was already gone).
   */
  public E2BSandbox release(E2BSandbox member, ReleasePolicy policy) {
    if (member.getSpec().getClaimRef() != null) {
      recent.remove(member.getSpec().getClaimRef().getUid());
    }
    if (policy == ReleasePolicy.Delete) {
      client.resource(member).delete();
      return null;
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      E2BSandbox latest = client.resource(member).get();
      if (latest == null) {
        return null;
      }
      String claimer = latest.getSpec().getClaimRef() == null ? null : latest.getSpec().getClaimRef().getUid();
      latest.getSpec().setClaimRef(null);
      latest.getMetadata().getLabels().put(ApiConstants.LABEL_POOL_STATE, ApiConstants.POOL_STATE_WARM);
      latest.getMetadata().setOwnerReferences(new ArrayList<>(latest.getMetadata().getOwnerReferences().stream()
          .filter(o -> !o.getUid().equals(claimer)).toList()));
      try {
        return client.resource(latest).update();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
    throw new IllegalStateException("could not release " + member.getMetadata().getName() + ": kept conflicting");
  }

  /**
   * Takes a warm member out of the claimable set before the pool deletes it: one optimistic-lock update of
   * the version the pool saw (state label {@code retiring}). False when the member changed since (a claimer
   * may have bound it) or is gone: the pool must then leave it alone. Without this a scale-down or a stale
   * replacement could delete a member a claimer bound a moment earlier.
   */
  public boolean retire(E2BSandbox seen) {
    E2BSandbox copy = io.neuraltrader.e2b.reconcile.StatusWriter.copy(seen);
    if (copy.getMetadata().getLabels() == null
        || !ApiConstants.POOL_STATE_WARM.equals(copy.getMetadata().getLabels().get(ApiConstants.LABEL_POOL_STATE))
        || copy.getSpec().getClaimRef() != null) {
      return false;
    }
    copy.getMetadata().getLabels().put(ApiConstants.LABEL_POOL_STATE, ApiConstants.POOL_STATE_RETIRING);
    try {
      client.resource(copy).update();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 404) {
        return false;
      }
      throw e;
    }
    client.resources(E2BSandbox.class).inNamespace(copy.getMetadata().getNamespace())
        .withName(copy.getMetadata().getName()).delete();
    return true;
  }

  /** The release policy of the pool a member belongs to (Delete when the pool is gone). */
  public ReleasePolicy policyOf(E2BSandbox member) {
    String pool = member.getMetadata().getLabels().get(ApiConstants.LABEL_POOL);
    SandboxPool p = pool == null ? null
        : client.resources(SandboxPool.class).inNamespace(member.getMetadata().getNamespace()).withName(pool).get();
    return p == null ? ReleasePolicy.Delete : p.getSpec().getReleasePolicy();
  }

  private void count(String namespace, String pool, String outcome) {
    Counter.builder(MetricNames.POOL_CLAIMS).tag("namespace", namespace).tag("pool", pool).tag("outcome", outcome)
        .description("Claim attempts by outcome").register(registry).increment();
  }
}
