package io.neuraltrader.e2b.api.v1alpha1;

/** Lifecycle phase of a TradingAgent. */
public enum AgentPhase {
  Pending,
  WaitingForSandbox,
  Running,
  Suspended,
  Disabled,
  OutsideMarketHours,
  Failed
}
