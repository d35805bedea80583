package io.neuraltrader.e2b.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.neuraltrader.e2b.E2BOperator;
import io.neuraltrader.e2b.OperatorConfig;
import io.neuraltrader.e2b.client.ApiKey;
import io.neuraltrader.e2b.client.BreakerSettings;
import io.neuraltrader.e2b.client.E2BClientConfig;
import io.neuraltrader.e2b.client.HttpE2BClient;
import io.neuraltrader.e2b.client.RetryPolicy;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import io.neuraltrader.e2b.local.SimulatedClock;
import io.neuraltrader.e2b.local.runtime.LocalSandboxRuntime;
import io.neuraltrader.e2b.local.runtime.RuntimeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The operator as it runs in production (same wiring, same reconcilers) against a {@link TestCluster} (the
 * in-memory Kubernetes API, or a real cluster when {@value TestCluster#KUBECONFIG_ENV} names a kubeconfig) and the
 * local E2B runtime, on a frozen simulated clock that only tests move. Use one per test.
 *
 * <p>The operator has a client of its own, separate from the test's {@link #client()}; every request it sends is
 * recorded as an {@link ApiAccess} and written to {@code target/rbac-requests/<test class>.tsv} on close, where
 * {@code RbacIT} compares them with the chart's RBAC rules.
 */
public final class OperatorHarness implements AutoCloseable {
  public static final Instant START = Instant.parse("2026-03-02T14:00:00Z");

  private final SimulatedClock clock;
  private final LocalSandboxRuntime runtime;
  private final TestCluster cluster;
  private final String source = ApiAccess.callerTestClass();
  private final List<Instance> instances = new ArrayList<>();
  private OperatorConfig config;
  private Instance current;
  /** Whether the operator's requests are recorded for the RBAC check (not in the bench: it costs CPU per request). */
  private final boolean recordApi;

  /** One operator instance with its own recorded client. */
  private record Instance(E2BOperator operator, KubernetesClient client, ApiRecorder recorder) {}

  private OperatorHarness(Consumer<RuntimeConfig.Builder> runtimeOptions, OperatorConfig base,
      boolean ownNamespaceOnly) {
    this(runtimeOptions, base, ownNamespaceOnly, TestCluster::create, true);
  }

  private OperatorHarness(Consumer<RuntimeConfig.Builder> runtimeOptions, OperatorConfig base,
      boolean ownNamespaceOnly, java.util.function.Supplier<TestCluster> clusters, boolean recordApi) {
    this.recordApi = recordApi;
    clock = SimulatedClock.frozenAt(START);
    RuntimeConfig.Builder rc = RuntimeConfig.builder().clock(clock).seed(7).maxTimeout(Duration.ofHours(24))
        .sweepInterval(Duration.ofMillis(50));
    runtimeOptions.accept(rc);
    runtime = LocalSandboxRuntime.start(rc.build());
    TestCluster created = null;
    try {
      created = clusters.get();
    } finally {
      if (created == null) {
        runtime.close();
      }
    }
    cluster = created;
    OperatorConfig c = base.withApiKey(ApiKey.of(runtime.config().apiKey()))
        .withEndpoints(runtime.baseUrl(), runtime.domain(), runtime.baseUrl())
        .withMetrics("127.0.0.1", 0)
        // The Lease lives beside the test's objects (a real cluster's namespace is fresh per harness).
        .withLeaderElection(base.leaderElection(), base.leaseName(), cluster.namespace());
    if (ownNamespaceOnly || cluster.watchOwnNamespaceOnly()) {
      c = c.withWatchNamespaces(Set.of(cluster.namespace()));
    }
    config = c;
    try {
      startOperator();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A harness with defaults: fleet poll 200 ms, orphan grace 5 s, status refresh 60 s (simulated). */
  public static OperatorHarness start() {
    return start(rc -> { }, c -> c);
  }

  public static OperatorHarness start(Consumer<RuntimeConfig.Builder> runtimeOptions,
      java.util.function.UnaryOperator<OperatorConfig> configure) {
    return new OperatorHarness(runtimeOptions, configure.apply(defaults()), false);
  }

  /** As {@link #start(Consumer, java.util.function.UnaryOperator)}, the operator watching only {@link #namespace()}. */
  public static OperatorHarness startInOwnNamespace(java.util.function.UnaryOperator<OperatorConfig> configure) {
    return new OperatorHarness(rc -> { }, configure.apply(defaults()), true);
  }

  /**
   * As {@link #start(Consumer, java.util.function.UnaryOperator)} on the cluster the environment variable
   * {@code kubeconfigEnv} names (a kubeconfig), or the in-memory API when it is unset.
   */
  public static OperatorHarness startOn(String kubeconfigEnv, Consumer<RuntimeConfig.Builder> runtimeOptions,
      java.util.function.UnaryOperator<OperatorConfig> configure) {
    return new OperatorHarness(runtimeOptions, configure.apply(defaults()), false,
        () -> TestCluster.create(kubeconfigEnv), true);
  }

  /**
   * As {@link #startOn(String, Consumer, java.util.function.UnaryOperator)} without recording the operator's
   * requests for the RBAC check, for measurements (recording decodes every request body).
   */
  public static OperatorHarness startUnrecordedOn(String kubeconfigEnv, Consumer<RuntimeConfig.Builder> runtimeOptions,
      java.util.function.UnaryOperator<OperatorConfig> configure) {
    return new OperatorHarness(runtimeOptions, configure.apply(defaults()), false,
        () -> TestCluster.create(kubeconfigEnv), false);
  }

  /** One more client of the test's API (e.g. for a client-side informer); the caller closes it. */
  public KubernetesClient newClient() {
    return cluster.newClient(new io.fabric8.kubernetes.client.http.Interceptor() { });
  }

  /** True when the harness runs against the in-memory API. */
  public boolean inMemory() {
    return cluster.inMemory().isPresent();
  }

  /** A harness on the given cluster (which it closes), with the defaults of {@link #start()}. */
  static OperatorHarness startOn(java.util.function.Supplier<TestCluster> cluster) {
    return new OperatorHarness(rc -> { }, defaults(), false, cluster, true);
  }

  private static OperatorConfig defaults() {
    return OperatorConfig.fromEnvironment(Map.of(), false)
        .withTimings(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(60));
  }

  /** Client retries wait for real but briefly, so fault tests stay quick; the breaker reopens after 1 s. */
  static final E2BOperator.ClientFactory TEST_CLIENTS = (cfg, registry, name) -> {
    E2BClientConfig.Builder b = E2BClientConfig.builder(cfg.apiKey())
        .apiUrl(cfg.apiUrl()).domain(cfg.domain())
        .retryPolicy(new RetryPolicy(5, Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(3)))
        .breaker(new BreakerSettings(20, 10, 0.5, Duration.ofSeconds(1)))
        .rateLimit(cfg.rateLimit())
        .maxConcurrentCreates(cfg.maxConcurrentCreates());
    cfg.sandboxUrlOverride().ifPresent(b::sandboxUrlOverride);
    return HttpE2BClient.builder(b.build()).meterRegistry(registry).clientName(name).build();
  };

  private void startOperator() {
    current = startInstance();
  }

  private Instance startInstance() {
    ApiRecorder recorder = new ApiRecorder(ApiAccess.Mode.of(config.watchNamespaces(), config.leaderElection(),
        config.leaseNamespace(), config.leaseName()));
    KubernetesClient operatorClient = cluster.newClient(recordApi ? recorder
        : new io.fabric8.kubernetes.client.http.Interceptor() { });
    try {
      Instance instance = new Instance(E2BOperator.start(config, operatorClient, clock, TEST_CLIENTS),
          operatorClient, recorder);
      synchronized (instances) {
        instances.add(instance);
      }
      return instance;
    } catch (RuntimeException e) {
      recorder.flush(source);
      operatorClient.close();
      throw e;
    }
  }

  private void stopInstance(Instance instance) {
    try {
      instance.operator().close();
    } finally {
      instance.client().close();
      instance.recorder().flush(source);
      synchronized (instances) {
        instances.remove(instance);
      }
    }
  }

  /** Stops the operator (not the API or the runtime), as a crash or rollout would. */
  public void stopOperator() {
    if (current != null) {
      Instance stopping = current;
      current = null;
      stopInstance(stopping);
    }
  }

  /** Starts a fresh operator instance against the same API and runtime. */
  public void restartOperator() {
    stopOperator();
    startOperator();
  }

  /**
   * Starts one more operator instance with the same configuration (e.g. a standby with leader election); it is
   * stopped by {@link #close()} or {@link #stop(E2BOperator)}.
   */
  public E2BOperator startAnotherOperator() {
    return startInstance().operator();
  }

  /** Stops an instance from {@link #startAnotherOperator()} or {@link #operator()}. */
  public void stop(E2BOperator operator) {
    Instance instance;
    synchronized (instances) {
      instance = instances.stream().filter(i -> i.operator() == operator).findFirst().orElse(null);
    }
    if (instance != null) {
      if (instance == current) {
        current = null;
      }
      stopInstance(instance);
    }
  }

  public E2BOperator operator() {
    return current == null ? null : current.operator();
  }

  public SimulatedClock clock() {
    return clock;
  }

  public LocalSandboxRuntime runtime() {
    return runtime;
  }

  /** The test's client (the operator has its own). */
  public KubernetesClient client() {
    return cluster.client();
  }

  /** The namespace of the test's objects: "default" in memory, a fresh one per harness on a real cluster. */
  public String namespace() {
    return cluster.namespace();
  }

  /** The configuration the operator runs with. */
  public OperatorConfig config() {
    return config;
  }

  /**
   * The in-memory API, for mock-only hooks (injected errors, request counts). On a real cluster the calling
   * test is skipped (a JUnit assumption), since those hooks do not exist there.
   */
  public InMemoryKubernetes kubernetes() {
    assumeInMemory();
    return cluster.inMemory().orElseThrow();
  }

  /** Skips the calling test on a real cluster (a JUnit assumption): it needs what only the in-memory API allows. */
  public void assumeInMemory() {
    assumeTrue(cluster.inMemory().isPresent(), "needs the in-memory Kubernetes API (" + TestCluster.KUBECONFIG_ENV
        + " points the tests at a real cluster)");
  }

  /** Applies YAML through the CRD schema (defaults, validation), as kubectl apply would. */
  public List<HasMetadata> apply(String yaml) {
    return cluster.apply(yaml);
  }

  public <T extends HasMetadata> T get(Class<T> kind, String name) {
    return client().resources(kind).inNamespace(namespace()).withName(name).get();
  }

  /** Waits (real time, bounded) until the resource exists and matches. */
  public <T extends HasMetadata> T awaitResource(Class<T> kind, String name, Predicate<T> condition) {
    return awaitResource(kind, name, condition, Duration.ofSeconds(40));
  }

  public <T extends HasMetadata> T awaitResource(Class<T> kind, String name, Predicate<T> condition,
      Duration timeout) {
    return await().atMost(timeout).pollInterval(Duration.ofMillis(25)).ignoreExceptions()
        .until(() -> get(kind, name), r -> r != null && condition.test(r));
  }

  public void awaitGone(Class<? extends HasMetadata> kind, String name) {
    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(25)).until(() -> get(kind, name) == null);
  }

  /** Moves the simulated clock; wakeups that came due fire within ~100 ms of real time. */
  public void advance(Duration by) {
    clock.advance(by);
  }

  /** Events recorded for an object, oldest first (after the operator's queued events are written). */
  public List<Event> events(String objectName) {
    if (!operator().events().flush(Duration.ofSeconds(30))) {
      throw new IllegalStateException("the operator's queued events were not written within 30 s");
    }
    return client().v1().events().inNamespace(namespace()).list().getItems().stream()
        .filter(e -> objectName.equals(e.getInvolvedObject().getName()))
        .sorted(java.util.Comparator.comparing(Event::getFirstTimestamp, java.util.Comparator.nullsFirst(
            java.util.Comparator.naturalOrder())))
        .toList();
  }

  public boolean hasEvent(String objectName, String reason) {
    return events(objectName).stream().anyMatch(e -> reason.equals(e.getReason()));
  }

  public void awaitEvent(String objectName, String reason) {
    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(25))
        .until(() -> hasEvent(objectName, reason));
  }

  @Override
  public void close() {
    try {
      List<Instance> running;
      synchronized (instances) {
        running = new ArrayList<>(instances);
      }
      current = null;
      for (Instance instance : running) {
        stopInstance(instance);
      }
    } finally {
      try {
        runtime.close();
      } finally {
        if (cluster != null) {
          cluster.close();
        }
      }
    }
  }
}
