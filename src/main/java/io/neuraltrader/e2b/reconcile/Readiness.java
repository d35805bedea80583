package io.neuraltrader.e2b.reconcile;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/** Set once the operator's informers have synced; orphan reaping and /readyz wait for it. */
public final class Readiness implements BooleanSupplier {
  private final AtomicBoolean ready = new AtomicBoolean();

  public void markReady() {
    ready.set(true);
  }

  @Override
  public boolean getAsBoolean() {
    return ready.get();
  }
}
