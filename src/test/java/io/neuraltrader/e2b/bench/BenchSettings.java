package io.neuraltrader.e2b.bench;

import java.time.Duration;

/**
 * Benchmark knobs, all overridable with system properties ({@code mvn ... -Dbench.latency.create.ms=500}).
 * Defaults follow the issue: 300 ms create, 50 ms execute, 20 ms for every other E2B call.
 */
record BenchSettings(
    Duration createLatency,
    Duration executeLatency,
    Duration otherLatency,
    int coldCount,
    int coldIsolatedSamples,
    int createConcurrency,
    int warmCount,
    int burstCount,
    double sustainedRate,
    Duration sustainedDuration,
    int sustainedPool,
    int scaleReplicas,
    int steadySandboxes,
    Duration steadyDuration,
    Duration pollInterval,
    int naiveSteadySandboxes,
    int naiveSteadyThreads,
    String costWeekStart,
    String output) {

  static BenchSettings fromSystemProperties() {
    return new BenchSettings(
        Duration.ofMillis(longProp("bench.latency.create.ms", 300)),
        Duration.ofMillis(longProp("bench.latency.execute.ms", 50)),
        Duration.ofMillis(longProp("bench.latency.other.ms", 20)),
        (int) longProp("bench.cold.count", 200),
        (int) longProp("bench.cold.isolated", 20),
        (int) longProp("bench.cold.concurrency", 10),
        (int) longProp("bench.warm.count", 50),
        (int) longProp("bench.burst.count", 300),
        longProp("bench.sustained.rate", 45),
        Duration.ofSeconds(longProp("bench.sustained.seconds", 60)),
        (int) longProp("bench.sustained.pool", 900),
        (int) longProp("bench.scale.replicas", 50),
        (int) longProp("bench.steady.sandboxes", 1000),
        Duration.ofMinutes(longProp("bench.steady.minutes", 60)),
        Duration.ofSeconds(longProp("bench.poll.seconds", 15)),
        (int) longProp("bench.naive.steady.sandboxes", 50),
        (int) longProp("bench.naive.threads", 16),
        System.getProperty("bench.cost.week", "2026-03-02"),
        System.getProperty("bench.output", "target/bench"));
  }

  private static long longProp(String name, long dflt) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? dflt : Long.parseLong(v.trim());
  }
}
