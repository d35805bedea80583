package io.neuraltrader.e2b.testing;

import io.neuraltrader.e2b.OperatorConfig;

/** Operator settings the config record has no wither for, built through its canonical constructor. */
public final class TestConfigs {
  private TestConfigs() {}

  /** The same configuration with another create cap and client rate limit (requests per second). */
  public static OperatorConfig withE2BCapacity(OperatorConfig c, int maxConcurrentCreates, double ratePerSecond) {
    return new OperatorConfig(c.operatorId(), c.watchNamespaces(), c.apiKey(), c.apiUrl(), c.domain(),
        c.sandboxUrlOverride(), c.metricsHost(), c.metricsPort(), c.leaderElection(), c.leaseName(),
        c.leaseNamespace(), maxConcurrentCreates, ratePerSecond, c.pollInterval(), c.orphanGrace(),
        c.statusRefresh(), c.reconcileThreads());
  }
}
