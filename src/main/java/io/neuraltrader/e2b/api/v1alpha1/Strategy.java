package io.neuraltrader.e2b.api.v1alpha1;

/** Trading strategies shipped with the operator, plus user code from a ConfigMap. */
public enum Strategy {
  momentum,
  mean_reversion,
  pairs_trading,
  arbitrage,
  custom
}
