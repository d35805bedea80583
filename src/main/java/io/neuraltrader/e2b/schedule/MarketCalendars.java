package io.neuraltrader.e2b.schedule;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The calendars the API's {@code calendar} field may name. */
public final class MarketCalendars {

  /** Name of the calendar that filters nothing. */
  public static final String NONE = "none";
  public static final String NYSE = "NYSE";

  /** Known names in the spelling the API documents; lookup ignores case. */
  public static final List<String> NAMES = List.of(NYSE, NONE);

  private MarketCalendars() {}

  /** "NYSE" or "none", any case; anything else gets an error that lists the known names. */
  public static MarketCalendar byName(String name) {
    if (name != null) {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "nyse":
          return Loaded.NYSE_CALENDAR;
        case "none":
          return Loaded.NONE_CALENDAR;
        default:
          break;
      }
    }
    throw new IllegalArgumentException(
        "unknown market calendar '" + name + "', known calendars: " + String.join(", ", NAMES));
  }

  /** Every day trades, all day (UTC), no early closes, no holidays to go out of date. */
  public static MarketCalendar none() {
    return Loaded.NONE_CALENDAR;
  }

  public static MarketCalendar nyse() {
    return Loaded.NYSE_CALENDAR;
  }

  // Loaded on first use; a broken bundled file fails loudly instead of producing a holiday-free calendar.
  private static final class Loaded {
    static final MarketCalendar NONE_CALENDAR = new TableCalendar(NONE, ZoneOffset.UTC,
        LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, Set.of(), Map.of(), Map.of(), Map.of(), YearRange.ALL);
    static final MarketCalendar NYSE_CALENDAR = load(NYSE, "calendars/nyse.txt");
  }

  static TableCalendar load(String name, String resource) {
    try (InputStream in = MarketCalendars.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("calendar data " + resource + " is missing from the classpath");
      }
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        return TableCalendar.parse(name, resource, reader.lines().collect(Collectors.toList()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read calendar data " + resource, e);
    }
  }
}
