package io.neuraltrader.e2b.api.v1alpha1;

/** Lifecycle phase of an E2BSandbox. */
public enum SandboxPhase {
  Pending,
  Creating,
  Running,
  Paused,
  Expired,
  Failed,
  Terminating
}
