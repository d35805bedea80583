package io.neuraltrader.e2b.api.v1alpha1;

import java.util.List;

/**
 * Keeps free text and lists that the operator copies into status (errors, strategy output) within the bounds
 * the CRD declares for them, so a status write is never refused for its size.
 */
final class Bounded {
  private Bounded() {}

  static String text(String value, int max) {
    if (value == null || value.length() <= max) {
      return value;
    }
    return value.substring(0, max - 3) + "...";
  }

  static <T> List<T> list(List<T> value, int max) {
    if (value == null || value.size() <= max) {
      return value;
    }
    return new java.util.ArrayList<>(value.subList(0, max));
  }
}
