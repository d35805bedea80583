package io.neuraltrader.e2b.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.neuraltrader.e2b.E2BOperator;
import io.neuraltrader.e2b.OperatorConfig;
import io.neuraltrader.e2b.e2b.ApiKey;
import io.neuraltrader.e2b.e2b.BreakerSettings;
import io.neuraltrader.e2b.e2b.E2BClientConfig;
import io.neuraltrader.e2b.e2b.HttpE2BClient;
import io.neuraltrader.e2b.e2b.RetryPolicy;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import io.neuraltrader.e2b.local.SimulatedClock;
import io.neuraltrader.e2b.local.runtime.LocalSandboxRuntime;
import io.neuraltrader.e2b.local.runtime.RuntimeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The operator as it runs in production (same wiring, same reconcilers) against the in-memory Kubernetes API
 * and the local E2B runtime, on a frozen simulated clock that only tests move. Use one per test.
 */
public final class OperatorHarness implements AutoCloseable {
  public static final Instant START = Instant.parse("2026-03-02T14:00:00Z");
  public static final String NAMESPACE = "default";

  private final SimulatedClock clock;
  private final LocalSandboxRuntime runtime;
  private final InMemoryKubernetes kube;
  private OperatorConfig config;
  private E2BOperator operator;

  private OperatorHarness(Consumer<RuntimeConfig.Builder> runtimeOptions, OperatorConfig base) {
    clock = SimulatedClock.frozenAt(START);
    RuntimeConfig.Builder rc = RuntimeConfig.builder().clock(clock).seed(7).maxTimeout(Duration.ofHours(24))
        .sweepInterval(Duration.ofMillis(50));
    runtimeOptions.accept(rc);
    runtime = LocalSandboxRuntime.start(rc.build());
    kube = new InMemoryKubernetes();
    config = base.withApiKey(ApiKey.of(runtime.config().apiKey()))
        .withEndpoints(runtime.baseUrl(), runtime.domain(), runtime.baseUrl())
        .withMetrics("127.0.0.1", 0);
    startOperator();
  }

  /** A harness with defaults: fleet poll 200 ms, orphan grace 5 s, status refresh 60 s (simulated). */
  public static OperatorHarness start() {
    return start(rc -> { }, c -> c);
  }

  public static OperatorHarness start(Consumer<RuntimeConfig.Builder> runtimeOptions,
      java.util.function.UnaryOperator<OperatorConfig> configure) {
    OperatorConfig base = OperatorConfig.fromEnvironment(Map.of(), false)
        .withTimings(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(60));
    return new OperatorHarness(runtimeOptions, configure.apply(base));
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
    operator = E2BOperator.start(config, kube.client(), clock, TEST_CLIENTS);
  }

  /** Stops the operator (not the API or the runtime), as a crash or rollout would. */
  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  /** Starts a fresh operator instance against the same API and runtime. */
  public void restartOperator() {
    stopOperator();
    startOperator();
  }

  public E2BOperator operator() {
    return operator;
  }

  public SimulatedClock clock() {
    return clock;
  }

  public LocalSandboxRuntime runtime() {
    return runtime;
  }

  public KubernetesClient client() {
    return kube.client();
  }

  public InMemoryKubernetes kubernetes() {
    return kube;
  }

  /** Applies YAML through the CRD schema (defaults, validation), as kubectl apply would. */
  public List<HasMetadata> apply(String yaml) {
    return kube.apply(yaml, NAMESPACE);
  }

  public <T extends HasMetadata> T get(Class<T> kind, String name) {
    return client().resources(kind).inNamespace(NAMESPACE).withName(name).get();
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

  /** Events recorded for an object, oldest first. */
  public List<Event> events(String objectName) {
    return client().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
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
      stopOperator();
    } finally {
      try {
        runtime.close();
      } finally {
        kube.close();
      }
    }
  }
}
