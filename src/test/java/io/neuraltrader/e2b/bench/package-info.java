/**
 * {@code make bench}: measured speed, cost and scale of the operator, side by side with the naive approach.
 *
 * <p>Run: {@code make bench}, or {@code mvn -B -o test -DexcludedTestGroups= -DtestGroups=bench
 * -Dtest='io.neuraltrader.e2b.bench.**'}. Results: {@code target/bench/results.json} (one object per scenario:
 * cold, warm, scale, steady, naive, cost, each with a {@code ratios} object, plus {@code meta}) and
 * {@code target/bench/results.txt} (the table, also printed to the test output).
 *
 * <p>Knobs (system properties, defaults in brackets): {@code bench.latency.create.ms} [300],
 * {@code bench.latency.execute.ms} [50], {@code bench.latency.other.ms} [20], {@code bench.cold.count} [200],
 * {@code bench.cold.isolated} [20], {@code bench.cold.concurrency} [10], {@code bench.warm.count} [50],
 * {@code bench.scale.replicas} [50], {@code bench.steady.sandboxes} [1000], {@code bench.steady.minutes} [60],
 * {@code bench.poll.seconds} [15], {@code bench.naive.steady.sandboxes} [50], {@code bench.naive.threads} [16],
 * {@code bench.cost.week} [2026-03-02], {@code bench.output} [target/bench], {@code bench.threads} [false: print
 * thread CPU by name].
 *
 * <p>Method: every scenario starts a fresh {@link io.neuraltrader.e2b.testing.OperatorHarness} (production wiring,
 * in-memory Kubernetes API, local E2B runtime) with latency injected per operation through the runtime's
 * {@code FaultPlan}. Times are wall clock, taken on the client side: the nanoTime just before the apply and the
 * nanoTime at which a client-side informer (own client) first sees the resource in the wanted state. Nothing is
 * asserted except that the benchmark ran; a failing scenario records its error in the JSON and the table.
 */
package io.neuraltrader.e2b.bench;
