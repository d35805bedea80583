package io.neuraltrader.e2b.client;

import java.time.Duration;

/** Waits for a duration. Injected so tests can record waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  /** The real one: blocks the calling thread. */
  Sleeper SYSTEM = d -> {
    if (!d.isNegative() && !d.isZero()) {
      Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    }
  };
}
