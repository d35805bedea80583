package io.neuraltrader.e2b.deployment;

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
import io.neuraltrader.e2b.api.v1alpha1.AnomalySpec;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeploymentSpec;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeploymentStatus;
import io.neuraltrader.e2b.api.v1alpha1.HealthCounts;
import io.neuraltrader.e2b.api.v1alpha1.ManualOverride;
import io.neuraltrader.e2b.api.v1alpha1.OffHoursPolicy;
import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import io.neuraltrader.e2b.api.v1alpha1.ScalingSpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.observability.AnomalyMetrics;
import io.neuraltrader.e2b.observability.EventRecorder;
import io.neuraltrader.e2b.observability.MetricNames;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.ScheduleWindows;
import io.neuraltrader.e2b.reconcile.StatusWriter;
import io.neuraltrader.e2b.reconcile.Times;
import io.neuraltrader.e2b.reconcile.WakeupEventSource;
import io.neuraltrader.e2b.shared.CostModel;
import io.neuraltrader.e2b.shared.ErrorRateBaseline;
import io.neuraltrader.e2b.schedule.Durations;
import io.neuraltrader.e2b.schedule.MarketCalendar;
import io.neuraltrader.e2b.schedule.MarketCalendars;
import io.neuraltrader.e2b.schedule.ScheduleDecision;
import io.neuraltrader.e2b.schedule.ScheduleEvaluator;
import io.neuraltrader.e2b.schedule.Window;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs N TradingAgents named {@code <deployment>-<index>}: N follows the schedule windows, kubectl scale and
 * the scaling limits ({@link ReplicaPlanner}); the template rolls out gradually; symbols are sharded; agents
 * removed off-hours are suspended with paused sandboxes when offHoursPolicy is Pause.
 */
// Not generation-aware: the approval annotation changes no generation and must still wake the deployment.
// SpecOrAnnotationsChanged keeps our own status writes from triggering reconciles.
@ControllerConfiguration(name = "e2bdeployment", finalizerName = ApiConstants.FINALIZER,
    generationAwareEventProcessing = false,
    informer = @io.javaoperatorsdk.operator.api.config.informer.Informer(
        onUpdateFilter = DeploymentReconciler.SpecOrAnnotationsChanged.class))
public class DeploymentReconciler implements Reconciler<E2BDeployment>, Cleaner<E2BDeployment> {
  private final KubernetesClient kube;
  private final EventRecorder events;
  private final Clock clock;
  private final CostModel cost;
  private final MeterRegistry registry;
  private final StatusWriter statusWriter;
  private final Map<ResourceID, int[]> gauges = new ConcurrentHashMap<>();
  private final AnomalyMetrics anomalyMetrics;
  private final WakeupEventSource<E2BDeployment> wakeups;

  public DeploymentReconciler(KubernetesClient kube, EventRecorder events, Clock clock, CostModel cost,
      MeterRegistry registry) {
    this.kube = kube;
    this.statusWriter = new StatusWriter(kube);
    this.wakeups = new WakeupEventSource<>("deployment-wakeups", clock, Duration.ofMillis(100));
    this.events = events;
    this.clock = clock;
    this.cost = cost;
    this.registry = registry;
    this.anomalyMetrics = new AnomalyMetrics(registry);
  }

  @Override
  public List<EventSource<?, E2BDeployment>> prepareEventSources(EventSourceContext<E2BDeployment> context) {
    InformerEventSourceConfiguration<TradingAgent> agents = InformerEventSourceConfiguration
        .from(TradingAgent.class, E2BDeployment.class)
        .withName("deployment-agents")
        .withLabelSelector(ApiConstants.LABEL_DEPLOYMENT)
        .withSecondaryToPrimaryMapper(a -> Set.of(new ResourceID(
            a.getMetadata().getLabels().get(ApiConstants.LABEL_DEPLOYMENT), a.getMetadata().getNamespace())))
        .build();
    return List.of(new InformerEventSource<>(agents, context), wakeups);
  }

  /** Passes updates that change the spec (generation), annotations, finalizers or deletion; not status writes. */
  public static final class SpecOrAnnotationsChanged
      implements io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter<E2BDeployment> {
    @Override
    public boolean accept(E2BDeployment updated, E2BDeployment old) {
      var n = updated.getMetadata();
      var o = old.getMetadata();
      return !java.util.Objects.equals(n.getGeneration(), o.getGeneration())
          || !java.util.Objects.equals(n.getAnnotations(), o.getAnnotations())
          || !java.util.Objects.equals(n.getFinalizers(), o.getFinalizers())
          || n.getDeletionTimestamp() != null;
    }
  }

  /** A deployment's schedule settings, parsed: the part of the spec that can be invalid. */
  private record ScheduleSpec(List<Window> windows, MarketCalendar calendar) {}

  /**
   * What one reconcile sees, gathered once, before any change: the voters are the agents whose latest tick
   * speaks for the fleet ({@link FleetVoters}).
   */
  private record Observation(ScheduleDecision schedule, String hash, List<DeploymentChild> children, int current,
      int ready, ScalingSpec scaling, Duration preWarm, List<TradingAgent> voters) {}

  @Override
  public UpdateControl<E2BDeployment> reconcile(E2BDeployment deployment, Context<E2BDeployment> context) {
    // A reconcile triggered by an agent event can run before the cache has our previous status write; planning
    // from its lastScaleTime or lastSeenSpecReplicas would let two steps through in one interval or take the
    // same kubectl scale for a new one.
    statusWriter.latest(deployment, E2BDeploymentStatus::new);
    E2BDeploymentStatus before = StatusWriter.copy(deployment.getStatus());
    E2BDeploymentStatus status = deployment.getStatus();
    Instant now = clock.instant();
    status.setObservedGeneration(deployment.getMetadata().getGeneration());
    ScheduleSpec scheduleSpec;
    try {
      scheduleSpec = new ScheduleSpec(ScheduleWindows.of(deployment.getSpec().getSchedules()),
          MarketCalendars.byName(deployment.getSpec().getCalendar().name()));
    } catch (IllegalArgumentException e) {
      return invalidSpec(deployment, before, e.getMessage(), now);
    }
    Observation observed = observe(deployment, scheduleSpec, now);
    ManualOverride previousOverride = status.getManualOverride();
    MarketConditionsPlanner.Evaluation market = evaluateMarket(deployment, observed, now);
    ReplicaPlanner.Plan plan = ReplicaPlanner.plan(plannerInput(deployment, observed, market, now));
    noteOverride(deployment, previousOverride, plan, now);
    market.changes().forEach(change -> events.normal(deployment, "MarketConditions", change));
    boolean moved = act(deployment, observed, plan, now);
    List<DeploymentChild> after = DeploymentChild.of(listChildren(deployment), observed.hash());
    fillStatus(deployment, after, plan, observed, scheduleSpec, now);
    DeploymentStatusBuilder.market(status, market, MarketConditionsPlanner.figures(observed.voters()),
        hasMarketRules(deployment.getSpec()));
    fillFleetSignals(deployment, before, after, observed, now);
    announceLimit(deployment, before, plan);
    Instant look = ReplicaPlanner.nextLook(plan, observed.schedule().nextTransition(), moved,
        Duration.ofSeconds(observed.scaling().getStepIntervalSeconds()), now);
    wakeups.wakeAt(ResourceID.fromResource(deployment),
        market.wakeAt() != null && market.wakeAt().isBefore(look) ? market.wakeAt() : look);
    status.setLastSeenSpecReplicas(deployment.getSpec().getReplicas());
    write(deployment, before);
    return UpdateControl.noUpdate();
  }

  private UpdateControl<E2BDeployment> invalidSpec(E2BDeployment deployment, E2BDeploymentStatus before,
      String message, Instant now) {
    E2BDeploymentStatus status = deployment.getStatus();
    Long generation = deployment.getMetadata().getGeneration();
    Conditions.set(status.getConditions(), "Available", false, Reasons.INVALID_SPEC, message, generation, now);
    Conditions.set(status.getConditions(), "Ready", false, Reasons.INVALID_SPEC, message, generation, now);
    if (!Reasons.INVALID_SPEC.equals(Conditions.reason(before.getConditions(), "Available"))) {
      events.warning(deployment, Reasons.INVALID_SPEC, message);
    }
    write(deployment, before);
    return UpdateControl.noUpdate();
  }

  private Observation observe(E2BDeployment deployment, ScheduleSpec scheduleSpec, Instant now) {
    E2BDeploymentSpec spec = deployment.getSpec();
    Duration preWarm = Duration.ofMinutes(spec.getPreWarmMinutes());
    ScheduleDecision schedule = ScheduleEvaluator.evaluate(scheduleSpec.windows(), scheduleSpec.calendar(), preWarm,
        now);
    String hash = DeploymentAgentTemplate.templateHash(spec);
    // The API, not the informer cache: the cache lags our own creates and updates, and a stale view would
    // roll or scale the same step twice.
    List<DeploymentChild> children = DeploymentChild.of(listChildren(deployment), hash);
    int current = (int) children.stream().filter(DeploymentChild::active).count();
    int ready = (int) children.stream().filter(c -> c.active() && c.ready()).count();
    ScalingSpec scaling = spec.getScaling() == null ? new ScalingSpec() : spec.getScaling();
    List<TradingAgent> voters = FleetVoters.of(children, tickInterval(spec), now);
    return new Observation(schedule, hash, children, current, ready, scaling, preWarm, voters);
  }

  /** The agents' tick interval; an invalid one (the agents report it) counts as a minute. */
  private static Duration tickInterval(E2BDeploymentSpec spec) {
    try {
      return Durations.parseOrDefault(spec.getTemplate().getSpec().getInterval(), Duration.ofMinutes(1));
    } catch (IllegalArgumentException e) {
      return Duration.ofMinutes(1);
    }
  }

  private static boolean hasMarketRules(E2BDeploymentSpec spec) {
    return spec.getAutoscaling() != null && spec.getAutoscaling().getMarketConditions() != null
        && !spec.getAutoscaling().getMarketConditions().isEmpty();
  }

  /** The market rules over the voters' latest observations, from the rules' states in status. */
  private static MarketConditionsPlanner.Evaluation evaluateMarket(E2BDeployment deployment, Observation observed,
      Instant now) {
    E2BDeploymentSpec spec = deployment.getSpec();
    if (!hasMarketRules(spec)) {
      return MarketConditionsPlanner.Evaluation.NONE;
    }
    Map<String, MarketConditionsPlanner.RuleState> previous = new java.util.HashMap<>();
    var kept = deployment.getStatus().getMarketConditions();
    if (kept != null && kept.getRules() != null) {
      kept.getRules().forEach(r -> previous.put(r.getName(), new MarketConditionsPlanner.RuleState(r.getName(),
          Boolean.TRUE.equals(r.getActive()), Times.parse(r.getSince()), Times.parse(r.getLastMetAt()))));
    }
    List<MarketConditionsPlanner.Rule> rules = spec.getAutoscaling().getMarketConditions().stream()
        .map(MarketConditionsPlanner.Rule::of).toList();
    return MarketConditionsPlanner.evaluate(rules, Duration.ofSeconds(spec.getAutoscaling().getCooldownSeconds()),
        previous, MarketConditionsPlanner.figures(observed.voters()), now);
  }

  /** Consensus and the error-rate verdict, with their events and gauges. */
  private void fillFleetSignals(E2BDeployment deployment, E2BDeploymentStatus before, List<DeploymentChild> children,
      Observation observed, Instant now) {
    E2BDeploymentStatus status = deployment.getStatus();
    E2BDeploymentSpec spec = deployment.getSpec();
    String namespace = deployment.getMetadata().getNamespace();
    String name = deployment.getMetadata().getName();
    if (spec.getConsensus() != null) {
      List<TradingAgent> members = children.stream().filter(DeploymentChild::active).map(DeploymentChild::agent).toList();
      Set<String> voterNames = new java.util.HashSet<>(observed.voters().stream().map(a -> a.getMetadata().getName()).toList());
      Set<TradingAgent> voters = new java.util.HashSet<>(members.stream()
          .filter(a -> voterNames.contains(a.getMetadata().getName())).toList());
      DeploymentStatusBuilder.consensus(status, Consensus.decide(members, voters, spec.getConsensus().getQuorum(),
          spec.getConsensus().getMinVoters()));
    } else {
      DeploymentStatusBuilder.consensus(status, null);
    }
    AnomalySpec anomaly = spec.getAnomaly() == null ? new AnomalySpec() : spec.getAnomaly();
    Long generation = deployment.getMetadata().getGeneration();
    if (Boolean.FALSE.equals(anomaly.getEnabled())) {
      status.setErrorRate(null);
      Conditions.remove(status.getConditions(), "Anomalous");
      anomalyMetrics.record(namespace, E2BDeployment.class.getSimpleName(), name, false, null);
    } else {
      ErrorRateBaseline.Settings settings = ErrorRateBaseline.Settings.of(anomaly);
      long executions = 0;
      long failures = 0;
      for (DeploymentChild c : children) {
        var s = c.agent().getStatus();
        if (s != null) {
          long failed = s.getFailedRuns() == null ? 0 : s.getFailedRuns();
          executions += (s.getRuns() == null ? 0 : s.getRuns()) + failed;
          failures += failed;
        }
      }
      ErrorRateBaseline.Verdict verdict = ErrorRateBaseline.observe(
          ErrorRateBaseline.fromStatus(status.getErrorRate()), executions, failures, now, settings);
      DeploymentStatusBuilder.anomaly(status, verdict, settings, generation, now);
      anomalyMetrics.record(namespace, E2BDeployment.class.getSimpleName(), name, verdict.anomalous(),
          verdict.currentRate());
      boolean was = Conditions.isTrue(before.getConditions(), "Anomalous");
      if (verdict.anomalous() && !was) {
        events.warning(deployment, "Anomalous", "Tick error rate anomalous: " + verdict.describe(settings));
      } else if (!verdict.anomalous() && was) {
        events.normal(deployment, "AnomalyCleared", "Tick error rate back within its baseline: "
            + verdict.describe(settings));
      }
    }
    ResourceID id = ResourceID.fromResource(deployment);
    int[] values = gauges.get(id);
    if (values != null) {
      values[2] = status.getSymbolsInConsensus() == null ? 0 : status.getSymbolsInConsensus();
    }
  }

  private static ReplicaPlanner.Input plannerInput(E2BDeployment deployment, Observation observed,
      MarketConditionsPlanner.Evaluation market, Instant now) {
    E2BDeploymentStatus status = deployment.getStatus();
    ScalingSpec scaling = observed.scaling();
    ManualOverride mo = standing(status.getManualOverride(), deployment);
    var annotations = deployment.getMetadata().getAnnotations();
    return new ReplicaPlanner.Input(deployment.getSpec().getReplicas(), status.getLastSeenSpecReplicas(),
        mo == null ? null : new ReplicaPlanner.Override(mo.getReplicas(), mo.getWindow(), Times.parse(mo.getUntil())),
        observed.schedule(), new ReplicaPlanner.Scaling(scaling.getMaxStep(),
            Duration.ofSeconds(scaling.getStepIntervalSeconds()), scaling.getMaxReplicas(),
            scaling.getMaxScaleUpFactor()),
        observed.current(), observed.ready(), Times.parse(status.getLastScaleTime()),
        annotations == null ? null : annotations.get(ApiConstants.ANNOTATION_APPROVE_SCALE), now, market.delta(),
        market.describe());
  }

  /**
   * Scales to the plan's target, then rolls out and reshards from the children as they are after the scale.
   * Whether anything moved (a scale or a rollout step): progress is then followed more closely.
   */
  private boolean act(E2BDeployment deployment, Observation observed, ReplicaPlanner.Plan plan, Instant now) {
    int target = plan.target();
    List<DeploymentChild> children = observed.children();
    if (target != observed.current()) {
      boolean pause = deployment.getSpec().getOffHoursPolicy() == OffHoursPolicy.Pause;
      ReplicaPlanner.scaleSteps(children, target, pause).forEach(step -> apply(deployment, step, target, observed.hash()));
      deployment.getStatus().setLastScaleTime(Times.format(now));
      events.normal(deployment, "Scaled", "Scaled from " + observed.current() + " to " + target + " agents (desired "
          + plan.desired() + observed.schedule().activeWindow().map(w -> ", window " + w).orElse("") + ")");
      children = DeploymentChild.of(listChildren(deployment), observed.hash());
    }
    List<DeploymentChild> outdated = ReplicaPlanner.rollout(children, target, observed.scaling().getMaxStep());
    for (DeploymentChild c : outdated) {
      TradingAgent wanted = DeploymentAgentTemplate.desired(deployment, c.index(), target, observed.hash());
      edit(c.agent(), a -> {
        a.setSpec(wanted.getSpec());
        a.getMetadata().setLabels(wanted.getMetadata().getLabels());
        a.getMetadata().setAnnotations(wanted.getMetadata().getAnnotations());
      });
    }
    if (!outdated.isEmpty()) {
      events.normal(deployment, "RollingUpdate", "Updated " + outdated.size() + " agent(s) to the new template");
    }
    if (deployment.getSpec().getSharding() != null) {
      for (ReplicaPlanner.Reshard r : ReplicaPlanner.reshard(children, target,
          deployment.getSpec().getSharding().getSymbols())) {
        edit(r.child().agent(), a -> a.getSpec().setSymbols(r.symbols()));
      }
    }
    return !outdated.isEmpty() || target != observed.current();
  }

  private void apply(E2BDeployment deployment, ReplicaPlanner.Step step, int target, String hash) {
    switch (step.action()) {
      case CREATE -> kube.resource(DeploymentAgentTemplate.desired(deployment, step.index(), target, hash)).create();
      case RESUME -> edit(step.child().agent(), a -> a.getSpec().setSuspend(false));
      case SUSPEND -> edit(step.child().agent(), a -> a.getSpec().setSuspend(true));
      case DELETE -> kube.resource(step.child().agent()).delete();
    }
  }

  /**
   * The recorded override unless the resume-schedules annotation changed since it was recorded (the MCP scale
   * tool's autoScale, or {@code kubectl annotate --overwrite}): an annotation, not a status edit, because the
   * status has one writer, this reconciler, which would write a cleared override back.
   */
  static ManualOverride standing(ManualOverride recorded, E2BDeployment deployment) {
    if (recorded == null) {
      return null;
    }
    return java.util.Objects.equals(recorded.getResumeSchedules(), resumeSchedules(deployment)) ? recorded : null;
  }

  private static String resumeSchedules(E2BDeployment deployment) {
    var annotations = deployment.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ApiConstants.ANNOTATION_RESUME_SCHEDULES);
  }

  private void noteOverride(E2BDeployment deployment, ManualOverride previous, ReplicaPlanner.Plan plan, Instant now) {
    ReplicaPlanner.Override o = plan.override();
    E2BDeploymentStatus status = deployment.getStatus();
    ManualOverride kept = standing(previous, deployment);
    if (o == null) {
      if (previous != null && kept == null) {
        events.normal(deployment, "ManualOverrideLifted", "Manual override of " + previous.getReplicas()
            + " agents lifted (annotation " + ApiConstants.ANNOTATION_RESUME_SCHEDULES + " changed); following"
            + " the schedule again");
      } else if (previous != null) {
        events.normal(deployment, "ManualOverrideEnded", "Window " + previous.getWindow()
            + " ended; following the schedule again");
      }
      status.setManualOverride(null);
      return;
    }
    ManualOverride m = new ManualOverride();
    m.setReplicas(o.replicas());
    m.setWindow(o.window());
    m.setUntil(Times.format(o.until()));
    m.setResumeSchedules(resumeSchedules(deployment));
    if (kept == null || !kept.getReplicas().equals(o.replicas())) {
      events.normal(deployment, "ManualOverride", "spec.replicas changed to " + o.replicas() + " during window "
          + o.window() + "; holding it until " + m.getUntil());
    }
    status.setManualOverride(m);
  }

  private List<TradingAgent> listChildren(E2BDeployment deployment) {
    return kube.resources(TradingAgent.class).inNamespace(deployment.getMetadata().getNamespace())
        .withLabel(ApiConstants.LABEL_DEPLOYMENT, deployment.getMetadata().getName()).list().getItems();
  }

  /** Patches one agent from its latest stored version (never from a cached copy). */
  private void edit(TradingAgent agent, java.util.function.Consumer<TradingAgent> change) {
    // The agent's reconciler writes its status concurrently; a conflict is retried from the latest version.
    for (int attempt = 1; ; attempt++) {
      try {
        kube.resources(TradingAgent.class).inNamespace(agent.getMetadata().getNamespace())
            .withName(agent.getMetadata().getName()).edit(a -> {
              change.accept(a);
              return a;
            });
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private void fillStatus(E2BDeployment deployment, List<DeploymentChild> children, ReplicaPlanner.Plan plan,
      Observation observed, ScheduleSpec scheduleSpec, Instant now) {
    E2BDeploymentStatus status = deployment.getStatus();
    E2BDeploymentSpec spec = deployment.getSpec();
    DeploymentStatusBuilder.counts(status, children, plan.desired(), DeploymentAgentTemplate.selectorLabels(deployment),
        observed.schedule(), !scheduleSpec.windows().isEmpty());
    status.setDesiredReason(plan.why());
    List<TradingAgent> active = children.stream().filter(DeploymentChild::active).map(DeploymentChild::agent).toList();
    status.setHealth(DeploymentStatusBuilder.health(active));
    DeploymentStatusBuilder.cost(status, active.size(), new DeploymentStatusBuilder.CostInputs(perReplicaHour(spec),
        scheduleSpec.windows(), scheduleSpec.calendar(), observed.preWarm(), spec.getReplicas(),
        observed.scaling().getMaxReplicas()), now);
    status.setPerformance(DeploymentStatusBuilder.performance(children.stream().map(DeploymentChild::agent).toList()));
    recordGauges(deployment, plan.desired(), status.getReadyReplicas());
    DeploymentStatusBuilder.conditions(status, plan, deployment.getMetadata().getName(),
        deployment.getMetadata().getGeneration(), now);
  }

  /** Agents by their Healthy condition (see {@link DeploymentStatusBuilder#health}). */
  static HealthCounts health(List<TradingAgent> agents) {
    return DeploymentStatusBuilder.health(agents);
  }

  /** The hourly E2B price of one agent: its sandbox template's declared resources, else E2B's default size. */
  private double perReplicaHour(E2BDeploymentSpec spec) {
    var source = spec.getTemplate().getSpec().getSandbox();
    var resources = source == null || source.getTemplate() == null ? null : source.getTemplate().getResources();
    int cpu = resources == null || resources.getCpuCount() == null ? CostModel.DEFAULT_CPU : resources.getCpuCount();
    int mem = resources == null || resources.getMemoryMB() == null ? CostModel.DEFAULT_MEMORY_MB
        : resources.getMemoryMB();
    return cost.perHour(cpu, mem);
  }

  /** A warning event when ScalingLimited turns on. */
  private void announceLimit(E2BDeployment deployment, E2BDeploymentStatus before, ReplicaPlanner.Plan plan) {
    if (plan.limited() != null && !Conditions.isTrue(before.getConditions(), "ScalingLimited")) {
      events.warning(deployment, plan.limitReason(),
          DeploymentStatusBuilder.limitMessage(plan, deployment.getMetadata().getName()));
    }
  }

  private void recordGauges(E2BDeployment deployment, int desired, int ready) {
    ResourceID id = ResourceID.fromResource(deployment);
    int[] values = gauges.computeIfAbsent(id, k -> {
      int[] v = new int[3];
      String[] kinds = {"desired", "ready"};
      for (int i = 0; i < kinds.length; i++) {
        int index = i;
        Gauge.builder(MetricNames.DEPLOYMENT_REPLICAS, v, a -> a[index]).tag("namespace", id.getNamespace().orElse(""))
            .tag("deployment", id.getName()).tag("kind", kinds[i]).description("Deployment agents").register(registry);
      }
      Gauge.builder(MetricNames.DEPLOYMENT_CONSENSUS_SYMBOLS, v, a -> a[2]).tag("namespace", id.getNamespace().orElse(""))
          .tag("deployment", id.getName()).description("Symbols on which a quorum of the agents agree")
          .register(registry);
      return v;
    });
    values[0] = desired;
    values[1] = ready;
  }

  private void write(E2BDeployment deployment, E2BDeploymentStatus before) {
    if (!StatusWriter.same(before, deployment.getStatus())) {
      statusWriter.write(deployment);
    }
  }

  @Override
  public DeleteControl cleanup(E2BDeployment deployment, Context<E2BDeployment> context) {
    // Like garbage collection of owned agents, also where there is none (local mode).
    listChildren(deployment).forEach(a -> kube.resource(a).delete());
    ResourceID id = ResourceID.fromResource(deployment);
    wakeups.cancel(id);
    statusWriter.forget(deployment.getMetadata().getUid());
    int[] values = gauges.get(id);
    if (values != null) {
      java.util.Arrays.fill(values, 0);
    }
    anomalyMetrics.forget(deployment.getMetadata().getNamespace(), E2BDeployment.class.getSimpleName(),
        deployment.getMetadata().getName());
    return DeleteControl.defaultDelete();
  }
}
