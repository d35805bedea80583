package io.neuraltrader.e2b.schedule;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes-style durations ("500ms", "90s", "30m", "8h", "2d", "1h30m").
 *
 * <p>Parsing is strict: no signs, spaces, fractions or units other than ms, s, m, h, d. Components add
 * up, in any order ("30m1h" is 90 minutes), which is exactly what {@link #PATTERN} describes, so a value
 * the CRD schema lets through never fails here, except a number too large for {@link Duration} (about
 * 19 digits or more), which is reported as "too large" rather than wrapped around.
 */
public final class Durations {

  /** For CRD schemas ({@code @Pattern}); RE2-compatible (no look-around), so the API server can use it. */
  public static final String PATTERN = "^([0-9]+(ms|s|m|h|d))+$";

  private static final Pattern WHOLE = Pattern.compile(PATTERN);
  // "ms" must come before "m" so that "5ms" is not read as 5 minutes followed by junk.
  private static final Pattern COMPONENT = Pattern.compile("([0-9]+)(ms|s|m|h|d)");
  private static final String EXAMPLES = "expected e.g. 30s, 5m, 8h, 1h30m";

  private Durations() {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} with the offending value on bad input. */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("invalid duration: missing value, " + EXAMPLES);
    }
    if (!WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException("invalid duration '" + text + "': " + EXAMPLES);
    }
    Matcher m = COMPONENT.matcher(text);
    Duration total = Duration.ZERO;
    try {
      while (m.find()) {
        long amount = Long.parseLong(m.group(1));
        total = total.plus(unitOf(m.group(2)).multipliedBy(amount));
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("invalid duration '" + text + "': too large", e);
    }
    return total;
  }

  /** Like {@link #parse} but a null or empty value gives {@code fallback} (an optional spec field). */
  public static Duration parseOrDefault(String text, Duration fallback) {
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    return parse(text);
  }

  /**
   * The shortest text that {@link #parse} reads back to {@code d}, e.g. "1h30m"; for status fields and
   * messages. Sub-millisecond parts cannot be written in this syntax and are rejected.
   */
  public static String format(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("a duration cannot be negative: " + d);
    }
    if (d.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException("a duration finer than milliseconds cannot be written: " + d);
    }
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long seconds = d.getSeconds();
    append(out, seconds / 86_400, "d");
    append(out, seconds % 86_400 / 3_600, "h");
    append(out, seconds % 3_600 / 60, "m");
    append(out, seconds % 60, "s");
    append(out, d.getNano() / 1_000_000, "ms");
    return out.toString();
  }

  private static void append(StringBuilder out, long amount, String unit) {
    if (amount > 0) {
      out.append(amount).append(unit);
    }
  }

  private static Duration unitOf(String unit) {
    switch (unit) {
      case "ms":
        return Duration.ofMillis(1);
      case "s":
        return Duration.ofSeconds(1);
      case "m":
        return Duration.ofMinutes(1);
      case "h":
        return Duration.ofHours(1);
      case "d":
        return Duration.ofDays(1);
      default:
        throw new IllegalStateException("unit not covered by PATTERN: " + unit);
    }
  }
}
