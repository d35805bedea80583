package io.neuraltrader.e2b.local.runtime;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Requests received per operation, counted before any fault, for API-call budgets in tests and benchmarks. */
final class RequestCounter {

  private final AtomicLongArray counts = new AtomicLongArray(ServedOperation.values().length);

  void increment(ServedOperation op) {
    counts.incrementAndGet(op.ordinal());
  }

  long get(ServedOperation op) {
    return counts.get(op.ordinal());
  }

  Map<ServedOperation, Long> snapshot() {
    Map<ServedOperation, Long> out = new EnumMap<>(ServedOperation.class);
    for (ServedOperation op : ServedOperation.values()) {
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
