package io.neuraltrader.e2b;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.neuraltrader.e2b.deployment.DeploymentReconciler;
import io.neuraltrader.e2b.e2b.E2BClient;
import io.neuraltrader.e2b.e2b.E2BClientConfig;
import io.neuraltrader.e2b.e2b.HttpE2BClient;
import io.neuraltrader.e2b.e2b.RateLimit;
import io.neuraltrader.e2b.observability.EventRecorder;
import io.neuraltrader.e2b.observability.HealthServer;
import io.neuraltrader.e2b.agent.AgentMetrics;
import io.neuraltrader.e2b.agent.AgentReconciler;
import io.neuraltrader.e2b.agent.AgentStateStore;
import io.neuraltrader.e2b.agent.ExecutionCache;
import io.neuraltrader.e2b.agent.StrategyRunner;
import io.neuraltrader.e2b.pool.PoolClaims;
import io.neuraltrader.e2b.pool.PoolReconciler;
import io.neuraltrader.e2b.reconcile.Readiness;
import io.neuraltrader.e2b.sandbox.E2BClients;
import io.neuraltrader.e2b.sandbox.ReferenceResolver;
import io.neuraltrader.e2b.sandbox.SandboxActivity;
import io.neuraltrader.e2b.sandbox.SandboxFleet;
import io.neuraltrader.e2b.sandbox.SandboxMetrics;
import io.neuraltrader.e2b.sandbox.SandboxReconciler;
import io.neuraltrader.e2b.sandbox.SandboxSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole operator: one place that wires the E2B clients, the reconcilers, metrics and health, for the
 * cluster, local mode and the tests alike (so tests run the production wiring).
 */
public final class E2BOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(E2BOperator.class);

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
  private HealthServer healthServer;

  private E2BOperator(OperatorConfig config, KubernetesClient kube, Clock clock,
      ClientFactory clientFactory) {
    this.config = config;
    this.kube = kube;
    this.clock = clock;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    ReferenceResolver references = new ReferenceResolver(kube);
    E2BClient defaultClient = clientFactory.create(clientConfig(config), registry, "default");
    this.clients = new E2BClients(defaultClient, (credentials, name) -> clientFactory.create(
        clientConfig(config.withApiKey(credentials.apiKey()).withEndpoints(
            credentials.apiUrl() != null ? credentials.apiUrl() : config.apiUrl(),
            credentials.domain() != null ? credentials.domain() : config.domain(),
            config.sandboxUrlOverride())), registry, name), references);
    EventRecorder events = new EventRecorder(kube, clock, config.operatorId());
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
        o.withLeaderElectionConfiguration(
            new LeaderElectionConfiguration(config.leaseName(), config.leaseNamespace()));
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

  /** Builds and starts the operator; returns once its informers have synced. */
  public static E2BOperator start(OperatorConfig config, KubernetesClient kube, Clock clock,
      ClientFactory clientFactory) {
    E2BOperator op = new E2BOperator(config, kube, clock, clientFactory);
    op.startInternal();
    return op;
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
    if (config.metricsPort() >= 0) {
      try {
        healthServer = new HealthServer(config.metricsHost(), config.metricsPort(), registry,
            () -> operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy(),
            readiness);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot serve metrics on port " + config.metricsPort(), e);
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
    try {
      operator.stop();
    } finally {
      if (healthServer != null) {
        healthServer.close();
      }
      clients.close();
    }
  }
}
