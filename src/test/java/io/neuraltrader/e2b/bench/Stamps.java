package io.neuraltrader.e2b.bench;

import java.time.Duration;

/** When each resource first matched a condition. */
interface Stamps {
  /** nanoTime at which {@code name} first matched, or null. */
  Long reachedAt(String name);

  int reached();

  /** Waits (real time) until {@code n} resources matched; false on timeout. */
  default boolean awaitReached(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (reached() < n) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Watcher.sleep(5);
    }
    return true;
  }
}
