package io.neuraltrader.e2b.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.neuraltrader.e2b.observability.MetricNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Results of identical executions: the same deployed code and the same inputs within the TTL give the same
 * result without sending the execution again (the strategies are deterministic in their inputs).
 */
public class ExecutionCache {
  private record Entry(TickResult result, Instant expires) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration ttl;
  private final Counter hits;
  private final Counter misses;
  private final int maxEntries;

  public ExecutionCache(Clock clock, Duration ttl, int maxEntries, MeterRegistry registry) {
    this.clock = clock;
    this.ttl = ttl;
    this.maxEntries = maxEntries;
    this.hits = Counter.builder(MetricNames.EXECUTION_CACHE).tag("result", "hit")
        .description("Tick executions served from the result cache").register(registry);
    this.misses = Counter.builder(MetricNames.EXECUTION_CACHE).tag("result", "miss")
        .description("Tick executions sent to a sandbox").register(registry);
  }

  public static String key(String codeHash, String input) {
    return StrategyCode.sha256(codeHash + "\n" + input);
  }

  public Optional<TickResult> get(String key) {
    Entry e = entries.get(key);
    Instant now = clock.instant();
    if (e != null && now.isBefore(e.expires())) {
      hits.increment();
      return Optional.of(e.result());
    }
    misses.increment();
    return Optional.empty();
  }

  public void put(String key, TickResult result) {
    Instant now = clock.instant();
    if (entries.size() >= maxEntries) {
      entries.entrySet().removeIf(x -> !now.isBefore(x.getValue().expires()));
      if (entries.size() >= maxEntries) {
        entries.clear();
      }
    }
    entries.put(key, new Entry(result, now.plus(ttl)));
  }
}
