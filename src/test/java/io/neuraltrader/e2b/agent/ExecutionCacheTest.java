package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.SimulatedClock;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.observability.MetricNames;
import io.neuraltrader.e2b.testing.StrategyBench;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Identical (code, inputs) within the TTL are answered from the cache, and counted as hits. */
class ExecutionCacheTest {
  static double count(MeterRegistry registry, String result) {
    Counter c = registry.find(MetricNames.EXECUTION_CACHE).tag("result", result).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void entriesExpireAfterTheTtlAndTheCacheStaysBounded() {
    SimulatedClock clock = SimulatedClock.frozenAt(Instant.parse("2026-03-02T15:00:00Z"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ExecutionCache cache = new ExecutionCache(clock, Duration.ofMinutes(5), 3, registry);
    TickResult result = new TickResult(0, List.of(), 0, new io.neuraltrader.e2b.api.v1alpha1.Portfolio(),
        new io.neuraltrader.e2b.api.v1alpha1.Performance(), List.of(), false, null, Agents.MAPPER.createObjectNode());
    String key = ExecutionCache.key("code-hash", "{\"tick\":0}");
    assertNotEquals(key, ExecutionCache.key("code-hash", "{\"tick\":1}"));
    assertNotEquals(key, ExecutionCache.key("other-code", "{\"tick\":0}"));
    assertTrue(cache.get(key).isEmpty());
    cache.put(key, result);
    assertSame(result, cache.get(key).orElseThrow());
    clock.advance(Duration.ofMinutes(4));
    assertSame(result, cache.get(key).orElseThrow());
    clock.advance(Duration.ofMinutes(1));
    assertTrue(cache.get(key).isEmpty(), "expired at the TTL");
    assertEquals(2, count(registry, "hit"));
    assertEquals(2, count(registry, "miss"));
    for (int i = 0; i < 10; i++) {
      cache.put("k" + i, result);
    }
    assertTrue(cache.get("k9").isPresent(), "the newest entry survives eviction");
  }

  @Test
  void anIdenticalTickIsNotSentAgain() throws Exception {
    try (StrategyBench bench = new StrategyBench(Duration.ofMinutes(5))) {
      TradingAgent agent = Agents.agent("cached", Strategy.momentum, "AAPL", "MSFT");
      String code = StrategyCode.shipped(Strategy.momentum);
      String input = AgentInputs.build(agent, agent.getSpec().getSymbols(), null, Map.of(), 0,
          StrategyBench.START, null).toString();
      TickResult first = bench.tick(agent, code, input);
      long executions = bench.runtime().requestCount(ServedOperation.EXECUTE);
      assertEquals(0, count(bench.registry(), "hit"));

      TickResult second = bench.tick(agent, code, input);
      assertSame(first, second, "served from the cache");
      assertEquals(executions, bench.runtime().requestCount(ServedOperation.EXECUTE), "no execution was sent");
      assertEquals(1, count(bench.registry(), "hit"));

      String next = AgentInputs.build(agent, agent.getSpec().getSymbols(), null, Map.of(), 1,
          StrategyBench.START, first.state()).toString();
      bench.tick(agent, code, next);
      assertEquals(executions + 1, bench.runtime().requestCount(ServedOperation.EXECUTE), "other inputs execute");

      bench.clock().advance(Duration.ofMinutes(6));
      TickResult afterTtl = bench.tick(agent, code, input);
      assertEquals(executions + 2, bench.runtime().requestCount(ServedOperation.EXECUTE), "expired: executed again");
      assertEquals(Agents.json(first.portfolio()), Agents.json(afterTtl.portfolio()), "and deterministic");
      assertEquals(1, count(bench.registry(), "hit"));
    }
  }
}
