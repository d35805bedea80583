package io.neuraltrader.e2b.schedule;

import java.time.DayOfWeek;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Day lists of schedule windows: entries are {@code Mon Tue Wed Thu Fri Sat Sun} (exact, the API's enum)
 * or inclusive ranges such as "Mon-Fri"; a range may wrap the week ("Fri-Mon" is Fri, Sat, Sun, Mon).
 */
public final class Weekdays {

  private static final String DAY = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)";

  /** For CRD schemas (one list item); accepts exactly what {@link #parseEntry} accepts. */
  public static final String PATTERN = "^" + DAY + "(-" + DAY + ")?$";

  private static final Pattern WHOLE = Pattern.compile(PATTERN);
  private static final List<String> NAMES = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");

  private Weekdays() {}

  /** The union of all entries; an empty (or absent) list means every day. Unmodifiable. */
  public static Set<DayOfWeek> parse(List<String> entries) {
    if (entries == null || entries.isEmpty()) {
      return Collections.unmodifiableSet(EnumSet.allOf(DayOfWeek.class));
    }
    EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String entry : entries) {
      days.addAll(parseEntry(entry));
    }
    return Collections.unmodifiableSet(days);
  }

  /** One entry: a day ("Tue") or a range ("Mon-Fri", "Sat-Sun", "Fri-Mon"). "Mon-Mon" is just Monday. */
  public static Set<DayOfWeek> parseEntry(String entry) {
    if (entry == null || !WHOLE.matcher(entry).matches()) {
      throw new IllegalArgumentException("invalid day '" + entry + "': expected one of "
          + String.join(" ", NAMES) + " or a range such as Mon-Fri");
    }
    DayOfWeek first = dayOf(entry.substring(0, 3));
    if (entry.length() == 3) {
      return Collections.unmodifiableSet(EnumSet.of(first));
    }
    DayOfWeek last = dayOf(entry.substring(4, 7));
    EnumSet<DayOfWeek> days = EnumSet.of(first);
    for (DayOfWeek d = first; d != last; ) {
      d = d.plus(1);
      days.add(d);
    }
    return Collections.unmodifiableSet(days);
  }

  /** The API's name of a day ("Mon"). */
  public static String name(DayOfWeek day) {
    return NAMES.get(day.getValue() - 1);
  }

  private static DayOfWeek dayOf(String name) {
    return DayOfWeek.of(NAMES.indexOf(name) + 1);
  }
}
