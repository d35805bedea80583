package io.neuraltrader.e2b.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.AgentSandboxSource;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.HttpMarketData;
import io.neuraltrader.e2b.api.v1alpha1.MarketDataType;
import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.client.ConnectResult;
import io.neuraltrader.e2b.client.E2BClient;
import io.neuraltrader.e2b.client.ConflictException;
import io.neuraltrader.e2b.client.E2BException;
import io.neuraltrader.e2b.client.SandboxEndpoint;
import io.neuraltrader.e2b.client.SandboxNotFoundException;
import io.neuraltrader.e2b.observability.EventRecorder;
import io.neuraltrader.e2b.pool.PoolClaims;
import io.neuraltrader.e2b.reconcile.ChildMetadata;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.StatusWriter;
import io.neuraltrader.e2b.reconcile.Times;
import io.neuraltrader.e2b.reconcile.WakeupEventSource;
import io.neuraltrader.e2b.shared.E2BClients;
import io.neuraltrader.e2b.shared.E2BErrorRules;
import io.neuraltrader.e2b.shared.MissingReferenceException;
import io.neuraltrader.e2b.shared.ReferenceResolver;
import io.neuraltrader.e2b.shared.SandboxActivity;
import io.neuraltrader.e2b.schedule.Durations;
import io.neuraltrader.e2b.schedule.MarketCalendar;
import io.neuraltrader.e2b.schedule.MarketCalendars;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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
 * portfolio, signals and performance to status.
 */
@ControllerConfiguration(name = "tradingagent", finalizerName = ApiConstants.FINALIZER)
public class AgentReconciler implements Reconciler<TradingAgent>, Cleaner<TradingAgent> {
  private static final Logger LOG = LoggerFactory.getLogger(AgentReconciler.class);
  static final String READY = "Ready";
  static final String SANDBOX_READY = "SandboxReady";
  static final String HEALTHY = "Healthy";
  static final String GUARDRAIL = "GuardrailTripped";

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
  /** The last state written per agent uid, with the run count it belongs to: saves a read per tick. */
  private final Map<String, CachedState> lastState = new ConcurrentHashMap<>();
  /** runs + failedRuns of the last status written per agent uid: recognises a stale informer view. */
  private final Map<String, Long> written = new ConcurrentHashMap<>();
  private final SandboxInterest interest = new SandboxInterest();
  private volatile WakeupEventSource<TradingAgent> wakeups;

  private record CachedState(long runs, JsonNode state) {}

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
  }

  @Override
  public List<EventSource<?, TradingAgent>> prepareEventSources(EventSourceContext<TradingAgent> context) {
    wakeups = new WakeupEventSource<>("agent-wakeups", clock, Duration.ofMillis(100));
    InformerEventSourceConfiguration<E2BSandbox> sandboxes = InformerEventSourceConfiguration
        .from(E2BSandbox.class, TradingAgent.class)
        .withName("agent-sandboxes")
        .withSecondaryToPrimaryMapper(interest::agentsFor)
        .build();
    return List.of(new InformerEventSource<>(sandboxes, context), wakeups);
  }

  @Override
  public UpdateControl<TradingAgent> reconcile(TradingAgent agent, Context<TradingAgent> context) {
    statusWriter.latest(agent);
    if (agent.getStatus() == null) {
      agent.setStatus(new TradingAgentStatus());
    }
    if (AgentPlanner.isStale(written.get(agent.getMetadata().getUid()), agent.getStatus().getRuns(),
        agent.getStatus().getFailedRuns())) {
      // This view predates our own last status write (the informer lags behind it, e.g. when a sandbox
      // event arrives right after a tick). Acting on it would run the same tick twice or write an older
      // status over the newer one. The event of that write is status-only and filtered out, so look again
      // shortly (real time: the lag is the informer's, not the operator clock's).
      LOG.debug("{}/{}: skipping a stale view (runs {}, failedRuns {})", agent.getMetadata().getNamespace(),
          agent.getMetadata().getName(), agent.getStatus().getRuns(), agent.getStatus().getFailedRuns());
      return UpdateControl.<TradingAgent>noUpdate().rescheduleAfter(Duration.ofMillis(200));
    }
    TradingAgentStatus before = StatusWriter.copy(agent.getStatus());
    TradingAgentStatus status = agent.getStatus();
    TradingAgentSpec spec = agent.getSpec();
    Long generation = agent.getMetadata().getGeneration();
    Instant now = clock.instant();
    ResourceID id = ResourceID.fromResource(agent);
    status.setObservedGeneration(generation);

    List<String> problems = AgentValidator.validate(spec);
    if (!problems.isEmpty()) {
      String message = String.join("; ", problems);
      status.setPhase(AgentPhase.Failed);
      status.setLastError("InvalidSpec: " + message);
      Conditions.set(status.getConditions(), READY, false, Reasons.INVALID_SPEC, message, generation, now);
      if (!Reasons.INVALID_SPEC.equals(Conditions.reason(before.getConditions(), READY))) {
        events.warning(agent, Reasons.INVALID_SPEC, message);
      }
      write(agent, before);
      return UpdateControl.noUpdate();
    }
    Duration interval = Durations.parse(spec.getInterval());

    boolean tripped = Conditions.find(status.getConditions(), GUARDRAIL)
        .map(c -> Conditions.TRUE.equals(c.getStatus()) && generation.equals(c.getObservedGeneration()))
        .orElse(false);
    if (!tripped && Conditions.isTrue(status.getConditions(), GUARDRAIL)) {
      // The spec changed since the guardrail tripped: that is the documented way to resume.
      Conditions.set(status.getConditions(), GUARDRAIL, false, "SpecChanged",
          "Re-armed after a spec change", generation, now);
      events.normal(agent, "Resumed", "Guardrail re-armed after a spec change"
          + (Boolean.TRUE.equals(spec.getSuspend()) ? " (still suspended by spec.suspend)" : "; ticks resume"));
    }
    MarketCalendar calendar = spec.getMarketHours() == null ? null
        : MarketCalendars.byName(spec.getMarketHours().getCalendar().name());
    AgentPlanner.Market market = AgentPlanner.market(calendar, now);
    boolean open = market.open();
    Instant nextOpen = market.nextOpen();

    E2BSandbox sandbox = null;
    String acquireError = null;
    if (!Boolean.TRUE.equals(spec.getSuspend()) && !tripped && open) {
      try {
        sandbox = acquireSandbox(agent, now).orElse(null);
      } catch (MissingReferenceException | E2BException | io.fabric8.kubernetes.client.KubernetesClientException e) {
        acquireError = e.getMessage();
        LOG.warn("{}/{}: cannot obtain a sandbox: {}", agent.getMetadata().getNamespace(),
            agent.getMetadata().getName(), e.getMessage());
      }
    }
    boolean sandboxReady = sandbox != null && sandbox.getStatus() != null && sandbox.getStatus().getSandboxID() != null
        && (sandbox.getStatus().getPhase() == SandboxPhase.Running || sandbox.getStatus().getPhase() == SandboxPhase.Paused);
    AgentPlanner.Decision decision = AgentPlanner.decide(new AgentPlanner.Facts(
        Boolean.TRUE.equals(spec.getSuspend()), tripped, open, nextOpen, sandboxReady,
        Times.parse(status.getLastRunAt()), interval, nz(status.getConsecutiveFailures()),
        Times.parse(status.getNextRunAt()), now));

    Instant wake = decision.wakeAt();
    switch (decision.action()) {
      case SUSPENDED -> suspend(agent, tripped, now);
      case OUTSIDE_MARKET_HOURS -> {
        status.setPhase(AgentPhase.OutsideMarketHours);
        status.setNextRunAt(Times.format(nextOpen));
        Conditions.set(status.getConditions(), READY, true, "OutsideMarketHours",
            "Market closed; next session opens " + Times.format(nextOpen), generation, now);
      }
      case WAIT_FOR_SANDBOX -> {
        status.setPhase(AgentPhase.WaitingForSandbox);
        Waiting why = waiting(agent, sandbox, acquireError);
        Conditions.set(status.getConditions(), SANDBOX_READY, false, why.reason(), why.message(), generation, now);
        Conditions.set(status.getConditions(), READY, false, "WaitingForSandbox", why.message(), generation, now);
      }
      case TICK -> {
        wake = tick(agent, sandbox, interval, now);
      }
      case WAIT -> {
        status.setPhase(AgentPhase.Running);
        status.setNextRunAt(Times.format(decision.wakeAt()));
      }
    }
    if (sandbox != null && sandboxReady) {
      status.setSandboxRef(sandbox.getMetadata().getName());
      status.setSandboxID(sandbox.getStatus().getSandboxID());
      Conditions.set(status.getConditions(), SANDBOX_READY, true, "Running",
          "Sandbox " + sandbox.getMetadata().getName() + " (" + sandbox.getStatus().getSandboxID() + ")",
          generation, now);
    }
    if (wake != null) {
      wakeups.wakeAt(id, wake);
    }
    write(agent, before);
    written.put(agent.getMetadata().getUid(), AgentPlanner.attempts(status.getRuns(), status.getFailedRuns()));
    return UpdateControl.noUpdate();
  }

  private record Waiting(String reason, String message) {}

  /** Why there is no usable sandbox yet, as a condition reason and a message naming what is missing. */
  private Waiting waiting(TradingAgent agent, E2BSandbox sandbox, String acquireError) {
    AgentSandboxSource source = agent.getSpec().getSandbox();
    if (acquireError != null) {
      return new Waiting("SandboxUnavailable", "cannot obtain a sandbox: " + acquireError);
    }
    if (sandbox != null) {
      return new Waiting("SandboxNotReady", "sandbox " + sandbox.getMetadata().getName() + " is "
          + (sandbox.getStatus() == null || sandbox.getStatus().getPhase() == null ? "Pending"
              : sandbox.getStatus().getPhase()));
    }
    if (source.getPoolRef() != null) {
      String pool = source.getPoolRef().getName();
      SandboxPool p = kube.resources(SandboxPool.class).inNamespace(agent.getMetadata().getNamespace())
          .withName(pool).get();
      if (p == null) {
        return new Waiting("PoolNotFound", "SandboxPool " + pool + " does not exist; waiting for it");
      }
      return new Waiting("NoWarmSandbox", "no warm Running member in pool " + pool + " yet");
    }
    if (source.getSandboxRef() != null) {
      return new Waiting("SandboxNotFound", "E2BSandbox " + source.getSandboxRef().getName() + " does not exist");
    }
    return new Waiting("CreatingSandbox", "creating the agent's sandbox");
  }

  /** The sandbox the agent runs in, creating or claiming it when needed; empty while there is none. */
  private Optional<E2BSandbox> acquireSandbox(TradingAgent agent, Instant now) throws MissingReferenceException {
    AgentSandboxSource source = agent.getSpec().getSandbox();
    String namespace = agent.getMetadata().getNamespace();
    ResourceID self = ResourceID.fromResource(agent);
    if (source.getSandboxRef() != null) {
      interest.referencing(namespace, source.getSandboxRef().getName(), self);
      return Optional.ofNullable(kube.resources(E2BSandbox.class).inNamespace(namespace)
          .withName(source.getSandboxRef().getName()).get());
    }
    if (source.getPoolRef() != null) {
      boolean hadOne = agent.getStatus().getSandboxRef() != null;
      // Register before looking: a member that turns Running between the look and a later registration
      // would otherwise wake nobody (the sandbox-poll fallback only fires when the clock moves).
      interest.waitForPool(namespace, source.getPoolRef().getName(), self);
      Optional<E2BSandbox> member = claims.claim(namespace, source.getPoolRef().getName(), agent);
      if (member.isPresent()) {
        interest.stopWaiting(namespace, source.getPoolRef().getName(), self);
      }
      member.filter(m -> !hadOne || !m.getMetadata().getName().equals(agent.getStatus().getSandboxRef()))
          .ifPresent(m -> events.normal(agent, "SandboxClaimed", "Claimed warm sandbox " + m.getMetadata().getName()
              + " from pool " + source.getPoolRef().getName()));
      return member;
    }
    return Optional.of(ownSandbox(agent, source.getTemplate()));
  }

  private E2BSandbox ownSandbox(TradingAgent agent, E2BSandboxSpec template) {
    String name = agent.getMetadata().getName() + "-sandbox";
    String namespace = agent.getMetadata().getNamespace();
    E2BSandbox existing = kube.resources(E2BSandbox.class).inNamespace(namespace).withName(name).get();
    E2BSandboxSpec wanted = StatusWriter.copy(template);
    wanted.setPaused(false);
    if (existing != null) {
      if (!StatusWriter.same(existing.getSpec(), wanted)) {
        existing.setSpec(wanted);
        return kube.resource(existing).update();
      }
      return existing;
    }
    E2BSandbox sandbox = new E2BSandbox();
    Map<String, String> labels = new LinkedHashMap<>(ChildMetadata.withoutTracking(agent.getMetadata().getLabels()));
    labels.put(ApiConstants.LABEL_AGENT, agent.getMetadata().getName());
    labels.put(ApiConstants.LABEL_MANAGED_BY, ApiConstants.MANAGED_BY_VALUE);
    sandbox.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels)
        .withOwnerReferences(ChildMetadata.ownerReference(agent, true)).build());
    sandbox.setSpec(wanted);
    events.normal(agent, "SandboxCreated", "Created E2BSandbox " + name + " for the agent");
    return kube.resource(sandbox).create();
  }

  /** Runs one tick; returns when to wake next. */
  private Instant tick(TradingAgent agent, E2BSandbox sandbox, Duration interval, Instant now) {
    TradingAgentStatus status = agent.getStatus();
    TradingAgentSpec spec = agent.getSpec();
    Long generation = agent.getMetadata().getGeneration();
    String namespace = agent.getMetadata().getNamespace();
    String name = agent.getMetadata().getName();
    String sandboxID = sandbox.getStatus().getSandboxID();
    long started = System.nanoTime();
    try {
      E2BClient client = clients.forResource(namespace, sandbox.getSpec().getCredentialsSecretRef());
      SandboxEndpoint endpoint = endpoint(client, sandbox);
      String code = code(agent);
      boolean redeploy = runner.needsDeploy(agent.getMetadata().getUid(), sandboxID, code);
      JsonNode state = state(agent);
      long runs = status.getRuns() == null ? 0 : status.getRuns();
      long tickNo = AgentPlanner.tickNumber(runs, state);
      String csv = spec.getMarketData().getType() == MarketDataType.configMap
          ? references.configMapKey(namespace, spec.getMarketData().getConfigMapRef(), "marketData.configMapRef")
          : null;
      String input = AgentInputs.build(agent, spec.getSymbols(), csv, httpHeaders(agent), tickNo, now, state)
          .toString();
      TickResult result = runner.tick(agent.getMetadata().getUid(), client, endpoint, code, input);
      if (redeploy) {
        events.normal(agent, "StrategyDeployed", "Deployed " + spec.getStrategy() + " into sandbox " + sandboxID
            + (state == null ? "" : " and restored its state from ConfigMap " + AgentStateStore.name(agent)
                + " (tick " + tickNo + ")"));
      }
      long newRuns = tickNo + 1;
      if (spec.getStatePersistence() == null || !Boolean.FALSE.equals(spec.getStatePersistence().getEnabled())) {
        states.write(agent, result.state(), result.tick() + 1);
      }
      lastState.put(agent.getMetadata().getUid(), new CachedState(newRuns, result.state()));
      applyResult(agent, result, now, newRuns, Duration.ofNanos(System.nanoTime() - started).toMillis());
      metrics.run(namespace, name, "success");
      if (checkGuardrails(agent, now)) {
        return null; // suspended: no next tick until the spec changes
      }
      Instant next = AgentPlanner.nextRun(now, interval, 0);
      status.setNextRunAt(Times.format(next));
      return next;
    } catch (TickFailedException e) {
      return failed(agent, Reasons.TICK_FAILED, e.getMessage(), interval, now, null);
    } catch (MissingReferenceException e) {
      return failed(agent, e.reason(), e.getMessage(), interval, now, null);
    } catch (SandboxNotFoundException e) {
      // Whether the execution or the connect said so: the sandbox reconciler confirms it now.
      activity.reportGone(sandboxID, now);
      return failed(agent, "SandboxLost", "sandbox " + sandboxID + " is gone (" + e.getMessage()
          + "); it is being recreated and the agent's state restored", interval, now, e);
    } catch (E2BException e) {
      return failed(agent, Reasons.SANDBOX_ERROR, e.outcome() + ": " + e.getMessage(), interval, now, e);
    } catch (RuntimeException e) {
      return failed(agent, "TickError", e.getClass().getSimpleName() + ": " + e.getMessage(), interval, now, null);
    } finally {
      status.setSandboxRef(sandbox.getMetadata().getName());
      status.setSandboxID(sandboxID);
      Conditions.set(status.getConditions(), SANDBOX_READY, true, "Running", "Sandbox "
          + sandbox.getMetadata().getName() + " (" + sandboxID + ")", generation, now);
    }
  }

  private void applyResult(TradingAgent agent, TickResult result, Instant now, long runs, long durationMs) {
    TradingAgentStatus status = agent.getStatus();
    Long generation = agent.getMetadata().getGeneration();
    status.setPhase(AgentPhase.Running);
    status.setRuns(runs);
    status.setConsecutiveFailures(0);
    status.setLastRunAt(Times.format(now));
    status.setLastRunDurationMs(durationMs);
    status.setSignals(result.signals());
    status.setPortfolio(result.portfolio());
    status.setPerformance(result.performance());
    double equity = result.portfolio().getEquity();
    double pnl = Math.round((equity - agent.getSpec().getCapital()) * 100) / 100.0;
    status.setEquity(equity);
    status.setPnl(pnl);
    status.setLastError(result.halted() ? "Halted: " + result.haltReason() : null);
    metrics.portfolio(agent.getMetadata().getNamespace(), agent.getMetadata().getName(), equity, pnl);
    Conditions.set(status.getConditions(), READY, true, "Running", "Tick " + runs + " done at " + Times.format(now),
        generation, now);
    if (result.halted()) {
      Conditions.set(status.getConditions(), HEALTHY, false, "DrawdownHalt", result.haltReason(), generation, now);
    } else {
      Conditions.set(status.getConditions(), HEALTHY, true, "TicksSucceeding", "", generation, now);
    }
  }

  /**
   * Records a failed tick; returns when to try again. A failure of E2B's service ({@code e2b} not null and not
   * a refusal of the request itself) retries on the short sandbox backoff; any other failure (the strategy
   * raised, a reference is missing, E2B refused the request) on the strategy backoff.
   */
  private Instant failed(TradingAgent agent, String reason, String message, Duration interval, Instant now,
      E2BException e2b) {
    TradingAgentStatus status = agent.getStatus();
    Long generation = agent.getMetadata().getGeneration();
    int failures = nz(status.getConsecutiveFailures()) + 1;
    status.setConsecutiveFailures(failures);
    status.setFailedRuns((status.getFailedRuns() == null ? 0 : status.getFailedRuns()) + 1);
    status.setLastRunAt(Times.format(now));
    status.setLastError(reason + ": " + message);
    status.setPhase(AgentPhase.Running);
    // The same classification as the sandbox controller's: only E2B's refusals are permanent.
    boolean serviceFailure = e2b != null && !E2BErrorRules.of(e2b.outcome(), true).permanent();
    Instant next = serviceFailure
        ? AgentPlanner.retryAfterServiceFailure(now, interval, failures, e2b.retryAfter().orElse(null))
        : AgentPlanner.nextRun(now, interval, failures);
    status.setNextRunAt(Times.format(next));
    Conditions.set(status.getConditions(), HEALTHY, false, reason,
        message + " (" + failures + " in a row; next try " + Times.format(next) + ")", generation, now);
    metrics.run(agent.getMetadata().getNamespace(), agent.getMetadata().getName(), "failure");
    if (failures == 1 || Integer.bitCount(failures) == 1) {
      events.warning(agent, reason, message);
    }
    return next;
  }

  /** Suspends the agent when its guardrails trip; true when they did. */
  private boolean checkGuardrails(TradingAgent agent, Instant now) {
    var rails = agent.getSpec().getGuardrails();
    var perf = agent.getStatus().getPerformance();
    if (rails == null || perf == null || perf.getTrades() == null || perf.getTrades() < rails.getMinTrades()) {
      return false;
    }
    if (perf.getWinRate() < rails.getMinWinRate()) {
      String message = "win rate " + String.format("%.2f", perf.getWinRate()) + " below " + rails.getMinWinRate()
          + " after " + perf.getTrades() + " trades; agent suspended (edit the spec to resume)";
      Conditions.set(agent.getStatus().getConditions(), GUARDRAIL, true, "MinWinRate", message,
          agent.getMetadata().getGeneration(), now);
      events.warning(agent, "GuardrailTripped", message);
      suspend(agent, true, now);
      return true;
    }
    return false;
  }

  private void suspend(TradingAgent agent, boolean guardrail, Instant now) {
    TradingAgentStatus status = agent.getStatus();
    Long generation = agent.getMetadata().getGeneration();
    boolean wasSuspended = status.getPhase() == AgentPhase.Suspended;
    status.setPhase(AgentPhase.Suspended);
    status.setNextRunAt(null);
    Conditions.set(status.getConditions(), READY, false, guardrail ? GUARDRAIL : "Suspended",
        guardrail ? "Suspended by a guardrail" : "spec.suspend is true", generation, now);
    releaseSandbox(agent);
    if (!wasSuspended && !guardrail) {
      events.normal(agent, "Suspended", "Ticks stopped (spec.suspend: true)");
    }
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
      agent.getStatus().setSandboxRef(null);
      agent.getStatus().setSandboxID(null);
    }
    AgentSandboxSource source = agent.getSpec().getSandbox();
    if (source != null && source.getTemplate() != null) {
      E2BSandbox own = kube.resources(E2BSandbox.class).inNamespace(namespace)
          .withName(agent.getMetadata().getName() + "-sandbox").get();
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

  private void write(TradingAgent agent, TradingAgentStatus before) {
    if (!StatusWriter.same(before, agent.getStatus())) {
      statusWriter.write(agent);
    }
  }

  private static int nz(Integer v) {
    return v == null ? 0 : v;
  }

  @Override
  public DeleteControl cleanup(TradingAgent agent, Context<TradingAgent> context) {
    String namespace = agent.getMetadata().getNamespace();
    try {
      releaseSandbox(agent);
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      LOG.warn("{}/{}: releasing the sandbox failed: {}", namespace, agent.getMetadata().getName(), e.getMessage());
    }
    // Owned children go with the agent (also where there is no garbage collector, as in local mode).
    kube.resources(E2BSandbox.class).inNamespace(namespace).withName(agent.getMetadata().getName() + "-sandbox")
        .delete();
    states.delete(agent);
    runner.forget(agent.getMetadata().getUid(), null, null);
    lastState.remove(agent.getMetadata().getUid());
    written.remove(agent.getMetadata().getUid());
    metrics.forget(namespace, agent.getMetadata().getName());
    interest.forget(ResourceID.fromResource(agent));
    wakeups.cancel(ResourceID.fromResource(agent));
    statusWriter.forget(agent.getMetadata().getUid());
    return DeleteControl.defaultDelete();
  }
}
