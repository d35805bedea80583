package io.neuraltrader.e2b.client.integration;

import io.neuraltrader.e2b.client.NewSandbox;
import io.neuraltrader.e2b.client.Sandbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neuraltrader.e2b.client.ApiKey;
import io.neuraltrader.e2b.client.BreakerSettings;
import io.neuraltrader.e2b.client.E2BClientConfig;
import io.neuraltrader.e2b.client.E2BMetrics;
import io.neuraltrader.e2b.client.HttpE2BClient;
import io.neuraltrader.e2b.client.RateLimit;
import io.neuraltrader.e2b.client.RetryPolicy;
import io.neuraltrader.e2b.client.Sleeper;
import io.neuraltrader.e2b.local.SimulatedClock;
import io.neuraltrader.e2b.local.runtime.LocalSandboxRuntime;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.local.runtime.RuntimeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;

/**
 * The real {@link HttpE2BClient} wired to a real {@link LocalSandboxRuntime}: control plane at the runtime's
 * base URL, code execution routed there too by the E2b-Sandbox-Id header.
 *
 * <p>The runtime and the client each run on their own frozen {@link SimulatedClock}: only the test moves
 * the runtime's (sandbox expiry), and only the recording sleeper moves the client's (retry budget, breaker).
 * The sleeper never blocks: it records the wait, advances the client clock by it and then runs
 * {@link #afterSleep}, the hook the fault tests use to end a fault burst after exactly N retries.
 */
final class Harness implements AutoCloseable {
  static final String API_KEY = "e2b_it_7c1f9a3e5b2d4068SECRETKEY";
  static final Instant START = Instant.parse("2025-03-03T14:30:00Z");
  static final String TEMPLATE = "code-interpreter-v1";
  static final RetryPolicy RETRIES =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(60));

  final SimulatedClock serverClock = SimulatedClock.frozenAt(START);
  final SimulatedClock clientClock = SimulatedClock.frozenAt(START);
  final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
  /** Called with the number of sleeps so far, after each one. */
  volatile IntConsumer afterSleep = n -> { };
  final Sleeper sleeper = d -> {
    sleeps.add(d);
    clientClock.advance(d);
    afterSleep.accept(sleeps.size());
  };
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final LocalSandboxRuntime runtime;
  private final List<HttpE2BClient> clients = new ArrayList<>();

  Harness() {
    this(1L);
  }

  Harness(long seed) {
    this.runtime = LocalSandboxRuntime.start(RuntimeConfig.builder()
        .apiKey(API_KEY)
        .clock(serverClock)
        .seed(seed)
        .build());
  }

  /** Client settings: the runtime's key and URLs, no client-side throttling (the clock is frozen). */
  E2BClientConfig.Builder config(String apiKey) {
    return E2BClientConfig.builder(ApiKey.of(apiKey))
        .apiUrl(runtime.baseUrl())
        .domain(runtime.domain())
        .sandboxUrlOverride(runtime.baseUrl())
        .retryPolicy(RETRIES)
        .breaker(BreakerSettings.defaults())
        .rateLimit(new RateLimit(1_000_000, 1_000_000))
        .maxConcurrentCreates(5);
  }

  /** A sandbox of the default template with these metadata tags, created through {@code client}. */
  static Sandbox create(HttpE2BClient client, java.util.Map<String, String> metadata) {
    return client.create(NewSandbox.builder(TEMPLATE).timeoutSeconds(300).metadata(metadata).build());
  }

  HttpE2BClient client() {
    return client(API_KEY, b -> b);
  }

  HttpE2BClient client(UnaryOperator<E2BClientConfig.Builder> tune) {
    return client(API_KEY, tune);
  }

  HttpE2BClient client(String apiKey, UnaryOperator<E2BClientConfig.Builder> tune) {
    HttpE2BClient c = HttpE2BClient.builder(tune.apply(config(apiKey)).build())
        .meterRegistry(registry)
        .clock(clientClock)
        .sleeper(sleeper)
        .random(new Random(42))
        .build();
    clients.add(c);
    return c;
  }

  long count(ServedOperation op) {
    return runtime.requestCount(op);
  }

  /** Attempts the client recorded under e2b.requests{operation, outcome}. */
  long attempts(String operation, String outcome) {
    Timer t = registry.find(E2BMetrics.REQUESTS).tag(E2BMetrics.TAG_OPERATION, operation)
        .tag(E2BMetrics.TAG_OUTCOME, outcome).timer();
    return t == null ? 0 : t.count();
  }

  /** Retries the client recorded under e2b.retries{operation, reason}. */
  double retries(String operation, String reason) {
    Counter c = registry.find(E2BMetrics.RETRIES).tag(E2BMetrics.TAG_OPERATION, operation)
        .tag(E2BMetrics.TAG_REASON, reason).counter();
    return c == null ? 0 : c.count();
  }

  /**
   * The statuses the runtime's FaultInjector answers, for a plan with errorRate 1.0, to the first
   * {@code n} requests of {@code op}. It mirrors FaultInjector's documented determinism (one Random per
   * operation, derived from the seed; three draws per request: outcome, status index, lost-create) so a
   * test can pick a seed whose burst consists of the statuses it wants. Tests that rely on it also check
   * what the client observed, so a change in the injector's drawing fails loudly instead of silently.
   */
  static int[] injectedErrorStatuses(long seed, ServedOperation op, int n) {
    int[] statuses = {500, 502, 503};
    Random random = new Random(seed ^ (0x9E3779B97F4A7C15L * (op.ordinal() + 1)));
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      random.nextDouble();
      out[i] = statuses[random.nextInt(statuses.length)];
      random.nextDouble();
    }
    return out;
  }

  /** The smallest seed >= 1 whose first {@code n} injected errors for {@code op} all satisfy {@code want}. */
  static long seedWhoseErrorsAre(ServedOperation op, int n, IntPredicate want) {
    for (long seed = 1; seed < 100_000; seed++) {
      boolean all = true;
      for (int s : injectedErrorStatuses(seed, op, n)) {
        all &= want.test(s);
      }
      if (all) {
        return seed;
      }
    }
    throw new IllegalStateException("no seed found");
  }

  @Override
  public void close() {
    try {
      clients.forEach(HttpE2BClient::close);
    } finally {
      runtime.close();
    }
  }
}
