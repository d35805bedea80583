package io.neuraltrader.e2b.local.runtime;

/**
 * E2B's transitional sandbox states (its API keeps running, pausing, killing and snapshotting). While one
 * lasts, pause answers 409 "cannot be paused while in '<state>' state" and connect answers 409 for a kill
 * (it waits out the others).
 */
public enum Transition {
  /** Becomes paused when it ends (E2B needs about 4 s per GiB of memory). */
  PAUSING("pausing"),
  /** Is gone when it ends. */
  KILLING("killing"),
  /** Is running again when it ends. */
  SNAPSHOTTING("snapshotting");

  private final String wireName;

  Transition(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
