package io.neuraltrader.e2b.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.AgentSandboxSource;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.HttpMarketData;
import io.neuraltrader.e2b.api.v1alpha1.MarketDataType;
import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.client.ConflictException;
import io.neuraltrader.e2b.client.ConnectResult;
import io.neuraltrader.e2b.client.E2BClient;
import io.neuraltrader.e2b.client.E2BException;
import io.neuraltrader.e2b.client.SandboxEndpoint;
import io.neuraltrader.e2b.client.SandboxNotFoundException;
import io.neuraltrader.e2b.observability.EventRecorder;
import io.neuraltrader.e2b.pool.PoolClaims;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.InlineFinalizer;
import io.neuraltrader.e2b.reconcile.StatusWriter;
import io.neuraltrader.e2b.reconcile.WakeupEventSource;
import io.neuraltrader.e2b.schedule.MarketCalendar;
import io.neuraltrader.e2b.schedule.MarketCalendars;
import io.neuraltrader.e2b.shared.E2BClients;
import io.neuraltrader.e2b.shared.MissingReferenceException;
import io.neuraltrader.e2b.shared.ReferenceResolver;
import io.neuraltrader.e2b.shared.SandboxActivity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a trading agent: validates its spec, obtains a sandbox (a pool claim, an existing E2BSandbox, or one of
 * its own), deploys the strategy once, then runs one tick per interval on the operator's clock (a scheduled
 * wakeup, not a sleeping thread). After each tick the state goes to ConfigMap {@code <agent>-state} and the
 * portfolio, signals and performance to status. Each reconcile observes, lets {@link AgentPlanner} decide,
 * acts on the plan and fills status through {@link AgentStatusBuilder}.
 */
// The finalizer is handled in the reconcile (InlineFinalizer): a claim does not wait for a finalizer-only round trip.
@ControllerConfiguration(name = "tradingagent", triggerReconcilerOnAllEvents = true)
public class AgentReconciler implements Reconciler<TradingAgent>, InlineFinalizer.Controller<TradingAgent> {
  private static final Logger LOG = LoggerFactory.getLogger(AgentReconciler.class);

  private final KubernetesClient kube;
  private final E2BClients clients;
  private final ReferenceResolver references;
  private final PoolClaims claims;
  private final StrategyRunner runner;
  private final AgentStateStore states;
  private final SandboxActivity activity;
  private final EventRecorder events;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final StatusWriter statusWriter;
  private final AgentHealthActions health;
  /** The last state written per agent uid, with the run count it belongs to: saves a read per tick. */
  private final Map<String, CachedState> lastState = new ConcurrentHashMap<>();
  private final SandboxInterest interest = new SandboxInterest();
  private final WakeupEventSource<TradingAgent> wakeups;
  private final InlineFinalizer<TradingAgent> finalizer;

  private record CachedState(long runs, JsonNode state) {}

  /**
   * What one reconcile sees, gathered once before any change: the spec's problems, the market session, and
   * the sandbox the spec names (a referenced one, or the agent's own; null for a pool or an invalid spec).
   */
  private record Observation(Long generation, Instant now, List<String> problems, AgentPlanner.Market market,
      E2BSandbox named) {}

  /** The sandbox the sandbox step ended with (null: none), or why there is none. */
  private record Acquired(E2BSandbox sandbox, String error) {
    static final Acquired NONE = new Acquired(null, null);

    boolean ready() {
      return sandbox != null && sandbox.getStatus() != null && sandbox.getStatus().getSandboxID() != null
          && (sandbox.getStatus().getPhase() == SandboxPhase.Running
              || sandbox.getStatus().getPhase() == SandboxPhase.Paused);
    }
  }

  /** A tick's result and the run count it brings the agent to. */
  private record Ticked(TickResult result, long runs) {}

  public AgentReconciler(KubernetesClient kube, E2BClients clients, ReferenceResolver references, PoolClaims claims,
      StrategyRunner runner, AgentStateStore states, SandboxActivity activity, EventRecorder events,
      AgentMetrics metrics, Clock clock) {
    this.kube = kube;
    this.clients = clients;
    this.references = references;
    this.claims = claims;
    this.runner = runner;
    this.states = states;
    this.activity = activity;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.statusWriter = new StatusWriter(kube);
    this.health = new AgentHealthActions(clients, activity, runner, events, metrics.anomalies());
    this.wakeups = new WakeupEventSource<>("agent-wakeups", clock, Duration.ofMillis(100));
    this.finalizer = new InlineFinalizer<>(kube, ApiConstants.FINALIZER);
  }

  @Override
  public List<EventSource<?, TradingAgent>> prepareEventSources(EventSourceContext<TradingAgent> context) {
    InformerEventSourceConfiguration<E2BSandbox> sandboxes = InformerEventSourceConfiguration
        .from(E2BSandbox.class, TradingAgent.class)
        .withName("agent-sandboxes")
        .withSecondaryToPrimaryMapper(interest::agentsFor)
        .build();
    return List.of(new InformerEventSource<>(sandboxes, context), wakeups);
  }

  @Override
  public UpdateControl<TradingAgent> reconcile(TradingAgent agent, Context<TradingAgent> context) {
    return finalizer.reconcile(agent, context, this);
  }

  @Override
  public UpdateControl<TradingAgent> work(TradingAgent agent, Context<TradingAgent> context) {
    // An informer view older than our own last status write would run the same tick twice.
    statusWriter.latest(agent, TradingAgentStatus::new);
    TradingAgentStatus before = StatusWriter.copy(agent.getStatus());
    Observation seen = observe(agent);
    agent.getStatus().setObservedGeneration(seen.generation());
    AgentPlanner.Plan plan = AgentPlanner.plan(agent.getSpec(), agent.getStatus(), seen.generation(),
        seen.problems(), seen.market(), seen.now());
    Instant wake = plan.invalid() ? rejectSpec(agent, before, plan, seen) : act(agent, seen, plan);
    if (wake != null) {
      wakeups.wakeAt(ResourceID.fromResource(agent), wake);
    }
    if (!StatusWriter.same(before, agent.getStatus())) {
      statusWriter.write(agent);
    }
    return UpdateControl.noUpdate();
  }

  private Observation observe(TradingAgent agent) {
    Instant now = clock.instant();
    TradingAgentSpec spec = agent.getSpec();
    List<String> problems = AgentValidator.validate(spec);
    if (!problems.isEmpty()) {
      return new Observation(agent.getMetadata().getGeneration(), now, problems, null, null);
    }
    MarketCalendar calendar = spec.getMarketHours() == null ? null
        : MarketCalendars.byName(spec.getMarketHours().getCalendar().name());
    return new Observation(agent.getMetadata().getGeneration(), now, problems, AgentPlanner.market(calendar, now),
        namedSandbox(agent));
  }

  /** The referenced sandbox or the agent's own, as stored now; null for a pool or when there is none. */
  private E2BSandbox namedSandbox(TradingAgent agent) {
    AgentSandboxSource source = agent.getSpec().getSandbox();
    String namespace = agent.getMetadata().getNamespace();
    String name = source.getSandboxRef() != null ? source.getSandboxRef().getName()
        : source.getPoolRef() == null ? AgentSandboxTemplate.name(agent) : null;
    if (name == null) {
      return null;
    }
    if (source.getSandboxRef() != null) {
      // Register before looking, so the sandbox's next change wakes this agent.
      interest.referencing(namespace, name, ResourceID.fromResource(agent));
    }
    return kube.resources(E2BSandbox.class).inNamespace(namespace).withName(name).get();
  }

  private Instant rejectSpec(TradingAgent agent, TradingAgentStatus before, AgentPlanner.Plan plan, Observation seen) {
    String message = String.join("; ", plan.problems());
    AgentStatusBuilder.invalid(agent.getStatus(), seen.generation(), message, seen.now());
    if (!Reasons.INVALID_SPEC.equals(Conditions.reason(before.getConditions(), AgentStatusBuilder.READY))) {
      events.warning(agent, Reasons.INVALID_SPEC, message);
    }
    return null;
  }

  /** Executes the plan: the guardrail, the sandbox step, then the tick or the wait; returns when to wake. */
  private Instant act(TradingAgent agent, Observation seen, AgentPlanner.Plan plan) {
    TradingAgentStatus status = agent.getStatus();
    Long generation = seen.generation();
    Instant now = seen.now();
    if (plan.rearmGuardrail()) {
      AgentStatusBuilder.rearmed(status, generation, now);
      events.normal(agent, "Resumed", "Guardrail re-armed after a spec change"
          + (Boolean.TRUE.equals(agent.getSpec().getSuspend()) ? " (still suspended by spec.suspend)" : "; ticks resume"));
    }
    if (plan.sandbox() == AgentPlanner.SandboxStep.RELEASE) {
      releaseSandbox(agent);
    }
    Acquired acquired = plan.sandbox() == AgentPlanner.SandboxStep.ACQUIRE ? acquire(agent, seen) : Acquired.NONE;
    AgentPlanner.Decision decision = AgentPlanner.withSandbox(plan.decision(), acquired.ready(), now);
    if (decision.action() == AgentPlanner.Action.TICK && newlyClaimed(agent, acquired)) {
      // The claim is its own step: the binding is written now and the tick (strategy deployment, the first
      // execution) follows in a reconcile of its own right after, so a claimer never waits behind it.
      AgentStatusBuilder.sandboxReady(status, generation, acquired.sandbox().getMetadata().getName(),
          acquired.sandbox().getStatus().getSandboxID(), now);
      AgentStatusBuilder.waiting(status, now);
      wakeups.wakeNow(ResourceID.fromResource(agent));
      return null;
    }
    Instant wake = decision.wakeAt();
    switch (decision.action()) {
      case SUSPENDED -> {
        if (status.getPhase() != AgentPhase.Suspended && !plan.guardrailTripped()) {
          events.normal(agent, "Suspended", "Ticks stopped (spec.suspend: true)");
        }
        AgentStatusBuilder.suspended(status, generation, plan.guardrailTripped(), now);
      }
      case OUTSIDE_MARKET_HOURS -> AgentStatusBuilder.outsideMarketHours(status, generation,
          plan.market().nextOpen(), now);
      case WAIT_FOR_SANDBOX -> AgentStatusBuilder.waitingForSandbox(status, generation, waiting(agent, acquired), now);
      case TICK -> wake = tick(agent, acquired.sandbox(), plan.interval(), now);
      case WAIT -> AgentStatusBuilder.waiting(status, decision.wakeAt());
    }
    if (acquired.ready()) {
      AgentStatusBuilder.sandboxReady(status, generation, acquired.sandbox().getMetadata().getName(),
          acquired.sandbox().getStatus().getSandboxID(), now);
    }
    return wake;
  }

  /** A pool member this reconcile bound (the status does not name it yet). */
  private static boolean newlyClaimed(TradingAgent agent, Acquired acquired) {
    return acquired.ready() && agent.getSpec().getSandbox().getPoolRef() != null
        && !acquired.sandbox().getMetadata().getName().equals(agent.getStatus().getSandboxRef());
  }

  /** Why there is no usable sandbox yet, as a condition reason and a message naming what is missing. */
  private AgentStatusBuilder.Waiting waiting(TradingAgent agent, Acquired acquired) {
    AgentSandboxSource source = agent.getSpec().getSandbox();
    E2BSandbox sandbox = acquired.sandbox();
    if (acquired.error() != null) {
      return new AgentStatusBuilder.Waiting("SandboxUnavailable", "cannot obtain a sandbox: " + acquired.error());
    }
    if (sandbox != null) {
      return new AgentStatusBuilder.Waiting("SandboxNotReady", "sandbox " + sandbox.getMetadata().getName() + " is "
          + (sandbox.getStatus() == null || sandbox.getStatus().getPhase() == null ? "Pending"
              : sandbox.getStatus().getPhase()));
    }
    if (source.getPoolRef() != null) {
      String pool = source.getPoolRef().getName();
      SandboxPool p = kube.resources(SandboxPool.class).inNamespace(agent.getMetadata().getNamespace())
          .withName(pool).get();
      return p == null
          ? new AgentStatusBuilder.Waiting("PoolNotFound", "SandboxPool " + pool + " does not exist; waiting for it")
          : new AgentStatusBuilder.Waiting("NoWarmSandbox", "no warm Running member in pool " + pool + " yet");
    }
    if (source.getSandboxRef() != null) {
      return new AgentStatusBuilder.Waiting("SandboxNotFound",
          "E2BSandbox " + source.getSandboxRef().getName() + " does not exist");
    }
    return new AgentStatusBuilder.Waiting("CreatingSandbox", "creating the agent's sandbox");
  }

  /** The sandbox step: the referenced sandbox, a claimed pool member, or the own sandbox as desired. */
  private Acquired acquire(TradingAgent agent, Observation seen) {
    AgentSandboxSource source = agent.getSpec().getSandbox();
    try {
      if (source.getSandboxRef() != null) {
        return new Acquired(seen.named(), null);
      }
      if (source.getPoolRef() != null) {
        return new Acquired(claim(agent, source.getPoolRef().getName()).orElse(null), null);
      }
      return new Acquired(ensureOwn(agent, seen.named()), null);
    } catch (E2BException | KubernetesClientException e) {
      LOG.warn("{}/{}: cannot obtain a sandbox: {}", agent.getMetadata().getNamespace(), agent.getMetadata().getName(),
          e.getMessage());
      return new Acquired(null, e.getMessage());
    }
  }

  private Optional<E2BSandbox> claim(TradingAgent agent, String pool) {
    String namespace = agent.getMetadata().getNamespace();
    ResourceID self = ResourceID.fromResource(agent);
    String held = agent.getStatus().getSandboxRef();
    // Register before looking: a member that turns Running between the look and a later registration
    // would otherwise wake nobody (the sandbox-poll fallback only fires when the clock moves).
    interest.waitForPool(namespace, pool, self);
    Optional<E2BSandbox> member = claims.claim(namespace, pool, agent);
    if (member.isPresent()) {
      interest.stopWaiting(namespace, pool, self);
    }
    member.filter(m -> held == null || !m.getMetadata().getName().equals(held))
        .ifPresent(m -> events.normal(agent, "SandboxClaimed", "Claimed warm sandbox " + m.getMetadata().getName()
            + " from pool " + pool));
    return member;
  }

  /** Creates the agent's own sandbox, or brings an existing one to the desired spec. */
  private E2BSandbox ensureOwn(TradingAgent agent, E2BSandbox existing) {
    E2BSandbox wanted = AgentSandboxTemplate.desired(agent);
    if (existing == null) {
      events.normal(agent, "SandboxCreated", "Created E2BSandbox " + wanted.getMetadata().getName() + " for the agent");
      return kube.resource(wanted).create();
    }
    if (!StatusWriter.same(existing.getSpec(), wanted.getSpec())) {
      existing.setSpec(wanted.getSpec());
      return kube.resource(existing).update();
    }
    return existing;
  }

  /**
   * Runs one tick, then the error-rate verdict and sandbox remediation ({@link AgentHealthActions}) unless a
   * guardrail suspended the agent; returns when to wake next (null: suspended).
   */
  private Instant tick(TradingAgent agent, E2BSandbox sandbox, Duration interval, Instant now) {
    long started = System.nanoTime();
    Instant next;
    try {
      Ticked ticked = execute(agent, sandbox, now);
      next = succeeded(agent, ticked, interval, Duration.ofNanos(System.nanoTime() - started).toMillis(), now);
    } catch (TickFailedException | MissingReferenceException | RuntimeException e) {
      next = failed(agent, TickFailure.of(e, sandbox.getStatus().getSandboxID()), sandbox, interval, now);
    }
    if (next != null) {
      health.afterTick(agent, sandbox, now);
    }
    return next;
  }

  /** Deploys the strategy when needed, executes one tick in the sandbox, and persists the resulting state. */
  private Ticked execute(TradingAgent agent, E2BSandbox sandbox, Instant now)
      throws TickFailedException, MissingReferenceException {
    TradingAgentSpec spec = agent.getSpec();
    String namespace = agent.getMetadata().getNamespace();
    String uid = agent.getMetadata().getUid();
    String sandboxID = sandbox.getStatus().getSandboxID();
    E2BClient client = clients.forResource(namespace, sandbox.getSpec().getCredentialsSecretRef());
    SandboxEndpoint endpoint = endpoint(client, sandbox);
    String code = code(agent);
    boolean redeploy = runner.needsDeploy(uid, sandboxID, code);
    JsonNode state = state(agent);
    long tickNo = AgentPlanner.tickNumber(agent.getStatus().getRuns() == null ? 0 : agent.getStatus().getRuns(),
        state);
    String csv = spec.getMarketData().getType() == MarketDataType.configMap
        ? references.configMapKey(namespace, spec.getMarketData().getConfigMapRef(), "marketData.configMapRef")
        : null;
    String input = AgentInputs.build(agent, spec.getSymbols(), csv, httpHeaders(agent), tickNo, now, state)
        .toString();
    TickResult result = runner.tick(uid, client, endpoint, code, input);
    if (redeploy) {
      events.normal(agent, "StrategyDeployed", "Deployed " + spec.getStrategy() + " into sandbox " + sandboxID
          + (state == null ? "" : " and restored its state from ConfigMap " + AgentStateStore.name(agent)
              + " (tick " + tickNo + ")"));
    }
    if (spec.getStatePersistence() == null || !Boolean.FALSE.equals(spec.getStatePersistence().getEnabled())) {
      states.write(agent, result.state(), result.tick() + 1);
    }
    lastState.put(uid, new CachedState(tickNo + 1, result.state()));
    return new Ticked(result, tickNo + 1);
  }

  /** Records a successful tick and checks the guardrails on its performance; returns when to tick next. */
  private Instant succeeded(TradingAgent agent, Ticked ticked, Duration interval, long durationMs, Instant now) {
    TradingAgentStatus status = agent.getStatus();
    Long generation = agent.getMetadata().getGeneration();
    String namespace = agent.getMetadata().getNamespace();
    String name = agent.getMetadata().getName();
    Instant next = AgentPlanner.nextRun(now, interval, 0);
    AgentStatusBuilder.ticked(status, generation, agent.getSpec().getCapital(), ticked.result(), ticked.runs(),
        durationMs, next, now);
    metrics.portfolio(namespace, name, status.getEquity(), status.getPnl());
    metrics.run(namespace, name, "success");
    Optional<String> trip = AgentPlanner.guardrailTrip(agent.getSpec().getGuardrails(), status.getPerformance());
    if (trip.isEmpty()) {
      return next;
    }
    AgentStatusBuilder.tripped(status, generation, trip.get(), now);
    events.warning(agent, AgentStatusBuilder.GUARDRAIL, trip.get());
    releaseSandbox(agent);
    return null; // suspended: no next tick until the spec changes
  }

  /** Records a failed tick: condition, event (on the 1st, 2nd, 4th, ... in a row) and backoff in one place. */
  private Instant failed(TradingAgent agent, TickFailure failure, E2BSandbox sandbox, Duration interval,
      Instant now) {
    if (failure.sandboxGone()) {
      activity.reportGone(sandbox.getStatus().getSandboxID(), now);
    }
    Instant next = AgentStatusBuilder.failed(agent.getStatus(), agent.getMetadata().getGeneration(), failure,
        interval, now);
    metrics.run(agent.getMetadata().getNamespace(), agent.getMetadata().getName(), "failure");
    if (TickFailure.worthAnEvent(agent.getStatus().getConsecutiveFailures())) {
      events.warning(agent, failure.reason(), failure.message());
    }
    return next;
  }

  /**
   * Gives back every pool member this agent holds (found by its claim, so a spec that changed since the
   * claim, or one that never validated, still releases it); an owned sandbox is paused instead.
   */
  private void releaseSandbox(TradingAgent agent) {
    String namespace = agent.getMetadata().getNamespace();
    boolean released = false;
    for (E2BSandbox m : kube.resources(E2BSandbox.class).inNamespace(namespace)
        .withLabel(ApiConstants.LABEL_POOL_STATE, ApiConstants.POOL_STATE_CLAIMED).list().getItems()) {
      if (m.getSpec().getClaimRef() == null || !agent.getMetadata().getUid().equals(m.getSpec().getClaimRef().getUid())) {
        continue;
      }
      forgetDeployment(agent, m);
      claims.release(m, claims.policyOf(m));
      released = true;
      events.normal(agent, "SandboxReleased", "Gave sandbox " + m.getMetadata().getName() + " back to pool "
          + m.getMetadata().getLabels().get(ApiConstants.LABEL_POOL));
    }
    if (released && agent.getStatus() != null) {
      AgentStatusBuilder.released(agent.getStatus());
    }
    AgentSandboxSource source = agent.getSpec().getSandbox();
    if (source != null && source.getTemplate() != null) {
      E2BSandbox own = kube.resources(E2BSandbox.class).inNamespace(namespace)
          .withName(AgentSandboxTemplate.name(agent)).get();
      if (own != null && !Boolean.TRUE.equals(own.getSpec().getPaused())) {
        own.getSpec().setPaused(true);
        kube.resource(own).update();
      }
    }
  }

  private void forgetDeployment(TradingAgent agent, E2BSandbox sandbox) {
    if (sandbox.getStatus() == null || sandbox.getStatus().getSandboxID() == null) {
      runner.forget(agent.getMetadata().getUid(), null, null);
      return;
    }
    try {
      E2BClient client = clients.forResource(agent.getMetadata().getNamespace(),
          sandbox.getSpec().getCredentialsSecretRef());
      runner.forget(agent.getMetadata().getUid(), client, endpoint(client, sandbox));
    } catch (MissingReferenceException | E2BException e) {
      runner.forget(agent.getMetadata().getUid(), null, null);
    }
  }

  /** Where to execute: the sandbox's id, domain and tokens (resuming an idle-paused sandbox). */
  private SandboxEndpoint endpoint(E2BClient client, E2BSandbox sandbox) {
    String id = sandbox.getStatus().getSandboxID();
    Optional<SandboxActivity.Access> access = activity.access(id);
    boolean paused = sandbox.getStatus().getPhase() == SandboxPhase.Paused;
    if (paused || access.isEmpty()) {
      // connect resumes a paused sandbox and, after an operator restart, returns the tokens again (GET does
      // not carry the traffic token of a sandbox without public traffic).
      ConnectResult connected;
      try {
        connected = client.connect(id, sandbox.getSpec().getTimeoutSeconds());
      } catch (ConflictException beingKilled) {
        // Connect answers 409 only while E2B kills the sandbox: it is as good as gone.
        throw new SandboxNotFoundException(beingKilled.details(), beingKilled);
      }
      activity.rememberAccess(connected.sandbox());
      access = activity.access(id);
    }
    return new SandboxEndpoint(id, sandbox.getStatus().getDomain(),
        access.map(SandboxActivity.Access::envdAccessToken).orElse(null),
        access.map(SandboxActivity.Access::trafficAccessToken).orElse(null));
  }

  private String code(TradingAgent agent) throws MissingReferenceException {
    if (agent.getSpec().getStrategy() == Strategy.custom) {
      return StrategyCode.custom(references.configMapKey(agent.getMetadata().getNamespace(),
          agent.getSpec().getCode().getConfigMapRef(), "code.configMapRef"));
    }
    return StrategyCode.shipped(agent.getSpec().getStrategy());
  }

  private JsonNode state(TradingAgent agent) {
    long runs = agent.getStatus().getRuns() == null ? 0 : agent.getStatus().getRuns();
    CachedState cached = lastState.get(agent.getMetadata().getUid());
    if (cached != null && cached.runs() == runs) {
      return cached.state();
    }
    if (agent.getSpec().getStatePersistence() != null
        && Boolean.FALSE.equals(agent.getSpec().getStatePersistence().getEnabled())) {
      return null;
    }
    return states.read(agent).orElse(null);
  }

  private Map<String, String> httpHeaders(TradingAgent agent) throws MissingReferenceException {
    HttpMarketData http = agent.getSpec().getMarketData().getHttp();
    if (agent.getSpec().getMarketData().getType() != MarketDataType.http || http.getSecretRef() == null) {
      return Map.of();
    }
    return Map.of(http.getHeaderName(), references.secretKey(agent.getMetadata().getNamespace(), http.getSecretRef(),
        "marketData.http.secretRef"));
  }

  @Override
  public boolean cleanup(TradingAgent agent, Context<TradingAgent> context) {
    String namespace = agent.getMetadata().getNamespace();
    try {
      releaseSandbox(agent);
    } catch (KubernetesClientException e) {
      LOG.warn("{}/{}: releasing the sandbox failed: {}", namespace, agent.getMetadata().getName(), e.getMessage());
    }
    // Owned children go with the agent (also where there is no garbage collector, as in local mode).
    kube.resources(E2BSandbox.class).inNamespace(namespace).withName(AgentSandboxTemplate.name(agent)).delete();
    states.delete(agent);
    forget(agent);
    return true;
  }

  @Override
  public void forget(TradingAgent agent) {
    runner.forget(agent.getMetadata().getUid(), null, null);
    lastState.remove(agent.getMetadata().getUid());
    metrics.forget(agent.getMetadata().getNamespace(), agent.getMetadata().getName());
    health.forget(agent);
    interest.forget(ResourceID.fromResource(agent));
    wakeups.cancel(ResourceID.fromResource(agent));
    statusWriter.forget(agent.getMetadata().getUid());
  }
}
