package io.neuraltrader.e2b.api.v1alpha1;

/** What happens to agents removed when a schedule window ends. */
public enum OffHoursPolicy {
  /** Delete the agents and their sandboxes; the next window creates fresh ones. */
  Delete,
  /** Keep the agents suspended with paused sandboxes (memory and disk kept); the next window resumes them. */
  Pause
}
