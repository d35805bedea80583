package io.neuraltrader.e2b;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.neuraltrader.e2b.deployment.DeploymentReconciler;
import io.neuraltrader.e2b.client.E2BClient;
import io.neuraltrader.e2b.client.E2BClientConfig;
import io.neuraltrader.e2b.client.HttpE2BClient;
import io.neuraltrader.e2b.client.RateLimit;
import io.neuraltrader.e2b.observability.EventRecorder;
import io.neuraltrader.e2b.observability.MetricNames;
import io.neuraltrader.e2b.observability.HealthServer;
import io.neuraltrader.e2b.agent.AgentMetrics;
import io.neuraltrader.e2b.agent.AgentReconciler;
import io.neuraltrader.e2b.agent.AgentStateStore;
import io.neuraltrader.e2b.agent.ExecutionCache;
import io.neuraltrader.e2b.agent.StrategyRunner;
import io.neuraltrader.e2b.pool.PoolClaims;
import io.neuraltrader.e2b.pool.PoolReconciler;
import io.neuraltrader.e2b.reconcile.Readiness;
import io.neuraltrader.e2b.shared.E2BClients;
import io.neuraltrader.e2b.shared.ReferenceResolver;
import io.neuraltrader.e2b.shared.SandboxActivity;
import io.neuraltrader.e2b.sandbox.SandboxFleet;
import io.neuraltrader.e2b.sandbox.SandboxMetrics;
import io.neuraltrader.e2b.sandbox.SandboxReconciler;
import io.neuraltrader.e2b.sandbox.SandboxSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole operator: one place that wires the E2B clients, the reconcilers, metrics and health, for the
 * cluster, local mode and the tests alike (so tests run the production wiring).
 */
public final class E2BOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(E2BOperator.class);
  /** The kinds the operator reconciles. */
  public static final List<Class<? extends HasMetadata>> KINDS =
      List.of(E2BSandbox.class, SandboxPool.class, TradingAgent.class, E2BDeployment.class);

  private final OperatorConfig config;
  private final KubernetesClient kube;
  private final Clock clock;
  private final PrometheusMeterRegistry registry;
  private final E2BClients clients;
  private final SandboxActivity activity = new SandboxActivity();
  private final Readiness readiness = new Readiness();
  private final SandboxFleet fleet;
  private final Operator operator;
  private final PoolClaims claims;
  private final EventRecorder events;
  private final String identity;
  private final Runnable onLostLeadership;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean leading;
  private HealthServer healthServer;

  private E2BOperator(OperatorConfig config, KubernetesClient kube, Clock clock,
      ClientFactory clientFactory, Runnable onLostLeadership) {
    this.config = config;
    this.identity = leaseIdentity();
    this.onLostLeadership = onLostLeadership;
    this.kube = kube;
    this.clock = clock;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    ReferenceResolver references = new ReferenceResolver(kube);
    E2BClient defaultClient = clientFactory.create(clientConfig(config), registry, "default");
    this.clients = new E2BClients(defaultClient, (credentials, name) -> clientFactory.create(
        clientConfig(config.withApiKey(credentials.apiKey()).withEndpoints(
            credentials.apiUrl() != null ? credentials.apiUrl() : config.apiUrl(),
            credentials.domain() != null ? credentials.domain() : config.domain(),
            config.sandboxUrlOverride())), registry, name), references);
    // Queued: a reconcile never waits for an Event round trip (1,000 waiting at most, then dropped).
    this.events = EventRecorder.inBackground(kube, clock, config.operatorId(), 1_000);
    io.micrometer.core.instrument.FunctionCounter.builder(MetricNames.EVENTS_DROPPED, events,
        EventRecorder::dropped).description("Kubernetes Events dropped because the queue was full").register(registry);
    this.fleet = new SandboxFleet(clients, config.operatorId(), clock, config.pollInterval(),
        config.orphanGrace(), readiness, registry);
    SandboxSettings sandboxSettings = SandboxSettings.defaults(config.operatorId())
        .withStatusRefresh(config.statusRefresh());
    SandboxMetrics sandboxMetrics = new SandboxMetrics(registry, sandboxSettings.cost());

    this.operator = new Operator(o -> {
      o.withKubernetesClient(kube)
          .withUseSSAToPatchPrimaryResource(false)
          .withCloseClientOnStop(false)
          .withConcurrentReconciliationThreads(config.reconcileThreads())
          // Aggregate reconcile metrics: per-resource series cost ~15 KB each and explode cardinality.
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      if (config.leaderElection()) {
        // exitOnStopLeading=false: JOSDK would call System.exit from the thread that cancels the elector, which
        // on SIGTERM is the shutdown hook itself, and System.exit inside a shutdown hook never returns.
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(config.leaseName(),
            config.leaseNamespace(), LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
            LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, identity,
            new LeaderCallbacks(() -> leading = true, this::stoppedLeading,
                leader -> LOG.info("leader of {}/{}: {}", config.leaseNamespace(), config.leaseName(), leader)),
            false));
      }
    });
    SandboxReconciler sandboxes = new SandboxReconciler(kube, clients, references, fleet, activity, events,
        sandboxMetrics, clock, sandboxSettings);
    this.claims = new PoolClaims(kube, clock, registry);
    PoolReconciler pools = new PoolReconciler(kube, claims, events, clock, registry);
    AgentReconciler agents = new AgentReconciler(kube, clients, references, claims,
        new StrategyRunner(new ExecutionCache(clock, Duration.ofMinutes(5), 10_000, registry), activity, clock),
        new AgentStateStore(kube), activity, events, new AgentMetrics(registry), clock);
    operator.register(sandboxes, c -> watch(c, config));
    operator.register(pools, c -> watch(c, config));
    operator.register(agents, c -> watch(c, config));
    operator.register(new DeploymentReconciler(kube, events, clock, sandboxSettings.cost(), registry),
        c -> watch(c, config));
  }

  private static void watch(ControllerConfigurationOverrider<?> c, OperatorConfig config) {
    // Every reconciler schedules its own next wakeup on the operator clock; JOSDK's periodic re-trigger would
    // only add a timer task per event (they pile up until due).
    c.withReconciliationMaxInterval(null);
    if (!config.watchNamespaces().isEmpty()) {
      c.settingNamespaces(config.watchNamespaces());
    }
  }

  /** The E2B client the operator uses by default, built from the configuration. */
  public static E2BClientConfig clientConfig(OperatorConfig config) {
    E2BClientConfig.Builder builder = E2BClientConfig.builder(config.apiKey())
        .apiUrl(config.apiUrl())
        .domain(config.domain())
        .maxConcurrentCreates(config.maxConcurrentCreates())
        .rateLimit(new RateLimit(config.rateLimitPerSecond(), (int) Math.max(1, config.rateLimitPerSecond() * 2)));
    if (config.sandboxUrlOverride() != null) {
      builder.sandboxUrlOverride(config.sandboxUrlOverride());
    }
    return builder.build();
  }

  /**
   * Builds and starts the operator; returns once its informers have synced. Losing the leader lease (when leader
   * election is on) stops this instance: it no longer reconciles and /healthz turns "not ok".
   */
  public static E2BOperator start(OperatorConfig config, KubernetesClient kube, Clock clock,
      ClientFactory clientFactory) {
    return start(config, kube, clock, clientFactory, () -> { });
  }

  /**
   * As {@link #start(OperatorConfig, KubernetesClient, Clock, ClientFactory)}; {@code onLostLeadership} runs,
   * on a thread of its own, after this instance stopped because another one took over the lease.
   *
   * @throws StartupException when the operator cannot start (API unreachable or refusing, CRDs missing, metrics
   *     port taken); everything started so far is stopped again
   */
  public static E2BOperator start(OperatorConfig config, KubernetesClient kube, Clock clock,
      ClientFactory clientFactory, Runnable onLostLeadership) {
    E2BOperator op = new E2BOperator(config, kube, clock, clientFactory, onLostLeadership);
    try {
      op.startInternal();
    } catch (RuntimeException e) {
      try {
        op.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e instanceof StartupException s ? s : new StartupException(StartupProblem.describe(e, kube), e);
    }
    return op;
  }

  /** Why the operator could not start, in one line for a person (no stack trace needed). */
  public static final class StartupException extends RuntimeException {
    StartupException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The Lease holder identity: the pod name (the chart sets POD_NAME) and a random part, unique per process. */
  private static String leaseIdentity() {
    String pod = System.getenv("POD_NAME");
    if (pod == null || pod.isBlank()) {
      pod = System.getenv("HOSTNAME");
    }
    String base = pod == null || pod.isBlank() ? DEFAULT_IDENTITY : pod;
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static final String DEFAULT_IDENTITY = "e2b-operator";

  private void stoppedLeading() {
    boolean wasLeading = leading;
    leading = false;
    if (closed.get() || !wasLeading) {
      return;
    }
    // Another instance holds the lease now: reconciling on would run two operators on the same sandboxes.
    LOG.error("lost the leader lease {}/{}; stopping this operator instance", config.leaseNamespace(),
        config.leaseName());
    Thread stopper = new Thread(() -> {
      close();
      onLostLeadership.run();
    }, "lost-leadership");
    stopper.start();
  }

  /** Whether this instance holds the leader lease (always false without leader election). */
  public boolean isLeader() {
    return leading;
  }

  /** The holder identity this instance writes into the Lease. */
  public String identity() {
    return identity;
  }

  /** Builds an E2B client for a configuration, recording into the operator's registry. */
  @FunctionalInterface
  public interface ClientFactory {
    /** {@code name} labels the client's metrics: "default", or a digest prefix of per-resource credentials. */
    E2BClient create(E2BClientConfig config, MeterRegistry registry, String name);
  }

  /** Production clients: OkHttp, the system clock for retry waits. */
  public static final ClientFactory HTTP_CLIENTS =
      (cfg, registry, name) -> HttpE2BClient.builder(cfg).meterRegistry(registry).clientName(name).build();

  private void startInternal() {
    // A plain list per kind first: a missing CRD or missing RBAC then fails with one clear message instead of
    // an informer stack trace per controller.
    StartupProblem.checkApi(kube, config.watchNamespaces(), KINDS);
    if (config.metricsPort() >= 0) {
      try {
        healthServer = new HealthServer(config.metricsHost(), config.metricsPort(), registry,
            () -> !closed.get() && operator.getRuntimeInfo().isStarted()
                && operator.getRuntimeInfo().allEventSourcesAreHealthy(),
            readiness);
      } catch (IOException e) {
        throw new StartupException("cannot serve metrics on " + config.metricsHost() + ":" + config.metricsPort()
            + ": " + e.getMessage(), e);
      }
    }
    operator.start();
    readiness.markReady();
    LOG.info("e2b-operator started: {}", config);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public SandboxActivity activity() {
    return activity;
  }

  /** The operator's Event recorder (its writes are queued; {@link EventRecorder#flush} waits for them). */
  public EventRecorder events() {
    return events;
  }

  public PoolClaims claims() {
    return claims;
  }

  public SandboxFleet fleet() {
    return fleet;
  }

  public E2BClients clients() {
    return clients;
  }

  public KubernetesClient kubernetes() {
    return kube;
  }

  public Clock clock() {
    return clock;
  }

  /** Port of /metrics, /healthz and /readyz, or -1 when not served. */
  public int metricsPort() {
    return healthServer == null ? -1 : healthServer.port();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    leading = false;
    try {
      operator.stop();
    } finally {
      if (healthServer != null) {
        healthServer.close();
      }
      events.close();
      clients.close();
    }
  }
}
