package io.neuraltrader.e2b.local.apiserver;

import java.time.Duration;

/**
 * The ages the API server prints in Table cells of type date (apimachinery's {@code duration.HumanDuration}):
 * seconds below two minutes, then minutes and seconds, hours and minutes, days, years; more than a second
 * in the future is {@code <invalid>}.
 */
final class HumanDuration {
  private HumanDuration() {}

  static String of(Duration d) {
    // Truncated toward zero, as Go's int(d.Seconds()).
    long seconds = d.isNegative() ? -d.negated().getSeconds() : d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    }
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    long hours = minutes / 60;
    long days = hours / 24;
    if (minutes < 10) {
      return pair(minutes, "m", seconds % 60, "s");
    }
    if (minutes < 60 * 3) {
      return minutes + "m";
    }
    if (hours < 8) {
      return pair(hours, "h", minutes % 60, "m");
    }
    if (hours < 48) {
      return hours + "h";
    }
    if (hours < 24 * 8) {
      return pair(days, "d", hours % 24, "h");
    }
    if (hours < 24 * 365 * 2) {
      return days + "d";
    }
    if (hours < 24 * 365 * 8) {
      return pair(days / 365, "y", days % 365, "d");
    }
    return days / 365 + "y";
  }

  /** "3m" or "3m5s": the smaller unit only when not zero. */
  private static String pair(long large, String largeUnit, long small, String smallUnit) {
    return small == 0 ? large + largeUnit : large + largeUnit + small + smallUnit;
  }
}
