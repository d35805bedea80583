package io.neuraltrader.e2b.bench;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neuraltrader.e2b.agent.AgentInputs;
import io.neuraltrader.e2b.agent.ExecutionCache;
import io.neuraltrader.e2b.agent.StrategyCode;
import io.neuraltrader.e2b.agent.StrategyRunner;
import io.neuraltrader.e2b.agent.TickFailedException;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.client.ApiKey;
import io.neuraltrader.e2b.client.E2BClientConfig;
import io.neuraltrader.e2b.client.HttpE2BClient;
import io.neuraltrader.e2b.client.NewSandbox;
import io.neuraltrader.e2b.client.RateLimit;
import io.neuraltrader.e2b.client.Sandbox;
import io.neuraltrader.e2b.local.SimulatedClock;
import io.neuraltrader.e2b.local.runtime.LocalSandboxRuntime;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.local.runtime.RuntimeConfig;
import io.neuraltrader.e2b.shared.SandboxActivity;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The imperative approach the operator replaces, implemented honestly against the same local E2B runtime with
 * the same injected latencies: an {@link HttpE2BClient} driven by small loops, no Kubernetes, no pool.
 *
 * <ul>
 *   <li>agents: each request is served in turn, one cold create per agent, then the same strategy deploy and
 *       first tick the operator runs ({@link StrategyRunner}, same Python code and inputs);</li>
 *   <li>steady state: every poll (15 s) one GET per sandbox, and the E2B timeout renewed when half of it is
 *       left (the same keep-alive cadence as the operator).</li>
 * </ul>
 */
final class NaiveBaseline implements AutoCloseable {
  private final BenchSettings settings;
  private final SimulatedClock clock = SimulatedClock.frozenAt(OperatorHarness.START);
  private final LocalSandboxRuntime runtime;
  private final HttpE2BClient client;

  NaiveBaseline(BenchSettings settings) {
    this.settings = settings;
    runtime = LocalSandboxRuntime.start(RuntimeConfig.builder().clock(clock).seed(11)
        .maxTimeout(Duration.ofHours(24)).sweepInterval(Duration.ofMillis(50)).build());
    OperatorBenchmarkTest.injectLatencies(runtime, settings);
    E2BClientConfig cfg = E2BClientConfig.builder(ApiKey.of(runtime.config().apiKey()))
        .apiUrl(runtime.baseUrl()).domain(runtime.domain()).sandboxUrlOverride(runtime.baseUrl())
        .rateLimit(new RateLimit(10_000, 20_000)).maxConcurrentCreates(settings.createConcurrency()).build();
    client = HttpE2BClient.builder(cfg).meterRegistry(new SimpleMeterRegistry()).build();
  }

  LocalSandboxRuntime runtime() {
    return runtime;
  }

  /** Per-agent times (ns since the burst arrived) of: sandbox usable, first tick done. */
  record AgentTimes(List<Long> sandboxReadyNanos, List<Long> firstTickNanos, long totalNanos, int failures) {}

  /**
   * {@code count} agents ask for a sandbox at the same moment; the naive service creates one sandbox per
   * request, one request after the other, and runs the strategy's first tick in it.
   */
  AgentTimes agentsOnDemand(int count) {
    StrategyRunner runner = new StrategyRunner(new ExecutionCache(clock, Duration.ofMinutes(5), 10_000,
        new SimpleMeterRegistry()), new SandboxActivity(), clock);
    String code = StrategyCode.shipped(io.neuraltrader.e2b.api.v1alpha1.Strategy.momentum);
    List<Long> ready = new ArrayList<>();
    List<Long> ticks = new ArrayList<>();
    int failures = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      TradingAgent agent = Serialization.unmarshal(OperatorBenchmarkTest.agentYaml("naive-" + i, null, i),
          TradingAgent.class);
      agent.getMetadata().setNamespace(OperatorBenchmarkTest.NS);
      agent.getMetadata().setUid(UUID.randomUUID().toString());
      Sandbox sb = client.create(NewSandbox.builder("code-interpreter-v1").timeoutSeconds(300).secure(true)
          .metadata(Map.of("agent", agent.getMetadata().getName())).build());
      ready.add(System.nanoTime() - t0);
      String input = AgentInputs.build(agent, agent.getSpec().getSymbols(), null, Map.of(), 0, clock.instant(),
          null).toString();
      try {
        runner.tick(agent.getMetadata().getUid(), client, sb.endpoint(), code, input);
      } catch (TickFailedException e) {
        failures++;
      }
      ticks.add(System.nanoTime() - t0);
    }
    return new AgentTimes(ready, ticks, System.nanoTime() - t0, failures);
  }

  /** Steady state of the naive poller: E2B calls by operation over the simulated period. */
  record Steady(int sandboxes, Duration simulated, Map<ServedOperation, Long> calls, double sequentialRoundMs,
      int alive) {}

  Steady steady(int sandboxes, Duration period, Duration poll) throws Exception {
    int timeout = 300;
    ExecutorService pool = Executors.newFixedThreadPool(settings.naiveSteadyThreads());
    try {
      List<Future<String>> created = new ArrayList<>();
      for (int i = 0; i < sandboxes; i++) {
        int n = i;
        created.add(pool.submit(() -> client.create(NewSandbox.builder("code-interpreter-v1")
            .timeoutSeconds(timeout).metadata(Map.of("n", Integer.toString(n))).build()).sandboxID()));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> f : created) {
        ids.add(f.get());
      }
      Map<String, Instant> renewedAt = new java.util.concurrent.ConcurrentHashMap<>();
      ids.forEach(id -> renewedAt.put(id, clock.instant()));
      runtime.resetCounts();
      long steps = period.toMillis() / poll.toMillis();
      double sequentialRoundMs = Double.NaN;
      for (long step = 0; step < steps; step++) {
        clock.advance(poll);
        Instant now = clock.instant();
        if (step == 0) {
          // One round the way a simple script does it: sequentially. Timed to show how it scales.
          long t = System.nanoTime();
          for (String id : ids) {
            client.get(id);
          }
          sequentialRoundMs = (System.nanoTime() - t) / 1e6;
        } else {
          List<Future<?>> gets = new ArrayList<>();
          for (String id : ids) {
            gets.add(pool.submit(() -> client.get(id)));
          }
          for (Future<?> f : gets) {
            f.get();
          }
        }
        List<Future<?>> renewals = new ArrayList<>();
        for (String id : ids) {
          if (!now.isBefore(renewedAt.get(id).plusSeconds(timeout / 2))) {
            renewals.add(pool.submit(() -> {
              client.setTimeout(id, timeout);
              renewedAt.put(id, now);
            }));
          }
        }
        for (Future<?> f : renewals) {
          f.get();
        }
      }
      Map<ServedOperation, Long> calls = new EnumMap<>(runtime.requestCounts());
      return new Steady(sandboxes, Duration.ofMillis(steps * poll.toMillis()), Collections.unmodifiableMap(calls),
          sequentialRoundMs, runtime.sandboxCount());
    } finally {
      pool.shutdownNow();
    }
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
