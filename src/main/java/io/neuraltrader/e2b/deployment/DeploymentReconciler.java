package io.neuraltrader.e2b.deployment;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.AgentSandboxSource;
import io.neuraltrader.e2b.api.v1alpha1.AggregatePerformance;
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
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import io.neuraltrader.e2b.observability.EventRecorder;
import io.neuraltrader.e2b.observability.MetricNames;
import io.neuraltrader.e2b.reconcile.ChildMetadata;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.ScheduleWindows;
import io.neuraltrader.e2b.reconcile.StatusWriter;
import io.neuraltrader.e2b.reconcile.Times;
import io.neuraltrader.e2b.reconcile.WakeupEventSource;
import io.neuraltrader.e2b.sandbox.CostModel;
import io.neuraltrader.e2b.schedule.MarketCalendar;
import io.neuraltrader.e2b.schedule.MarketCalendars;
import io.neuraltrader.e2b.schedule.ScheduleDecision;
import io.neuraltrader.e2b.schedule.ScheduleEvaluator;
import io.neuraltrader.e2b.schedule.Window;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

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
  private static final Duration MONTH = Duration.ofDays(30);

  private final KubernetesClient kube;
  private final EventRecorder events;
  private final Clock clock;
  private final CostModel cost;
  private final MeterRegistry registry;
  private final Map<ResourceID, int[]> gauges = new ConcurrentHashMap<>();
  private volatile WakeupEventSource<E2BDeployment> wakeups;

  public DeploymentReconciler(KubernetesClient kube, EventRecorder events, Clock clock, CostModel cost,
      MeterRegistry registry) {
    this.kube = kube;
    this.events = events;
    this.clock = clock;
    this.cost = cost;
    this.registry = registry;
  }

  @Override
  public List<EventSource<?, E2BDeployment>> prepareEventSources(EventSourceContext<E2BDeployment> context) {
    wakeups = new WakeupEventSource<>("deployment-wakeups", clock, Duration.ofMillis(100));
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

  /** One child agent as the planner sees it. */
  private record Child(int index, TradingAgent agent, boolean active, boolean ready, boolean updated) {}

  @Override
  public UpdateControl<E2BDeployment> reconcile(E2BDeployment cached, Context<E2BDeployment> context) {
    // The latest stored version, not the informer's copy: a reconcile triggered by an agent event can run before
    // the cache has our previous status write, and planning from a stale lastScaleTime, lastSeenSpecReplicas or
    // spec.replicas would let two steps through in one interval or take an old spec.replicas for a kubectl scale.
    E2BDeployment latest = kube.resources(E2BDeployment.class).inNamespace(cached.getMetadata().getNamespace())
        .withName(cached.getMetadata().getName()).get();
    E2BDeployment deployment = latest != null && latest.getMetadata().getDeletionTimestamp() == null ? latest : cached;
    if (deployment.getStatus() == null) {
      deployment.setStatus(new E2BDeploymentStatus());
    }
    E2BDeploymentStatus before = StatusWriter.copy(deployment.getStatus());
    E2BDeploymentStatus status = deployment.getStatus();
    E2BDeploymentSpec spec = deployment.getSpec();
    Long generation = deployment.getMetadata().getGeneration();
    Instant now = clock.instant();
    ResourceID id = ResourceID.fromResource(deployment);
    status.setObservedGeneration(generation);

    List<Window> windows;
    MarketCalendar calendar;
    try {
      windows = ScheduleWindows.of(spec.getSchedules());
      calendar = MarketCalendars.byName(spec.getCalendar().name());
    } catch (IllegalArgumentException e) {
      Conditions.set(status.getConditions(), "Available", false, Reasons.INVALID_SPEC, e.getMessage(), generation, now);
      Conditions.set(status.getConditions(), "Ready", false, Reasons.INVALID_SPEC, e.getMessage(), generation, now);
      if (!Reasons.INVALID_SPEC.equals(Conditions.reason(before.getConditions(), "Available"))) {
        events.warning(deployment, Reasons.INVALID_SPEC, e.getMessage());
      }
      write(deployment, before, context);
      return UpdateControl.noUpdate();
    }
    Duration preWarm = Duration.ofMinutes(spec.getPreWarmMinutes());
    ScheduleDecision schedule = ScheduleEvaluator.evaluate(windows, calendar, preWarm, now);
    String hash = templateHash(spec);
    // The API, not the informer cache: the cache lags our own creates and updates, and a stale view would
    // roll or scale the same step twice.
    List<Child> children = children(listChildren(deployment), hash);
    int current = (int) children.stream().filter(Child::active).count();
    int ready = (int) children.stream().filter(c -> c.active() && c.ready()).count();

    ScalingSpec scaling = spec.getScaling() == null ? new ScalingSpec() : spec.getScaling();
    ManualOverride mo = status.getManualOverride();
    ReplicaPlanner.Plan plan = ReplicaPlanner.plan(new ReplicaPlanner.Input(spec.getReplicas(),
        status.getLastSeenSpecReplicas(),
        mo == null ? null : new ReplicaPlanner.Override(mo.getReplicas(), mo.getWindow(), Times.parse(mo.getUntil())),
        schedule, new ReplicaPlanner.Scaling(scaling.getMaxStep(), Duration.ofSeconds(scaling.getStepIntervalSeconds()),
            scaling.getMaxReplicas(), scaling.getMaxScaleUpFactor()),
        current, ready, Times.parse(status.getLastScaleTime()),
        deployment.getMetadata().getAnnotations() == null ? null
            : deployment.getMetadata().getAnnotations().get(ApiConstants.ANNOTATION_APPROVE_SCALE),
        now));
    noteOverride(deployment, mo, plan, now);

    if (plan.target() != current) {
      scaleTo(deployment, children, plan.target(), hash);
      status.setLastScaleTime(Times.format(now));
      events.normal(deployment, "Scaled", "Scaled from " + current + " to " + plan.target() + " agents (desired "
          + plan.desired() + (schedule.activeWindow().map(w -> ", window " + w).orElse("") + ")"));
      children = children(listChildren(deployment), hash);
    }
    int rolled = rollOut(deployment, children, plan.target(), hash, scaling.getMaxStep());
    reshard(deployment, children, plan.target());

    List<Child> after = children(listChildren(deployment), hash);
    fillStatus(deployment, after, plan, schedule, windows, calendar, preWarm, scaling, now);
    conditions(deployment, plan, after, now);

    Instant wake = schedule.nextTransition();
    if (plan.wakeAt() != null && plan.wakeAt().isBefore(wake)) {
      wake = plan.wakeAt();
    }
    if (rolled > 0 || plan.target() != current) {
      Instant check = now.plus(Duration.ofSeconds(Math.max(1, scaling.getStepIntervalSeconds())));
      wake = check.isBefore(wake) ? check : wake;
    }
    wakeups.wakeAt(id, wake);
    status.setLastSeenSpecReplicas(spec.getReplicas());
    write(deployment, before, context);
    return UpdateControl.noUpdate();
  }

  private void noteOverride(E2BDeployment deployment, ManualOverride previous, ReplicaPlanner.Plan plan, Instant now) {
    ReplicaPlanner.Override o = plan.override();
    E2BDeploymentStatus status = deployment.getStatus();
    if (o == null) {
      if (previous != null) {
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
    if (previous == null || !previous.getReplicas().equals(o.replicas())) {
      events.normal(deployment, "ManualOverride", "spec.replicas changed to " + o.replicas() + " during window "
          + o.window() + "; holding it until " + m.getUntil());
    }
    status.setManualOverride(m);
  }

  private List<Child> children(List<TradingAgent> agents, String hash) {
    List<Child> out = new ArrayList<>();
    for (TradingAgent a : agents) {
      if (a.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      String name = a.getMetadata().getName();
      int index;
      try {
        index = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
      } catch (NumberFormatException e) {
        continue;
      }
      boolean active = !Boolean.TRUE.equals(a.getSpec().getSuspend());
      // An agent whose latest spec its reconciler has not seen yet is updating, not ready.
      boolean ready = a.getStatus() != null && Conditions.isTrue(a.getStatus().getConditions(), "Ready")
          && java.util.Objects.equals(a.getStatus().getObservedGeneration(), a.getMetadata().getGeneration())
          && (a.getStatus().getPhase() == AgentPhase.Running || a.getStatus().getPhase() == AgentPhase.OutsideMarketHours);
      String childHash = a.getMetadata().getAnnotations() == null ? null
          : a.getMetadata().getAnnotations().get(ApiConstants.ANNOTATION_TEMPLATE_HASH);
      out.add(new Child(index, a, active, ready, hash.equals(childHash)));
    }
    out.sort(Comparator.comparingInt(Child::index));
    return out;
  }

  private List<TradingAgent> listChildren(E2BDeployment deployment) {
    return kube.resources(TradingAgent.class).inNamespace(deployment.getMetadata().getNamespace())
        .withLabel(ApiConstants.LABEL_DEPLOYMENT, deployment.getMetadata().getName()).list().getItems();
  }

  /** Indexes below target run; above it they are deleted, or suspended (sandbox paused) under offHoursPolicy Pause. */
  private void scaleTo(E2BDeployment deployment, List<Child> children, int target, String hash) {
    Map<Integer, Child> byIndex = new TreeMap<>();
    children.forEach(c -> byIndex.put(c.index(), c));
    boolean pause = deployment.getSpec().getOffHoursPolicy() == OffHoursPolicy.Pause;
    for (int i = 0; i < target; i++) {
      Child c = byIndex.get(i);
      if (c == null) {
        kube.resource(newChild(deployment, i, target, hash)).create();
      } else if (!c.active()) {
        edit(c.agent(), a -> a.getSpec().setSuspend(false));
      }
    }
    for (Child c : byIndex.values()) {
      if (c.index() >= target && c.active() && pause) {
        edit(c.agent(), a -> a.getSpec().setSuspend(true));
      } else if (c.index() >= target && !pause) {
        // Also agents left suspended by an earlier Pause policy.
        kube.resource(c.agent()).delete();
      }
    }
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

  /** Replaces the spec of outdated children, at most maxStep unavailable at a time. */
  private int rollOut(E2BDeployment deployment, List<Child> children, int target, String hash, int maxStep) {
    long unavailable = children.stream().filter(c -> c.active() && c.index() < target && !c.ready()).count();
    int budget = (int) Math.max(0, maxStep - unavailable);
    int rolled = 0;
    for (Child c : children) {
      if (budget == 0) {
        break;
      }
      if (c.active() && c.index() < target && !c.updated()) {
        TradingAgent wanted = newChild(deployment, c.index(), target, hash);
        edit(c.agent(), a -> {
          a.setSpec(wanted.getSpec());
          a.getMetadata().setLabels(wanted.getMetadata().getLabels());
          a.getMetadata().setAnnotations(wanted.getMetadata().getAnnotations());
        });
        budget--;
        rolled++;
      }
    }
    if (rolled > 0) {
      events.normal(deployment, "RollingUpdate", "Updated " + rolled + " agent(s) to the new template");
    }
    return rolled;
  }

  /** Keeps each active child's symbol shard in line with the current replica count. */
  private void reshard(E2BDeployment deployment, List<Child> children, int target) {
    if (deployment.getSpec().getSharding() == null) {
      return;
    }
    List<String> universe = deployment.getSpec().getSharding().getSymbols();
    for (Child c : children) {
      if (c.active() && c.index() < target && c.updated()) {
        List<String> shard = Sharding.shard(universe, c.index(), target);
        if (!shard.equals(c.agent().getSpec().getSymbols())) {
          edit(c.agent(), a -> a.getSpec().setSymbols(shard));
        }
      }
    }
  }

  private TradingAgent newChild(E2BDeployment deployment, int index, int replicas, String hash) {
    E2BDeploymentSpec spec = deployment.getSpec();
    TradingAgentSpec childSpec = StatusWriter.copy(spec.getTemplate().getSpec());
    if (spec.getSharding() != null) {
      childSpec.setSymbols(Sharding.shard(spec.getSharding().getSymbols(), index, replicas));
    }
    if (spec.getPoolRef() != null) {
      AgentSandboxSource source = new AgentSandboxSource();
      source.setPoolRef(spec.getPoolRef());
      childSpec.setSandbox(source);
    }
    childSpec.setSuspend(false);
    Map<String, String> labels = new LinkedHashMap<>(ChildMetadata.withoutTracking(spec.getTemplate().getLabels()));
    labels.putAll(selectorLabels(deployment));
    labels.put(ApiConstants.LABEL_MANAGED_BY, ApiConstants.MANAGED_BY_VALUE);
    Map<String, String> annotations =
        new LinkedHashMap<>(ChildMetadata.withoutTracking(spec.getTemplate().getAnnotations()));
    annotations.put(ApiConstants.ANNOTATION_TEMPLATE_HASH, hash);
    TradingAgent agent = new TradingAgent();
    agent.setMetadata(new ObjectMetaBuilder()
        .withName(deployment.getMetadata().getName() + "-" + index)
        .withNamespace(deployment.getMetadata().getNamespace())
        .withLabels(labels).withAnnotations(annotations)
        .withOwnerReferences(ChildMetadata.ownerReference(deployment, true)).build());
    agent.setSpec(childSpec);
    return agent;
  }

  /** The labels that select this deployment's agents: spec.selector's matchLabels, or the deployment label. */
  static Map<String, String> selectorLabels(E2BDeployment deployment) {
    Map<String, String> labels = new LinkedHashMap<>();
    LabelSelector selector = deployment.getSpec().getSelector();
    if (selector != null && selector.getMatchLabels() != null) {
      labels.putAll(selector.getMatchLabels());
    }
    labels.put(ApiConstants.LABEL_DEPLOYMENT, deployment.getMetadata().getName());
    return labels;
  }

  /** Hash of what a template change means: everything but the per-replica symbols and suspend flag. */
  static String templateHash(E2BDeploymentSpec spec) {
    TradingAgentSpec template = StatusWriter.copy(spec.getTemplate().getSpec());
    template.setSymbols(null);
    template.setSuspend(null);
    String text = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(template).toString()
        + "|" + spec.getTemplate().getLabels() + "|" + spec.getPoolRef();
    return io.neuraltrader.e2b.agent.StrategyCode.sha256(text).substring(0, 16);
  }

  private void fillStatus(E2BDeployment deployment, List<Child> children, ReplicaPlanner.Plan plan,
      ScheduleDecision schedule, List<Window> windows, MarketCalendar calendar, Duration preWarm, ScalingSpec scaling,
      Instant now) {
    E2BDeploymentStatus status = deployment.getStatus();
    E2BDeploymentSpec spec = deployment.getSpec();
    List<Child> active = children.stream().filter(Child::active).toList();
    status.setReplicas(active.size());
    status.setReadyReplicas((int) active.stream().filter(Child::ready).count());
    status.setUpdatedReplicas((int) active.stream().filter(Child::updated).count());
    status.setDesiredReplicas(plan.desired());
    status.setSelector(selectorLabels(deployment).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(",")));
    status.setActiveSchedule(schedule.activeWindow().orElse(null));
    status.setNextTransitionAt(windows.isEmpty() ? null : Times.format(schedule.nextTransition()));

    status.setHealth(health(active.stream().map(Child::agent).toList()));

    double perReplicaHour = perReplicaHour(spec);
    status.setEstimatedCostPerHourUSD(round(active.size() * perReplicaHour, 4));
    double projected = CostProjection.replicaHours(windows, calendar, preWarm,
        Math.min(spec.getReplicas(), scaling.getMaxReplicas()), now, now.plus(MONTH)) * perReplicaHour;
    int peak = Math.min(CostProjection.peak(windows, spec.getReplicas()), scaling.getMaxReplicas());
    status.setProjectedMonthlyCostUSD(round(projected, 2));
    status.setStaticMonthlyCostUSD(round(peak * perReplicaHour * MONTH.toHours(), 2));

    AggregatePerformance perf = new AggregatePerformance();
    double equity = 0;
    double pnl = 0;
    double returns = 0;
    double sharpe = 0;
    int trades = 0;
    int withPerf = 0;
    for (Child c : children) {
      var s = c.agent().getStatus();
      if (s == null || s.getPerformance() == null) {
        continue;
      }
      withPerf++;
      equity += s.getEquity() == null ? 0 : s.getEquity();
      pnl += s.getPnl() == null ? 0 : s.getPnl();
      returns += s.getPerformance().getTotalReturn() == null ? 0 : s.getPerformance().getTotalReturn();
      sharpe += s.getPerformance().getSharpe() == null ? 0 : s.getPerformance().getSharpe();
      trades += s.getPerformance().getTrades() == null ? 0 : s.getPerformance().getTrades();
    }
    perf.setTotalEquity(round(equity, 2));
    perf.setTotalPnl(round(pnl, 2));
    perf.setAverageReturn(withPerf == 0 ? 0 : round(returns / withPerf, 6));
    perf.setAverageSharpe(withPerf == 0 ? 0 : round(sharpe / withPerf, 4));
    perf.setTrades(trades);
    status.setPerformance(perf);
    recordGauges(deployment, plan.desired(), status.getReadyReplicas());
  }

  /**
   * Agents by their Healthy condition: none or True is healthy; a failed tick (the agent's own reasons, see
   * {@link Reasons#AGENT_UNHEALTHY}) unhealthy; any other False (a guardrail, a drawdown halt) degraded.
   */
  static HealthCounts health(List<TradingAgent> agents) {
    HealthCounts health = new HealthCounts();
    for (TradingAgent agent : agents) {
      var conditions = agent.getStatus() == null ? null : agent.getStatus().getConditions();
      var healthy = conditions == null ? null : Conditions.find(conditions, "Healthy").orElse(null);
      if (healthy == null || Conditions.TRUE.equals(healthy.getStatus())) {
        health.setHealthy(health.getHealthy() + 1);
      } else if (healthy.getReason() != null && Reasons.AGENT_UNHEALTHY.contains(healthy.getReason())) {
        health.setUnhealthy(health.getUnhealthy() + 1);
      } else {
        health.setDegraded(health.getDegraded() + 1);
      }
    }
    return health;
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

  private void conditions(E2BDeployment deployment, ReplicaPlanner.Plan plan, List<Child> children, Instant now) {
    E2BDeploymentStatus status = deployment.getStatus();
    Long generation = deployment.getMetadata().getGeneration();
    int ready = status.getReadyReplicas();
    int target = plan.target();
    boolean available = ready >= Math.min(target, plan.desired());
    Conditions.set(status.getConditions(), "Available", available, available ? "MinimumReplicasAvailable"
        : "ReplicasNotReady", ready + "/" + target + " agents ready", generation, now);
    boolean progressing = status.getReplicas() != plan.desired() || status.getUpdatedReplicas() < status.getReplicas()
        || ready < status.getReplicas();
    Conditions.set(status.getConditions(), "Progressing", progressing,
        progressing ? "Scaling" : "Complete",
        progressing ? "moving to " + plan.desired() + " agents (" + status.getUpdatedReplicas() + " updated, "
            + ready + " ready)" : "all " + plan.desired() + " agents updated and ready", generation, now);
    DeploymentReadiness.Verdict readiness = DeploymentReadiness.of(status.getReplicas(), ready,
        status.getUpdatedReplicas(), plan.desired(), plan.limitReason());
    Conditions.set(status.getConditions(), "Ready", readiness.ready(), readiness.reason(), readiness.message(),
        generation, now);
    boolean wasLimited = Conditions.isTrue(status.getConditions(), "ScalingLimited");
    if (plan.limited() != null) {
      Conditions.set(status.getConditions(), "ScalingLimited", true, plan.limitReason(),
          plan.limited().replace("<name>", deployment.getMetadata().getName()), generation, now);
      if (!wasLimited) {
        events.warning(deployment, plan.limitReason(), plan.limited().replace("<name>", deployment.getMetadata().getName()));
      }
    } else {
      Conditions.set(status.getConditions(), "ScalingLimited", false, "AsExpected", "", generation, now);
    }
  }

  private void recordGauges(E2BDeployment deployment, int desired, int ready) {
    ResourceID id = ResourceID.fromResource(deployment);
    int[] values = gauges.computeIfAbsent(id, k -> {
      int[] v = new int[2];
      String[] kinds = {"desired", "ready"};
      for (int i = 0; i < kinds.length; i++) {
        int index = i;
        Gauge.builder(MetricNames.DEPLOYMENT_REPLICAS, v, a -> a[index]).tag("namespace", id.getNamespace().orElse(""))
            .tag("deployment", id.getName()).tag("kind", kinds[i]).description("Deployment agents").register(registry);
      }
      return v;
    });
    values[0] = desired;
    values[1] = ready;
  }

  private static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  /**
   * Writes the status and puts the written version in the controller's cache, so that the next reconcile (an
   * agent event may come first) sees this one's lastScaleTime, lastSeenSpecReplicas and manualOverride rather
   * than the stale cached ones: a stale lastScaleTime would let two steps through in one interval, a stale
   * lastSeenSpecReplicas would take the same kubectl scale for a new one.
   */
  private void write(E2BDeployment deployment, E2BDeploymentStatus before, Context<E2BDeployment> context) {
    if (StatusWriter.same(before, deployment.getStatus())) {
      return;
    }
    E2BDeploymentStatus status = deployment.getStatus();
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(deployment, context, latest -> {
      latest.setStatus(status);
      return latest;
    });
  }

  @Override
  public DeleteControl cleanup(E2BDeployment deployment, Context<E2BDeployment> context) {
    // Like garbage collection of owned agents, also where there is none (local mode).
    listChildren(deployment).forEach(a -> kube.resource(a).delete());
    ResourceID id = ResourceID.fromResource(deployment);
    wakeups.cancel(id);
    int[] values = gauges.get(id);
    if (values != null) {
      java.util.Arrays.fill(values, 0);
    }
    return DeleteControl.defaultDelete();
  }
}
