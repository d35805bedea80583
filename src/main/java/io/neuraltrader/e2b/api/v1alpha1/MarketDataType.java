package io.neuraltrader.e2b.api.v1alpha1;

/** Where an agent's prices come from. */
public enum MarketDataType {
  /** Deterministic prices from a seed: same seed, same prices, same signals. */
  synthetic,
  /** CSV rows timestamp,symbol,price[,venue] from a ConfigMap key. */
  configMap,
  /** A price provider fetched over HTTP from inside the sandbox. */
  http
}
