package io.neuraltrader.e2b.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Defensive copies for model records. */
final class Maps {
  private Maps() {}

  static <V> Map<String, V> copy(Map<String, V> m) {
    return m == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  static <T> List<T> copy(List<T> l) {
    return l == null ? null : List.copyOf(l);
  }

  /** Shows keys only: env vars and similar maps may hold secrets. */
  static String keysOnly(Map<String, String> m) {
    return m == null ? "null" : m.keySet().toString();
  }
}
