package io.neuraltrader.e2b.api.v1alpha1;

/** What happens to a sandbox that has been idle for its idleTimeout. */
public enum IdleAction {
  Delete,
  Pause
}
