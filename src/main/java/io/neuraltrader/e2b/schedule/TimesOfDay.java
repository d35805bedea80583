package io.neuraltrader.e2b.schedule;

import java.time.LocalTime;
import java.util.regex.Pattern;

/** Local times of day written "HH:MM", 00:00 to 23:59 (schedule window starts and ends). */
public final class TimesOfDay {

  /** For CRD schemas; accepts exactly what {@link #parse} accepts. */
  public static final String PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

  private static final Pattern WHOLE = Pattern.compile(PATTERN);

  private TimesOfDay() {}

  public static LocalTime parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("invalid time of day: missing value, expected HH:MM such as 09:30");
    }
    if (!WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "invalid time of day '" + text + "': expected HH:MM between 00:00 and 23:59, such as 09:30");
    }
    return LocalTime.of(Integer.parseInt(text.substring(0, 2)), Integer.parseInt(text.substring(3, 5)));
  }

  /** "HH:MM"; the inverse of {@link #parse} for whole minutes. */
  public static String format(LocalTime time) {
    return String.format("%02d:%02d", time.getHour(), time.getMinute());
  }
}
