package io.neuraltrader.e2b.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neuraltrader.e2b.agent.AgentInputs;
import io.neuraltrader.e2b.agent.ExecutionCache;
import io.neuraltrader.e2b.agent.StrategyRunner;
import io.neuraltrader.e2b.agent.TickFailedException;
import io.neuraltrader.e2b.agent.TickResult;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.client.ApiKey;
import io.neuraltrader.e2b.client.BreakerSettings;
import io.neuraltrader.e2b.client.E2BClientConfig;
import io.neuraltrader.e2b.client.HttpE2BClient;
import io.neuraltrader.e2b.client.NewSandbox;
import io.neuraltrader.e2b.client.RateLimit;
import io.neuraltrader.e2b.client.RetryPolicy;
import io.neuraltrader.e2b.client.SandboxEndpoint;
import io.neuraltrader.e2b.local.SimulatedClock;
import io.neuraltrader.e2b.local.runtime.LocalSandboxRuntime;
import io.neuraltrader.e2b.local.runtime.RuntimeConfig;
import io.neuraltrader.e2b.shared.SandboxActivity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A strategy runner without the operator: a fresh local E2B runtime (real python3), the real HTTP client, one
 * sandbox and the production {@link StrategyRunner}. Each bench is independent of every other (own runtime,
 * own cache, own deployment), so two benches running the same spec are two independent runs.
 */
public final class StrategyBench implements AutoCloseable {
  public static final Instant START = OperatorHarness.START;

  private final SimulatedClock clock = SimulatedClock.frozenAt(START);
  private final LocalSandboxRuntime runtime;
  private final HttpE2BClient client;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final StrategyRunner runner;
  private final SandboxEndpoint sandbox;

  public StrategyBench() {
    this(Duration.ofMinutes(5));
  }

  public StrategyBench(Duration cacheTtl) {
    runtime = LocalSandboxRuntime.start(RuntimeConfig.builder().clock(clock).seed(7).maxTimeout(Duration.ofHours(24))
        .build());
    client = HttpE2BClient.builder(E2BClientConfig.builder(ApiKey.of(runtime.config().apiKey()))
            .apiUrl(runtime.baseUrl()).domain(runtime.domain()).sandboxUrlOverride(runtime.baseUrl())
            .retryPolicy(new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(3)))
            .breaker(BreakerSettings.defaults()).rateLimit(new RateLimit(1_000_000, 1_000_000))
            .maxConcurrentCreates(5).build())
        .meterRegistry(registry).clientName("bench").build();
    runner = new StrategyRunner(new ExecutionCache(clock, cacheTtl, 1000, registry), new SandboxActivity(), clock);
    sandbox = client.create(NewSandbox.builder("code-interpreter-v1").timeoutSeconds(3600).build()).endpoint();
  }

  public LocalSandboxRuntime runtime() {
    return runtime;
  }

  public SimulatedClock clock() {
    return clock;
  }

  public SimpleMeterRegistry registry() {
    return registry;
  }

  public StrategyRunner runner() {
    return runner;
  }

  public SandboxEndpoint sandbox() {
    return sandbox;
  }

  public HttpE2BClient client() {
    return client;
  }

  /** One tick with the given inputs. */
  public TickResult tick(TradingAgent agent, String code, String input) throws TickFailedException {
    return runner.tick(agent.getMetadata().getUid(), client, sandbox, code, input);
  }

  /** {@code ticks} consecutive ticks, each fed the previous state, one simulated minute apart. */
  public List<TickResult> run(TradingAgent agent, String code, int ticks) throws TickFailedException {
    return run(agent, code, null, ticks);
  }

  public List<TickResult> run(TradingAgent agent, String code, String csv, int ticks) throws TickFailedException {
    List<TickResult> results = new ArrayList<>();
    JsonNode state = null;
    for (int t = 0; t < ticks; t++) {
      Instant now = START.plus(Duration.ofMinutes(t));
      String input = AgentInputs.build(agent, agent.getSpec().getSymbols(), csv, Map.of(), t, now, state).toString();
      TickResult result = tick(agent, code, input);
      results.add(result);
      state = result.state();
    }
    return results;
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      runtime.close();
    }
  }
}
