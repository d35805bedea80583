package io.neuraltrader.e2b.pool;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims and releases pool members. A claim binds one warm, Running member to its claimer with a single
 * optimistic-lock update (claimRef, state label, owner reference): no E2B call, and two claimers can never
 * win the same member because the loser's update fails on the stale resourceVersion and it tries the next.
 */
public class PoolClaims {
  private static final Logger LOG = LoggerFactory.getLogger(PoolClaims.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final Timer claimLatency;
  private final MeterRegistry registry;
  /** Listings per claim when every candidate of a listing was lost to other claimers. */
  static final int MAX_PASSES = 5;
  /** Members a claimer of this operator is binding right now (namespace/name). */
  private final java.util.Set<String> reserved = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public PoolClaims(KubernetesClient client, Clock clock, MeterRegistry registry) {
    this.client = client;
    this.clock = clock;
    this.registry = registry;
    this.claimLatency = Timer.builder(MetricNames.POOL_CLAIM_LATENCY).publishPercentileHistogram()
        .description("From a claim request to a bound warm member").register(registry);
  }

  /**
   * The member bound to this claimer, claiming one if needed; empty when no warm member is Running (the
   * claimer waits and asks again). A lost race (409: another claimer bound the member first, or its status
   * moved on) tries the next candidate, and when every candidate of a listing was lost, lists again: a claim
   * comes back empty only when no warm, Running member is left.
   */
  public Optional<E2BSandbox> claim(String namespace, String poolName, HasMetadata claimer) {
    long started = System.nanoTime();
    String claimerUid = claimer.getMetadata().getUid();
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      List<E2BSandbox> members = members(namespace, poolName);
      Optional<E2BSandbox> mine = members.stream()
          .filter(m -> m.getSpec().getClaimRef() != null && claimerUid.equals(m.getSpec().getClaimRef().getUid()))
          .findFirst();
      if (mine.isPresent()) {
        return mine;
      }
      List<E2BSandbox> candidates = members.stream().filter(PoolClaims::claimable)
          .sorted(Comparator.comparing(m -> m.getMetadata().getName())).toList();
      if (candidates.isEmpty()) {
        count(namespace, poolName, "none_available");
        return Optional.empty();
      }
      // Concurrent claimers start at different members, so most first attempts do not collide.
      int start = Math.floorMod(claimerUid.hashCode(), candidates.size());
      for (int i = 0; i < candidates.size(); i++) {
        E2BSandbox candidate = candidates.get((start + i) % candidates.size());
        String key = namespace + "/" + candidate.getMetadata().getName();
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
    }
    count(namespace, poolName, "contended");
    return Optional.empty();
  }

  /** One optimistic-lock update binding {@code candidate}; empty when someone changed it first. */
  private Optional<E2BSandbox> bind(String namespace, String poolName, HasMetadata claimer, E2BSandbox candidate,
      long started) {
    candidate.getSpec().setClaimRef(new ClaimRef(claimer.getKind(), claimer.getMetadata().getName(),
        claimer.getMetadata().getUid(), Times.format(clock.instant())));
    candidate.getMetadata().getLabels().put(ApiConstants.LABEL_POOL_STATE, ApiConstants.POOL_STATE_CLAIMED);
    List<OwnerReference> owners = new ArrayList<>(candidate.getMetadata().getOwnerReferences());
    owners.add(ChildMetadata.ownerReference(claimer, false));
    candidate.getMetadata().setOwnerReferences(owners);
    try {
      // update() sends the listed resourceVersion: the API server rejects it if anyone changed the member.
      E2BSandbox bound = client.resource(candidate).update();
      claimLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      count(namespace, poolName, "claimed");
      LOG.info("{}/{} claimed pool member {} of {}", namespace, claimer.getMetadata().getName(),
          bound.getMetadata().getName(), poolName);
      return Optional.of(bound);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        throw e;
      }
      // Someone else bound, changed or deleted this member first: the caller tries the next one.
      return Optional.empty();
    }
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

  private List<E2BSandbox> members(String namespace, String poolName) {
    return client.resources(E2BSandbox.class).inNamespace(namespace)
        .withLabel(ApiConstants.LABEL_POOL, poolName).list().getItems();
  }

  private void count(String namespace, String pool, String outcome) {
    Counter.builder(MetricNames.POOL_CLAIMS).tag("namespace", namespace).tag("pool", pool).tag("outcome", outcome)
        .description("Claim attempts by outcome").register(registry).increment();
  }
}
