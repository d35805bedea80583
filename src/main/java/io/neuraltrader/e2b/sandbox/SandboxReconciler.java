package io.neuraltrader.e2b.sandbox;

import io.neuraltrader.e2b.shared.E2BErrorRules;
import io.neuraltrader.e2b.shared.MissingReferenceException;
import io.neuraltrader.e2b.shared.SandboxActivity;
import io.neuraltrader.e2b.shared.ReferenceResolver;
import io.neuraltrader.e2b.shared.E2BClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxStatus;
import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.client.ConflictException;
import io.neuraltrader.e2b.client.ConnectResult;
import io.neuraltrader.e2b.client.E2BClient;
import io.neuraltrader.e2b.client.E2BException;
import io.neuraltrader.e2b.client.ListedSandbox;
import io.neuraltrader.e2b.client.NetworkConfig;
import io.neuraltrader.e2b.client.NewSandbox;
import io.neuraltrader.e2b.client.NotFoundException;
import io.neuraltrader.e2b.client.Outcome;
import io.neuraltrader.e2b.client.Sandbox;
import io.neuraltrader.e2b.client.SandboxDetail;
import io.neuraltrader.e2b.client.SandboxState;
import io.neuraltrader.e2b.client.SourceLiteral;
import io.neuraltrader.e2b.observability.EventRecorder;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.InlineFinalizer;
import io.neuraltrader.e2b.reconcile.StatusWriter;
import io.neuraltrader.e2b.reconcile.Times;
import io.neuraltrader.e2b.reconcile.WakeupEventSource;
import io.neuraltrader.e2b.schedule.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one E2B sandbox per E2BSandbox resource: observe (the fleet poller's listing, the activity record),
 * decide ({@link SandboxPlanner}), act (at most a few E2B calls), then write status and schedule the next
 * wakeup on the operator's clock. E2B errors become conditions, events and a bounded retry, never a hot loop.
 */
// The finalizer is handled in the reconcile (InlineFinalizer): the create starts in the reconcile that adds it.
@ControllerConfiguration(name = "e2bsandbox", triggerReconcilerOnAllEvents = true)
public class SandboxReconciler implements Reconciler<E2BSandbox>, InlineFinalizer.Controller<E2BSandbox> {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxReconciler.class);
  public static final String READY = "Ready";
  public static final String DEGRADED = "Degraded";
  public static final String ANOMALOUS = "Anomalous";

  private final KubernetesClient kube;
  private final E2BClients clients;
  private final ReferenceResolver references;
  private final SandboxFleet fleet;
  private final SandboxActivity activity;
  private final EventRecorder events;
  private final SandboxMetrics metrics;
  private final Clock clock;
  private final SandboxSettings settings;
  private final StatusWriter statusWriter;
  private final InlineFinalizer<E2BSandbox> finalizer;
  /** The last failed attempt per resource: no E2B call before its instant unless the inputs changed. */
  private final Map<ResourceID, Retry> retries = new ConcurrentHashMap<>();
  /** The last failed kill per resource being deleted. */
  private final Map<ResourceID, Retry> deleteRetries = new ConcurrentHashMap<>();
  /** When this instance last changed each resource's sandbox: older listings must not override status. */
  private final Map<ResourceID, Instant> actedAt = new ConcurrentHashMap<>();
  /** Sampled figures newer than the stored status (renewals, usage, cost), held until the next status write. */
  private final SampledStatus sampled = new SampledStatus();
  /**
   * An event to record once this reconcile's status is written: a new sandbox is Running in status first, its
   * event (a round trip of its own) after, so whoever waits for Running does not wait for the event.
   */
  private final Map<ResourceID, Runnable> afterStatusWrite = new ConcurrentHashMap<>();
  private volatile WakeupEventSource<E2BSandbox> wakeups;
  private final CreateSlotWaiters createSlots = new CreateSlotWaiters(id -> wakeups.wakeNow(id));

  /**
   * A failed attempt. {@code inputs} fingerprints what the attempt depended on (spec generation, the versions
   * of the Secrets and ConfigMaps it reads): when they change, the wait is over at once.
   */
  private record Retry(int attempt, Instant notBefore, boolean permanent, String inputs) {}

  public SandboxReconciler(KubernetesClient kube, E2BClients clients, ReferenceResolver references,
      SandboxFleet fleet, SandboxActivity activity, EventRecorder events, SandboxMetrics metrics, Clock clock,
      SandboxSettings settings) {
    this.kube = kube;
    this.clients = clients;
    this.references = references;
    this.fleet = fleet;
    this.activity = activity;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.settings = settings;
    this.statusWriter = new StatusWriter(kube);
    this.finalizer = new InlineFinalizer<>(kube, ApiConstants.FINALIZER);
    metrics.createSlotWaiters(createSlots::waiting);
  }

  @Override
  public List<EventSource<?, E2BSandbox>> prepareEventSources(EventSourceContext<E2BSandbox> context) {
    wakeups = new WakeupEventSource<>("sandbox-wakeups", clock, Duration.ofMillis(100));
    var cache = context.getPrimaryCache();
    // An execution answered "sandbox not found": reconcile the owner now to confirm and recreate.
    activity.onGone(sandboxID -> cache.list(r -> r.getStatus() != null
        && sandboxID.equals(r.getStatus().getSandboxID())).forEach(r -> wakeups.wakeAt(ResourceID.fromResource(r),
        clock.instant())));
    fleet.bind(context.getPrimaryCache());
    metrics.bind(context.getPrimaryCache());
    return List.of(fleet, wakeups);
  }

  /**
   * What this reconcile knows before it decides, read once: the client and limits the spec names, what the
   * fleet poller last listed for the resource, and its sandbox's last activity.
   */
  private record Observed(E2BClient client, SandboxPlanner.Limits limits, SandboxPlanner.Observation e2b,
      Instant lastActivity) {}

  /** When to look again; {@code deleted} when the resource itself is being deleted (nothing more to write). */
  private record Next(Instant at, boolean deleted) {}

  /** How long a sandbox waiting for a create slot waits at most before it looks again. */
  static final Duration CREATE_SLOT_RECHECK = Duration.ofSeconds(2);

  @Override
  public UpdateControl<E2BSandbox> reconcile(E2BSandbox resource, Context<E2BSandbox> context) {
    return finalizer.reconcile(resource, context, this);
  }

  @Override
  public UpdateControl<E2BSandbox> work(E2BSandbox resource, Context<E2BSandbox> context) {
    statusWriter.latest(resource);
    if (resource.getStatus() == null) {
      resource.setStatus(new E2BSandboxStatus());
    }
    ResourceID id = ResourceID.fromResource(resource);
    Instant sampleWrittenAt = Times.parse(resource.getStatus().getCostAccruedAt());
    sampled.overlay(id, resource.getStatus());
    E2BSandboxStatus before = StatusWriter.copy(resource.getStatus());
    String versionBefore = resource.getMetadata().getResourceVersion();
    Instant now = clock.instant();
    SandboxFleet.Snapshot snapshot = fleet.firstListing();
    Retry retry = retries.get(id);
    String inputs = retry == null ? null : inputs(resource, snapshot);
    if (retry != null && retry.inputs().equals(inputs) && now.isBefore(retry.notBefore())) {
      // Inside a retry's wait: status is refreshed (usage, cost), E2B is not called.
      return writeStatus(resource, id, snapshot, new Written(before, versionBefore, sampleWrittenAt),
          retry.notBefore(), now, now);
    }
    dropRetryIfInputsChanged(resource, id, retry, inputs);
    Next next = attempt(resource, id, snapshot, inputs, now);
    if (next.deleted()) {
      return UpdateControl.noUpdate();
    }
    return writeStatus(resource, id, snapshot, new Written(before, versionBefore, sampleWrittenAt), next.at(), now,
        clock.instant());
  }

  /**
   * What is stored: the status the reconcile started from (with the sampled figures held in memory), its
   * resourceVersion, and when the stored sampled figures were taken.
   */
  private record Written(E2BSandboxStatus status, String version, Instant sampledAt) {}

  /**
   * Any event (a status-refresh wakeup, a fleet poll, a restart of the informer) reaches a reconcile; only the
   * retry's own instant or a change of its inputs may lead to the next E2B attempt.
   */
  private void dropRetryIfInputsChanged(E2BSandbox resource, ResourceID id, Retry retry, String inputs) {
    if (retry != null && !retry.inputs().equals(inputs)) {
      LOG.info("{}/{}: inputs changed since the last failure; trying again now", resource.getMetadata()
          .getNamespace(), resource.getMetadata().getName());
      retries.remove(id);
    }
  }

  /** Observe, decide, act; a failure becomes a condition, an event and the instant of the next attempt. */
  private Next attempt(E2BSandbox resource, ResourceID id, SandboxFleet.Snapshot snapshot, String inputs,
      Instant now) {
    try {
      Observed observed = observe(resource, snapshot);
      // Cost up to now accrues at the phase it ran in, before this reconcile changes the phase.
      accrueCost(resource, now);
      resource.setStatus(SandboxPlanner.syncObserved(resource.getSpec(), resource.getStatus(), observed.e2b(),
          now));
      SandboxPlanner.Plan plan = SandboxPlanner.decide(resource.getSpec(), resource.getStatus(), observed.e2b(),
          observed.limits(), observed.lastActivity(), now);
      if (plan.action() == SandboxPlanner.Action.DELETE_RESOURCE) {
        deleteIdle(resource, observed.limits());
        return new Next(null, true);
      }
      if (plan.action() == SandboxPlanner.Action.CREATE && !observed.client().createSlotFree()) {
        // All create slots busy: wait without holding a reconcile thread (a pool refill of hundreds would hold
        // them all and stall every claim); a freed slot wakes the longest waiter, the recheck covers a lost wake.
        createSlots.await(observed.client(), id);
        return new Next(clock.instant().plus(CREATE_SLOT_RECHECK), false);
      }
      act(resource, observed, plan);
      retries.remove(id);
      if (plan.action() == SandboxPlanner.Action.NONE) {
        return new Next(plan.wakeAt(), false);
      }
      actedAt.put(id, clock.instant());
      // The step changed the sandbox: the next reconcile observes the result and decides again at once.
      return new Next(clock.instant(), false);
    } catch (MissingReferenceException e) {
      return new Next(fail(resource, e.reason(), false, e.getMessage(), now, null, false, inputs), false);
    } catch (IllegalArgumentException e) {
      return new Next(fail(resource, Reasons.INVALID_SPEC, true, e.getMessage(), now, null, false, inputs), false);
    } catch (E2BException e) {
      return new Next(handleE2BError(resource, e, now, inputs), false);
    }
  }

  private Observed observe(E2BSandbox resource, SandboxFleet.Snapshot snapshot) throws MissingReferenceException {
    E2BClient client = clients.forResource(resource.getMetadata().getNamespace(),
        resource.getSpec().getCredentialsSecretRef());
    SandboxPlanner.Limits limits = limits(resource.getSpec());
    String sandboxID = resource.getStatus().getSandboxID();
    ListedSandbox listed = snapshot.byUid(resource.getMetadata().getUid()).orElse(null);
    Instant reportedGone = sandboxID == null ? null : activity.reportedGone(sandboxID).orElse(null);
    SandboxPlanner.Observation e2b = new SandboxPlanner.Observation(listed, snapshot.takenAt(),
        snapshot.completeFor(client), actedAt.get(ResourceID.fromResource(resource)), reportedGone);
    Instant lastActivity = sandboxID == null ? null
        : activity.stats(sandboxID).map(SandboxActivity.Stats::lastActivity).orElse(null);
    return new Observed(client, limits, e2b, lastActivity);
  }

  private void deleteIdle(E2BSandbox resource, SandboxPlanner.Limits limits) {
    events.normal(resource, "IdleDeleted", "No activity for " + Durations.format(limits.idleTimeout())
        + "; deleting the resource (idleAction: Delete)");
    kube.resource(resource).delete();
  }

  /** Builds status from what is known at {@code statusAt}, writes it if it changed, and schedules the wakeup. */
  private UpdateControl<E2BSandbox> writeStatus(E2BSandbox resource, ResourceID id, SandboxFleet.Snapshot snapshot,
      Written stored, Instant wakeAt, Instant now, Instant statusAt) {
    refreshStatus(resource, snapshot, statusAt);
    // The refresh keeps looking at the inputs (a fixed Secret is noticed within one refresh interval).
    wakeups.wakeAt(id, SandboxPlanner.earliest(wakeAt, statusAt.plus(settings.statusRefresh())));
    // A status written during the attempt (phase Creating before a create call) is no longer what `before`
    // holds: the outcome must be written even when it equals the status the reconcile started from.
    boolean writtenSince = !java.util.Objects.equals(stored.version(), resource.getMetadata().getResourceVersion());
    try {
      if (writtenSince || shouldWrite(stored, resource.getStatus(), now)) {
        statusWriter.write(resource);
        sampled.forget(id);
      } else {
        sampled.hold(id, resource.getStatus());
      }
    } finally {
      Runnable event = afterStatusWrite.remove(id);
      if (event != null) {
        event.run();
      }
    }
    return UpdateControl.noUpdate();
  }

  /**
   * What an attempt depends on: the spec (its generation), the Secrets and ConfigMaps it reads (credentials,
   * env vars) by resourceVersion, and the sandbox E2B was last seen holding for the resource (one appearing
   * after a lost create response is adopted at once). Reads only objects the spec names.
   */
  private String inputs(E2BSandbox resource, SandboxFleet.Snapshot snapshot) {
    String namespace = resource.getMetadata().getNamespace();
    E2BSandboxSpec spec = resource.getSpec();
    StringBuilder b = new StringBuilder("generation=").append(resource.getMetadata().getGeneration());
    snapshot.byUid(resource.getMetadata().getUid())
        .ifPresent(s -> b.append(" listed=").append(s.sandboxID()).append('/').append(s.state()));
    if (spec.getCredentialsSecretRef() != null) {
      String name = spec.getCredentialsSecretRef().getName();
      b.append(" secret/").append(name).append('=').append(references.secretVersion(namespace, name));
    }
    if (spec.getEnvVars() != null) {
      for (var env : spec.getEnvVars()) {
        var from = env.getValueFrom();
        if (from != null && from.getSecretKeyRef() != null) {
          String name = from.getSecretKeyRef().getName();
          b.append(" secret/").append(name).append('=').append(references.secretVersion(namespace, name));
        } else if (from != null && from.getConfigMapKeyRef() != null) {
          String name = from.getConfigMapKeyRef().getName();
          b.append(" configmap/").append(name).append('=').append(references.configMapVersion(namespace, name));
        }
      }
    }
    return b.toString();
  }

  private static SandboxPlanner.Limits limits(E2BSandboxSpec spec) {
    Duration lifetime = spec.getLifetime() == null ? null : Durations.parse(spec.getLifetime());
    Duration idle = spec.getIdleTimeout() == null ? null : Durations.parse(spec.getIdleTimeout());
    return new SandboxPlanner.Limits(lifetime, idle);
  }

  private void act(E2BSandbox resource, Observed o, SandboxPlanner.Plan plan) throws MissingReferenceException {
    switch (plan.action()) {
      case CREATE -> createOrAdopt(resource, o.client(), false);
      case CONFIRM_LOST -> confirmLost(resource, o, plan.reason());
      case EXPIRE -> expire(resource, o.client(), plan.reason());
      case PAUSE -> pause(resource, o, plan.reason());
      case RESUME -> resume(resource, o);
      case RENEW -> renew(resource, o);
      case NONE, DELETE_RESOURCE -> {
        // nothing to call
      }
    }
  }

  /** Adopts the sandbox tagged with this resource's uid if one exists, else creates exactly one. */
  private void createOrAdopt(E2BSandbox resource, E2BClient client, boolean recreate)
      throws MissingReferenceException {
    Instant started = clock.instant();
    E2BSandboxStatus status = resource.getStatus();
    String uid = resource.getMetadata().getUid();
    // Phase Creating is written before every create call: only then can E2B already hold a sandbox for this
    // uid (a lost response, a crash before the status write). Otherwise the lookup would be a wasted call.
    List<ListedSandbox> existing = status.getPhase() != SandboxPhase.Creating ? List.of()
        : client.listAll(SandboxTags.byUid(uid), EnumSet.of(SandboxState.RUNNING, SandboxState.PAUSED));
    if (!existing.isEmpty()) {
      adopt(resource, client, existing);
      return;
    }
    E2BSandboxSpec spec = resource.getSpec();
    Map<String, String> env = references.envVars(resource.getMetadata().getNamespace(), spec.getEnvVars());
    // Refused before anything is recorded or sent: E2B would splice these values into Python source.
    SourceLiteral.checkEnvVars(env);
    if (status.getPhase() != SandboxPhase.Creating) {
      // Recorded before the call: a resource deleted mid-create is then looked up by uid on cleanup.
      status.setPhase(SandboxPhase.Creating);
      Conditions.set(status.getConditions(), READY, false, "Creating", "Creating the E2B sandbox",
          resource.getMetadata().getGeneration(), started);
      resource.setMetadata(statusWriter.write(resource).getMetadata());
    }
    Sandbox created = client.create(newSandbox(resource, env));
    Instant now = clock.instant();
    activity.rememberAccess(created);
    status.setSandboxID(created.sandboxID());
    status.setTemplateID(created.templateID());
    status.setEnvdVersion(created.envdVersion());
    status.setDomain(created.domain());
    markRunning(status, now, now.plusSeconds(spec.getTimeoutSeconds()));
    status.setLastError(null);
    metrics.created(Duration.between(started, now));
    String reason = recreate ? "Recreated" : "Created";
    String message = "Created E2B sandbox " + created.sandboxID() + " from template " + spec.getTemplate();
    afterStatusWrite.put(ResourceID.fromResource(resource), () -> events.normal(resource, reason, message));
  }

  /** The create request the spec describes. */
  private NewSandbox newSandbox(E2BSandbox resource, Map<String, String> env) {
    E2BSandboxSpec spec = resource.getSpec();
    NewSandbox.Builder request = NewSandbox.builder(spec.getTemplate())
        .timeoutSeconds(spec.getTimeoutSeconds())
        .secure(!Boolean.FALSE.equals(spec.getSecure()))
        .metadata(SandboxTags.forCreate(resource, settings.operatorId()))
        .envVars(env);
    if (spec.getNetwork() != null) {
      request.allowInternetAccess(!Boolean.FALSE.equals(spec.getNetwork().getAllowInternetAccess()));
      // Only a private sandbox sends allowPublicTraffic: E2B's default (public) needs no field.
      Boolean publicTraffic = Boolean.FALSE.equals(spec.getNetwork().getAllowPublicTraffic()) ? false : null;
      if (spec.getNetwork().getAllowOut() != null || spec.getNetwork().getDenyOut() != null
          || publicTraffic != null) {
        request.network(new NetworkConfig(spec.getNetwork().getAllowOut(), spec.getNetwork().getDenyOut(),
            publicTraffic));
      }
    }
    return request.build();
  }

  private void adopt(E2BSandbox resource, E2BClient client, List<ListedSandbox> existing) {
    List<ListedSandbox> oldestFirst = existing.stream()
        .sorted(Comparator.comparing(ListedSandbox::startedAt, Comparator.nullsLast(Comparator.naturalOrder())))
        .toList();
    ListedSandbox keep = oldestFirst.get(0);
    for (ListedSandbox extra : oldestFirst.subList(1, oldestFirst.size())) {
      client.kill(extra.sandboxID());
      events.warning(resource, "DuplicateKilled", "Killed duplicate sandbox " + extra.sandboxID()
          + " tagged with this resource; keeping " + keep.sandboxID());
    }
    E2BSandboxStatus status = resource.getStatus();
    status.setSandboxID(keep.sandboxID());
    status.setTemplateID(keep.templateID());
    status.setEnvdVersion(keep.envdVersion());
    status.setCpuCount(keep.cpuCount());
    status.setMemoryMB(keep.memoryMB());
    Instant now = clock.instant();
    if (keep.state() == SandboxState.PAUSED) {
      status.setPhase(SandboxPhase.Paused);
      if (status.getPauseReason() == null) {
        status.setPauseReason(SandboxPlanner.PAUSE_REQUESTED);
      }
    } else {
      markRunning(status, keep.startedAt() == null ? now : keep.startedAt(),
          keep.endAt() == null ? now.plusSeconds(resource.getSpec().getTimeoutSeconds()) : keep.endAt());
      status.setLastRenewedAt(null);
    }
    status.setLastError(null);
    events.normal(resource, "Adopted", "Adopted existing E2B sandbox " + keep.sandboxID()
        + " tagged with this resource (no second sandbox created)");
  }

  private void markRunning(E2BSandboxStatus status, Instant startedAt, Instant expiresAt) {
    status.setPhase(SandboxPhase.Running);
    status.setPauseReason(null);
    status.setStartedAt(Times.format(startedAt));
    if (status.getFirstStartedAt() == null) {
      status.setFirstStartedAt(Times.format(startedAt));
    }
    status.setExpiresAt(Times.format(expiresAt));
    status.setLastRenewedAt(Times.format(clock.instant()));
    if (status.getCostAccruedAt() == null) {
      status.setCostAccruedAt(Times.format(clock.instant()));
    }
  }

  private void confirmLost(E2BSandbox resource, Observed o, String reason)
      throws MissingReferenceException {
    E2BSandboxStatus status = resource.getStatus();
    String lost = status.getSandboxID();
    try {
      var detail = o.client().get(lost);
      // Still there: whatever said otherwise (a stale listing, a proxy glitch) was wrong.
      activity.clearGone(lost);
      if (detail.state() == SandboxState.PAUSED) {
        status.setPhase(SandboxPhase.Paused);
      }
      return;
    } catch (NotFoundException e) {
      // gone for real
    }
    activity.forget(lost);
    status.setSandboxID(null);
    status.setRestarts((status.getRestarts() == null ? 0 : status.getRestarts()) + 1);
    metrics.restarted();
    events.warning(resource, "SandboxLost", "E2B no longer has sandbox " + lost + " (" + reason
        + "); recreating it (restart " + status.getRestarts() + ")");
    // The planner's lifetime rule: a sandbox lost after its lifetime is not recreated.
    String lifetimeOver = SandboxPlanner.lifetimeOver(status, o.limits(), clock.instant());
    if (lifetimeOver != null) {
      markExpired(resource, lifetimeOver);
      return;
    }
    status.setPhase(SandboxPhase.Pending);
    createOrAdopt(resource, o.client(), true);
  }

  private void expire(E2BSandbox resource, E2BClient client, String reason) {
    String id = resource.getStatus().getSandboxID();
    client.kill(id);
    activity.forget(id);
    markExpired(resource, reason);
  }

  private void markExpired(E2BSandbox resource, String reason) {
    E2BSandboxStatus status = resource.getStatus();
    status.setPhase(SandboxPhase.Expired);
    Conditions.set(status.getConditions(), READY, false, "LifetimeExceeded",
        "The sandbox was stopped: " + reason, resource.getMetadata().getGeneration(), clock.instant());
    events.normal(resource, "Expired", "Sandbox " + status.getSandboxID() + " stopped: " + reason);
  }

  private void pause(E2BSandbox resource, Observed o, String reason) throws MissingReferenceException {
    E2BSandboxStatus status = resource.getStatus();
    try {
      o.client().pause(status.getSandboxID());
    } catch (NotFoundException gone) {
      confirmLost(resource, o, "pause answered 404");
      return;
    } catch (ConflictException conflict) {
      // E2B's 409 is not always "already paused": re-observe unless it says so.
      if (conflict.sandboxCondition() != ConflictException.SandboxCondition.PAUSED
          && !pausedAfterConflict(resource, o, conflict)) {
        return;
      }
    }
    status.setPhase(SandboxPhase.Paused);
    status.setPauseReason(reason);
    events.normal(resource, "Paused", SandboxPlanner.PAUSE_IDLE.equals(reason)
        ? "Paused sandbox " + status.getSandboxID() + " after " + resource.getSpec().getIdleTimeout()
            + " without activity (memory and disk kept)"
        : "Paused sandbox " + status.getSandboxID() + " (spec.paused: true)");
  }

  /**
   * After a pause answered 409 for another reason (pausing, killing, snapshotting): true when E2B now shows
   * the sandbox paused. A sandbox E2B no longer has is handled as lost; otherwise the conflict is rethrown, so
   * the pause is tried again after the backoff instead of status claiming Paused.
   */
  private boolean pausedAfterConflict(E2BSandbox resource, Observed o, ConflictException conflict)
      throws MissingReferenceException {
    String id = resource.getStatus().getSandboxID();
    SandboxDetail detail;
    try {
      detail = o.client().get(id);
    } catch (NotFoundException gone) {
      confirmLost(resource, o, "pause answered: " + conflict.e2bMessage().orElse("409"));
      return false;
    }
    if (detail.state() == SandboxState.PAUSED) {
      return true;
    }
    throw conflict;
  }

  private void resume(E2BSandbox resource, Observed o) throws MissingReferenceException {
    E2BSandboxStatus status = resource.getStatus();
    ConnectResult result;
    try {
      result = o.client().connect(status.getSandboxID(), resource.getSpec().getTimeoutSeconds());
    } catch (ConflictException beingKilled) {
      // Connect waits out pauses and snapshots itself; its 409 means E2B is killing the sandbox.
      lostOrRetry(resource, o, beingKilled);
      return;
    } catch (NotFoundException gone) {
      confirmLost(resource, o, "connect answered 404");
      return;
    }
    activity.rememberAccess(result.sandbox());
    Instant now = clock.instant();
    // Running again from now: the idle timeout counts from the resume, not from the first start.
    markRunning(status, now, now.plusSeconds(resource.getSpec().getTimeoutSeconds()));
    events.normal(resource, "Resumed", "Resumed sandbox " + status.getSandboxID());
  }

  /** The sandbox is being killed: lost once E2B no longer has it; until then the call is retried on backoff. */
  private void lostOrRetry(E2BSandbox resource, Observed o, ConflictException beingKilled)
      throws MissingReferenceException {
    String id = resource.getStatus().getSandboxID();
    try {
      o.client().get(id);
    } catch (NotFoundException gone) {
      confirmLost(resource, o, "E2B was killing it: " + beingKilled.e2bMessage().orElse("409"));
      return;
    }
    throw beingKilled;
  }

  private void renew(E2BSandbox resource, Observed o) throws MissingReferenceException {
    E2BSandboxStatus status = resource.getStatus();
    try {
      o.client().setTimeout(status.getSandboxID(), resource.getSpec().getTimeoutSeconds());
    } catch (NotFoundException e) {
      confirmLost(resource, o, "timeout renewal answered 404");
      return;
    } catch (ConflictException e) {
      switch (e.sandboxCondition()) {
        case KILLING -> lostOrRetry(resource, o, e);
        case SNAPSHOTTING -> throw e;
        default -> status.setPhase(SandboxPhase.Paused);
      }
      return;
    }
    Instant now = clock.instant();
    status.setExpiresAt(Times.format(now.plusSeconds(resource.getSpec().getTimeoutSeconds())));
    status.setLastRenewedAt(Times.format(now));
    metrics.renewed();
  }

  /** Turns an E2B error into a condition, an event and the instant of the next attempt ({@link E2BErrorRules}). */
  private Instant handleE2BError(E2BSandbox resource, E2BException e, Instant now, String inputs) {
    boolean hasID = resource.getStatus().getSandboxID() != null;
    E2BErrorRules.Rule rule = E2BErrorRules.of(e.outcome(), hasID);
    Duration retryAfter = rule.retry() == E2BErrorRules.Retry.BACKOFF_AT_LEAST_1S ? Duration.ofSeconds(1)
        : e.retryAfter().orElse(null);
    String message = describe(e);
    if (e.outcome() == Outcome.NOT_FOUND && !hasID) {
      message = "E2B rejected the sandbox (template '" + resource.getSpec().getTemplate() + "'): " + message;
    } else if (e.outcome() == Outcome.AUTH) {
      var ref = resource.getSpec().getCredentialsSecretRef();
      message = (ref == null ? "E2B refused the operator's API key: "
          : "E2B refused the API key from Secret " + resource.getMetadata().getNamespace() + "/" + ref.getName()
              + " (key " + ref.getApiKeyKey() + "): ") + message;
    }
    // Only a create E2B answered (no lost response) proves no sandbox exists; otherwise Creating stays, so
    // a delete still looks the sandbox up by uid.
    boolean createAnswered = e.operation() == io.neuraltrader.e2b.client.Operation.CREATE
        && e.outcome() != Outcome.OUTCOME_UNKNOWN;
    return fail(resource, rule.reason(), rule.permanent(), message, now, retryAfter, createAnswered, inputs);
  }

  private static String describe(E2BException e) {
    return e.e2bMessage().map(m -> e.operation() + " failed (" + e.status() + "): " + m).orElse(e.getMessage());
  }

  /**
   * Records a failure in status and events; returns when to try again: exponential and capped for a transient
   * failure; for a {@code permanent} one (an unknown template, refused credentials, an invalid spec), when its
   * inputs change (see {@link #inputs}) or after the long cap. A missing Secret or ConfigMap leaves a sandbox
   * never created Failed too, but looking for it again costs no E2B call, so it keeps the short backoff.
   */
  private Instant fail(E2BSandbox resource, String reason, boolean permanent, String message, Instant now,
      Duration retryAfter, boolean createAnswered, String inputsBefore) {
    ResourceID id = ResourceID.fromResource(resource);
    Retry previous = retries.get(id);
    int attempt = previous == null ? 1 : previous.attempt() + 1;
    Duration delay = settings.backoff().delay(attempt, permanent);
    if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
      delay = retryAfter;
    }
    E2BSandboxStatus status = resource.getStatus();
    Instant expires = Times.parse(status.getExpiresAt());
    if (status.getPhase() == SandboxPhase.Running && status.getSandboxID() != null && expires != null) {
      // A running sandbox's keep-alive must not lapse while waiting: the last try comes a quarter of its
      // timeout before it expires.
      Instant lastChance = expires.minusSeconds(resource.getSpec().getTimeoutSeconds() / 4);
      Instant earliest = now.plus(settings.backoff().base());
      Instant capped = lastChance.isBefore(earliest) ? earliest : lastChance;
      if (capped.isBefore(now.plus(delay))) {
        delay = Duration.between(now, capped);
      }
    }
    retries.put(id, new Retry(attempt, now.plus(delay), permanent,
        inputsBefore != null ? inputsBefore : inputs(resource, fleet.snapshot())));
    status.setLastError(reason + ": " + message);
    if (status.getSandboxID() == null && (status.getPhase() != SandboxPhase.Creating || createAnswered)) {
      status.setPhase(permanent || Reasons.MISSING_REFERENCE.contains(reason) ? SandboxPhase.Failed
          : SandboxPhase.Pending);
    }
    String next = permanent ? "not retried until the spec or a Secret or ConfigMap it references changes, or in "
        + Durations.format(delay) : "retrying in " + Durations.format(delay);
    Conditions.set(status.getConditions(), READY, false, reason, message + " (" + next + ")",
        resource.getMetadata().getGeneration(), now);
    if (attempt == 1 || Integer.bitCount(attempt) == 1) {
      events.warning(resource, reason, message);
    }
    LOG.info("{}/{}: {} (attempt {}, {})", resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(), reason, attempt, next);
    return now.plus(delay);
  }

  /** Status from what is known now ({@link SandboxStatusBuilder}), for the sandbox status names now. */
  private void refreshStatus(E2BSandbox resource, SandboxFleet.Snapshot snapshot, Instant now) {
    String id = resource.getStatus().getSandboxID();
    var facts = new SandboxStatusBuilder.Facts(snapshot.byUid(resource.getMetadata().getUid()).orElse(null),
        id == null ? null : snapshot.metric(id).orElse(null), id == null ? null : activity.stats(id).orElse(null));
    boolean wasAnomalous = Conditions.isTrue(resource.getStatus().getConditions(), ANOMALOUS);
    record(resource, SandboxStatusBuilder.build(resource.getSpec(), resource.getMetadata().getGeneration(),
        resource.getStatus(), facts, settings.cost(), now));
    var errorRate = resource.getStatus().getErrorRate();
    if (errorRate != null) {
      boolean anomalous = Boolean.TRUE.equals(errorRate.getAnomalous());
      metrics.anomaly(resource, anomalous, errorRate.getCurrentRate());
      if (anomalous && !wasAnomalous) {
        events.warning(resource, "Anomalous", "Execution error rate anomalous: "
            + Conditions.find(resource.getStatus().getConditions(), ANOMALOUS).map(c -> c.getMessage()).orElse(""));
      }
    }
  }

  private void accrueCost(E2BSandbox resource, Instant now) {
    record(resource, SandboxStatusBuilder.accrue(resource.getStatus(), settings.cost(), now));
  }

  private void record(E2BSandbox resource, SandboxStatusBuilder.Built built) {
    resource.setStatus(built.status());
    metrics.accrued(built.accruedUSD());
  }

  /**
   * Writes when something a user acts on changed (phase, conditions, health, the sandbox itself), or when the
   * stored sampled figures (usage, cost, execution counts, the keep-alive end time) are older than the sample
   * write interval: those alone change at every refresh and renewal and are kept in memory meanwhile.
   */
  private boolean shouldWrite(Written stored, E2BSandboxStatus after, Instant now) {
    if (!StatusWriter.same(SampledStatus.withoutSamples(stored.status()), SampledStatus.withoutSamples(after))) {
      return true;
    }
    if (StatusWriter.same(stored.status(), after) && stored.sampledAt() != null) {
      return false;
    }
    return stored.sampledAt() == null || !now.isBefore(stored.sampledAt().plus(settings.sampleWrite()));
  }

  @Override
  public boolean cleanup(E2BSandbox resource, Context<E2BSandbox> context) {
    E2BSandboxStatus status = resource.getStatus();
    String sandboxID = status == null ? null : status.getSandboxID();
    boolean maybeCreated = status != null && status.getPhase() == SandboxPhase.Creating;
    if (sandboxID == null && !maybeCreated) {
      // Never created: nothing to kill, no E2B call, and no credentials needed.
      forget(resource);
      return true;
    }
    ResourceID id = ResourceID.fromResource(resource);
    Retry failedKill = deleteRetries.get(id);
    if (failedKill != null && clock.instant().isBefore(failedKill.notBefore())) {
      // Another event arrived during the kill's backoff: the wakeup at its end retries.
      wakeups.wakeAt(id, failedKill.notBefore());
      return false;
    }
    try {
      killFor(resource, sandboxID);
    } catch (MissingReferenceException e) {
      // Without its credentials the sandbox cannot be reached; its E2B timeout ends it.
      events.warning(resource, e.reason(), e.getMessage() + "; the sandbox ends at its E2B timeout");
    } catch (E2BException | SandboxStillPresentException e) {
      retryKill(resource, id, failedKill, e);
      return false;
    }
    forget(resource);
    return true;
  }

  @Override
  public void forget(E2BSandbox resource) {
    metrics.forgetAnomaly(resource);
    forget(ResourceID.fromResource(resource));
    statusWriter.forget(resource.getMetadata().getUid());
  }

  /** Kills the resource's sandbox, or while a create was in flight, any sandbox tagged with its uid. */
  private void killFor(E2BSandbox resource, String sandboxID) throws MissingReferenceException {
    E2BClient client = clients.forResource(resource.getMetadata().getNamespace(),
        resource.getSpec().getCredentialsSecretRef());
    if (sandboxID != null) {
      client.kill(sandboxID);
      ensureGone(client, sandboxID);
      activity.forget(sandboxID);
      events.normal(resource, "Deleted", "Killed E2B sandbox " + sandboxID);
      return;
    }
    // A create was in flight: its sandbox, if any, is found by the uid tag.
    for (ListedSandbox s : client.listAll(SandboxTags.byUid(resource.getMetadata().getUid()),
        EnumSet.of(SandboxState.RUNNING, SandboxState.PAUSED))) {
      client.kill(s.sandboxID());
      ensureGone(client, s.sandboxID());
      events.normal(resource, "Deleted", "Killed E2B sandbox " + s.sandboxID());
    }
  }

  /** A kill failed: an event, and the finalizer stays until the retry after the backoff. */
  private void retryKill(E2BSandbox resource, ResourceID id, Retry failedKill, RuntimeException e) {
    int attempt = failedKill == null ? 1 : failedKill.attempt() + 1;
    Duration delay = settings.backoff().delay(attempt);
    String why = e instanceof E2BException e2b ? describe(e2b) : e.getMessage();
    events.warning(resource, "DeleteFailed", "Could not kill the sandbox yet: " + why
        + " (retrying in " + Durations.format(delay) + ")");
    Instant retryAt = clock.instant().plus(delay);
    deleteRetries.put(id, new Retry(attempt, retryAt, false, ""));
    // Only on the operator's clock, like every other deadline: a real-time reschedule as well would retry
    // early whenever that clock is not the system clock, and twice when it is.
    wakeups.wakeAt(id, retryAt);
  }

  private void forget(ResourceID id) {
    sampled.forget(id);
    afterStatusWrite.remove(id);
    retries.remove(id);
    deleteRetries.remove(id);
    actedAt.remove(id);
    wakeups.cancel(id);
  }

  /** Verifies E2B no longer has the sandbox; a sandbox still there fails the cleanup (retried). */
  private static void ensureGone(E2BClient client, String sandboxID) {
    try {
      client.get(sandboxID);
    } catch (NotFoundException gone) {
      return;
    }
    throw new SandboxStillPresentException(sandboxID);
  }

  /** Kill was accepted but E2B still has the sandbox. */
  static final class SandboxStillPresentException extends RuntimeException {
    SandboxStillPresentException(String sandboxID) {
      super("sandbox " + sandboxID + " still exists after kill");
    }
  }
}
