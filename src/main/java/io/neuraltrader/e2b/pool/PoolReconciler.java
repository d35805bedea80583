package io.neuraltrader.e2b.pool;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPoolStatus;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.observability.EventRecorder;
import io.neuraltrader.e2b.observability.MetricNames;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.StatusWriter;
import io.neuraltrader.e2b.reconcile.WakeupEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a pool's warm members: creates E2BSandbox members up to the desired count (schedule windows may
 * override spec.replicas), never beyond maxSandboxes, replaces stale warm members, releases members whose
 * claimer is gone, and holds creation while E2B answers with capacity or rate limits.
 */
@ControllerConfiguration(name = "sandboxpool", finalizerName = ApiConstants.FINALIZER)
public class PoolReconciler implements Reconciler<SandboxPool>, Cleaner<SandboxPool> {
  private static final Logger LOG = LoggerFactory.getLogger(PoolReconciler.class);
  static final Duration EXPECTATION_TIMEOUT = Duration.ofSeconds(60);
  private static final String TRADING_AGENT = "TradingAgent";

  private final KubernetesClient kube;
  private final PoolClaims claims;
  private final EventRecorder events;
  private final Clock clock;
  private final StatusWriter statusWriter;
  private final MeterRegistry registry;
  /** Members created but not yet seen in the informer cache, per pool: the expectations gate. */
  private final PoolExpectations expectations = new PoolExpectations(EXPECTATION_TIMEOUT);
  private final Map<ResourceID, int[]> gauges = new ConcurrentHashMap<>();
  private final WakeupEventSource<SandboxPool> wakeups;
  private volatile InformerEventSource<E2BSandbox, SandboxPool> memberSource;
  private volatile InformerEventSource<TradingAgent, SandboxPool> agentSource;

  public PoolReconciler(KubernetesClient kube, PoolClaims claims, EventRecorder events, Clock clock,
      MeterRegistry registry) {
    this.kube = kube;
    this.claims = claims;
    this.events = events;
    this.clock = clock;
    this.registry = registry;
    this.statusWriter = new StatusWriter(kube);
    this.wakeups = new WakeupEventSource<>("pool-wakeups", clock, Duration.ofMillis(100));
  }

  @Override
  public List<EventSource<?, SandboxPool>> prepareEventSources(EventSourceContext<SandboxPool> context) {
    InformerEventSourceConfiguration<E2BSandbox> members = InformerEventSourceConfiguration
        .from(E2BSandbox.class, SandboxPool.class)
        .withName("pool-members")
        .withLabelSelector(ApiConstants.LABEL_POOL)
        .withSecondaryToPrimaryMapper(m -> Set.of(new ResourceID(
            m.getMetadata().getLabels().get(ApiConstants.LABEL_POOL), m.getMetadata().getNamespace())))
        .build();
    memberSource = new InformerEventSource<>(members, context);
    // Claims read this informer's cache (indexed by pool and state), never a listing from the API server.
    claims.bind(PoolClaims.indexed(memberSource));
    // A deleted (or changed) TradingAgent wakes the pools holding members it claimed, so abandoned claims
    // are released right away instead of at the next periodic look.
    InformerEventSourceConfiguration<TradingAgent> agents = InformerEventSourceConfiguration
        .from(TradingAgent.class, SandboxPool.class)
        .withName("pool-claimers")
        .withSecondaryToPrimaryMapper(this::poolsClaimedBy)
        .build();
    agentSource = new InformerEventSource<>(agents, context);
    return List.of(memberSource, agentSource, wakeups);
  }

  /** The pools with a member claimed by {@code agent}, from the member cache. */
  private Set<ResourceID> poolsClaimedBy(TradingAgent agent) {
    InformerEventSource<E2BSandbox, SandboxPool> source = memberSource;
    String uid = agent.getMetadata().getUid();
    if (source == null || uid == null) {
      return Set.of();
    }
    return source.list(agent.getMetadata().getNamespace(), m -> m.getSpec().getClaimRef() != null
            && uid.equals(m.getSpec().getClaimRef().getUid()))
        .map(m -> new ResourceID(m.getMetadata().getLabels().get(ApiConstants.LABEL_POOL),
            m.getMetadata().getNamespace()))
        .collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<SandboxPool> reconcile(SandboxPool pool, Context<SandboxPool> context) {
    statusWriter.latest(pool);
    if (pool.getStatus() == null) {
      pool.setStatus(new SandboxPoolStatus());
    }
    SandboxPoolStatus before = StatusWriter.copy(pool.getStatus());
    Instant now = clock.instant();
    PoolTarget target;
    try {
      target = PoolTarget.of(pool.getSpec(), now);
      Conditions.remove(pool.getStatus().getConditions(), "InvalidSpec");
    } catch (IllegalArgumentException e) {
      return invalidSpec(pool, before, e.getMessage(), now);
    }
    PoolObservation observed = observe(pool, context, now);
    PoolPlanner.Plan plan = PoolPlanner.plan(target, observed, now);
    act(pool, observed, plan, target.desired(), now);
    PoolStatusBuilder.fill(pool.getStatus(), pool.getMetadata().getName(), pool.getMetadata().getGeneration(),
        target, plan, now);
    announceCapacity(pool, before, plan);
    recordGauges(pool, plan);
    ResourceID id = ResourceID.fromResource(pool);
    wakeups.wakeAt(id, PoolPlanner.nextLook(target, observed.members(), plan, expectations.nextExpiry(id), now));
    writeIfChanged(pool, before);
    return UpdateControl.noUpdate();
  }

  private UpdateControl<SandboxPool> invalidSpec(SandboxPool pool, SandboxPoolStatus before, String message,
      Instant now) {
    Long generation = pool.getMetadata().getGeneration();
    Conditions.set(pool.getStatus().getConditions(), "Ready", false, Reasons.INVALID_SPEC, message, generation, now);
    events.warning(pool, Reasons.INVALID_SPEC, message);
    pool.getStatus().setObservedGeneration(generation);
    writeIfChanged(pool, before);
    return UpdateControl.noUpdate();
  }

  /** The members, the creates the cache does not show yet, and the claims whose claimer is gone. */
  private PoolObservation observe(SandboxPool pool, Context<SandboxPool> context, Instant now) {
    List<E2BSandbox> objects = new ArrayList<>(context.getSecondaryResources(E2BSandbox.class));
    List<PoolMember> members = objects.stream().map(PoolMember::of).toList();
    int inFlight = expectations.settle(ResourceID.fromResource(pool), members.stream().map(PoolMember::name).toList(),
        now);
    return new PoolObservation(objects, members, inFlight, abandonedClaims(objects));
  }

  /** Releases abandoned claims, then removes and creates members: exactly what the plan names. */
  private void act(SandboxPool pool, PoolObservation observed, PoolPlanner.Plan plan, int desired, Instant now) {
    for (PoolObservation.AbandonedClaim claim : plan.release()) {
      observed.object(claim.member()).ifPresent(m -> claims.release(m, pool.getSpec().getReleasePolicy()));
      events.normal(pool, "ClaimReleased", "Member " + claim.member() + " was claimed by " + claim.claimerKind()
          + " " + claim.claimerName() + ", which no longer exists; released (" + pool.getSpec().getReleasePolicy()
          + ")");
    }
    List<String> removed = new ArrayList<>();
    for (String name : plan.delete()) {
      observed.object(name).filter(claims::retire).ifPresent(m -> removed.add(name));
    }
    if (!removed.isEmpty()) {
      events.normal(pool, "MembersRemoved", "Removed " + removed.size() + " warm member(s): "
          + String.join(", ", removed));
    }
    ResourceID id = ResourceID.fromResource(pool);
    for (int i = 0; i < plan.create(); i++) {
      String name = pool.getMetadata().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
      kube.resource(PoolMemberTemplate.desired(pool, name, now)).create();
      expectations.expectCreated(id, name, now);
    }
    if (plan.create() > 0) {
      events.normal(pool, "MembersCreated", "Creating " + plan.create() + " warm member(s) to reach " + desired);
    }
  }

  /** Events for the CapacityHeld condition turning on or off. */
  private void announceCapacity(SandboxPool pool, SandboxPoolStatus before, PoolPlanner.Plan plan) {
    boolean wasHeld = Conditions.isTrue(before.getConditions(), "CapacityHeld");
    if (plan.heldBy() != null && !wasHeld) {
      events.warning(pool, "CapacityHeld", "E2B answered " + plan.heldBy() + "; not creating more members for now");
    } else if (plan.heldBy() == null && wasHeld) {
      events.normal(pool, "CapacityReleased", "E2B accepts new sandboxes again; creating members resumes");
    }
  }

  /**
   * Members still claimed by a TradingAgent that no longer exists. Claims by other kinds are left to their
   * claimers: the pool cannot tell whether those still exist.
   */
  private List<PoolObservation.AbandonedClaim> abandonedClaims(List<E2BSandbox> members) {
    List<PoolObservation.AbandonedClaim> abandoned = new ArrayList<>();
    for (E2BSandbox member : members) {
      var ref = member.getSpec().getClaimRef();
      if (ref == null || member.getMetadata().getDeletionTimestamp() != null
          || !TRADING_AGENT.equals(ref.getKind()) || claimerExists(member.getMetadata().getNamespace(), ref)) {
        continue;
      }
      abandoned.add(new PoolObservation.AbandonedClaim(member.getMetadata().getName(), ref.getKind(), ref.getName()));
    }
    return abandoned;
  }

  /** The cache answers for claimers it shows; one missing from it is confirmed with the API (cache lag). */
  private boolean claimerExists(String namespace, io.neuraltrader.e2b.api.v1alpha1.ClaimRef ref) {
    InformerEventSource<TradingAgent, SandboxPool> source = agentSource;
    if (source != null) {
      TradingAgent cached = source.get(new ResourceID(ref.getName(), namespace)).orElse(null);
      if (cached != null && ref.getUid().equals(cached.getMetadata().getUid())) {
        return true;
      }
    }
    TradingAgent live = kube.resources(TradingAgent.class).inNamespace(namespace).withName(ref.getName()).get();
    return live != null && ref.getUid().equals(live.getMetadata().getUid());
  }

  private void recordGauges(SandboxPool pool, PoolPlanner.Plan plan) {
    ResourceID id = ResourceID.fromResource(pool);
    int[] values = gauges.computeIfAbsent(id, k -> {
      int[] v = new int[4];
      String[] states = {"warm", "ready", "claimed", "creating"};
      for (int i = 0; i < states.length; i++) {
        int index = i;
        Gauge.builder(MetricNames.POOL_MEMBERS, v, a -> a[index])
            .tag("namespace", id.getNamespace().orElse("")).tag("pool", id.getName()).tag("state", states[i])
            .description("Pool members by state").register(registry);
      }
      return v;
    });
    values[0] = plan.warm();
    values[1] = plan.ready();
    values[2] = plan.claimed();
    values[3] = plan.creating();
  }

  private void writeIfChanged(SandboxPool pool, SandboxPoolStatus before) {
    if (!StatusWriter.same(before, pool.getStatus())) {
      statusWriter.write(pool);
    }
  }

  @Override
  public DeleteControl cleanup(SandboxPool pool, Context<SandboxPool> context) {
    // Like garbage collection of owned objects, but also where there is no garbage collector (local mode).
    // Listed from the API, not the cache: members created moments ago may not be cached yet.
    for (E2BSandbox member : kube.resources(E2BSandbox.class).inNamespace(pool.getMetadata().getNamespace())
        .withLabel(ApiConstants.LABEL_POOL, pool.getMetadata().getName()).list().getItems()) {
      kube.resource(member).delete();
    }
    ResourceID id = ResourceID.fromResource(pool);
    expectations.forget(id);
    wakeups.cancel(id);
    int[] values = gauges.get(id);
    if (values != null) {
      java.util.Arrays.fill(values, 0);
    }
    LOG.info("pool {}/{} deleted with its members", pool.getMetadata().getNamespace(), pool.getMetadata().getName());
    statusWriter.forget(pool.getMetadata().getUid());
    return DeleteControl.defaultDelete();
  }
}
