package io.neuraltrader.e2b.reconcile;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps as Kubernetes writes them (UTC, second precision). */
public final class Times {
  private Times() {}

  public static String format(Instant instant) {
    return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** Parses a timestamp; null or unparsable input gives null. */
  public static Instant parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
