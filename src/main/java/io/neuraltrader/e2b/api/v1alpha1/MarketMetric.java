package io.neuraltrader.e2b.api.v1alpha1;

/** A figure the agents observe each tick (see {@link MarketObservation}). */
public enum MarketMetric {
  volatility,
  volume,
  spread
}
