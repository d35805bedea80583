package io.neuraltrader.e2b.local.runtime;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Requests received per operation, counted before any fault, for API-call budgets in tests and benchmarks. */
final class RequestCounter {

  private final AtomicLongArray counts = new AtomicLongArray(Operation.values().length);

  void increment(Operation op) {
    counts.incrementAndGet(op.ordinal());
  }

  long get(Operation op) {
    return counts.get(op.ordinal());
  }

  Map<Operation, Long> snapshot() {
    Map<Operation, Long> out = new EnumMap<>(Operation.class);
    for (Operation op : Operation.values()) {
      out.put(op, counts.get(op.ordinal()));
    }
    return out;
  }

  void reset() {
    for (int i = 0; i < counts.length(); i++) {
      counts.set(i, 0);
    }
  }
}
