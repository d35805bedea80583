package io.neuraltrader.e2b.schedule;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A calendar held as tables: weekend days, full closures and early closes, read from a text file.
 *
 * <p>File format, one statement per line, {@code #} starts a comment (on a date line the comment is the
 * closure's name):
 *
 * <pre>
 * zone America/New_York
 * session 09:30 16:00          (close may be 24:00)
 * weekend Sat Sun
 * covers 2025 2028             (first and last year the dates below are complete for)
 * 2025-01-01 holiday           # New Year's Day
 * 2025-07-03 early-close 13:00 # Independence Day eve
 * </pre>
 */
final class TableCalendar implements MarketCalendar {

  private final String name;
  private final ZoneId zone;
  private final LocalTime open;
  private final LocalTime close;
  private final Set<DayOfWeek> weekend;
  private final Map<LocalDate, String> holidays;
  private final Map<LocalDate, LocalTime> earlyCloses;
  private final Map<LocalDate, String> earlyCloseNames;
  private final YearRange covered;

  TableCalendar(String name, ZoneId zone, LocalTime open, LocalTime close, Set<DayOfWeek> weekend,
      Map<LocalDate, String> holidays, Map<LocalDate, LocalTime> earlyCloses,
      Map<LocalDate, String> earlyCloseNames, YearRange covered) {
    this.name = Objects.requireNonNull(name);
    this.zone = Objects.requireNonNull(zone);
    this.open = Objects.requireNonNull(open);
    this.close = Objects.requireNonNull(close);
    if (!close.equals(LocalTime.MIDNIGHT) && !close.isAfter(open)) {
      throw new IllegalArgumentException(
          "calendar " + name + ": session close " + close + " must be after open " + open);
    }
    this.weekend = weekend.isEmpty()
        ? Collections.emptySet() : Collections.unmodifiableSet(EnumSet.copyOf(weekend));
    this.holidays = Collections.unmodifiableMap(new TreeMap<>(holidays));
    this.earlyCloses = Collections.unmodifiableMap(new TreeMap<>(earlyCloses));
    this.earlyCloseNames = Collections.unmodifiableMap(new TreeMap<>(earlyCloseNames));
    this.covered = Objects.requireNonNull(covered);
  }

  /** Parses a calendar file; {@code source} names it in error messages. */
  static TableCalendar parse(String name, String source, List<String> lines) {
    ZoneId zone = null;
    LocalTime open = null;
    LocalTime close = null;
    Set<DayOfWeek> weekend = EnumSet.noneOf(DayOfWeek.class);
    YearRange covered = null;
    Map<LocalDate, String> holidays = new TreeMap<>();
    Map<LocalDate, LocalTime> earlyCloses = new TreeMap<>();
    Map<LocalDate, String> earlyCloseNames = new TreeMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String where = source + " line " + (i + 1) + ": ";
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String comment = hash < 0 ? "" : line.substring(hash + 1).trim();
      String body = (hash < 0 ? line : line.substring(0, hash)).trim();
      if (body.isEmpty()) {
        continue;
      }
      String[] f = body.split("\\s+");
      try {
        switch (f[0]) {
          case "zone":
            arity(f, 2);
            zone = ZoneId.of(f[1]);
            break;
          case "session":
            arity(f, 3);
            open = TimesOfDay.parse(f[1]);
            close = f[2].equals("24:00") ? LocalTime.MIDNIGHT : TimesOfDay.parse(f[2]);
            break;
          case "weekend":
            for (int k = 1; k < f.length; k++) {
              weekend.addAll(Weekdays.parseEntry(f[k]));
            }
            break;
          case "covers":
            arity(f, 3);
            covered = new YearRange(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
            break;
          default:
            LocalDate date = LocalDate.parse(f[0]);
            if (covered == null) {
              throw new IllegalArgumentException("dates must come after the 'covers' line");
            }
            if (!covered.contains(date.getYear())) {
              throw new IllegalArgumentException(date + " is outside the covered years " + covered);
            }
            if (weekend.contains(date.getDayOfWeek())) {
              throw new IllegalArgumentException(date + " is a " + Weekdays.name(date.getDayOfWeek())
                  + ", already closed as a weekend day");
            }
            if (holidays.containsKey(date) || earlyCloses.containsKey(date)) {
              throw new IllegalArgumentException(date + " is listed twice");
            }
            if (f.length < 2) {
              throw new IllegalArgumentException(
                  "missing kind after " + date + ", expected 'holiday' or 'early-close HH:MM'");
            }
            if (f[1].equals("holiday")) {
              arity(f, 2);
              holidays.put(date, comment);
            } else if (f[1].equals("early-close")) {
              arity(f, 3);
              earlyCloses.put(date, TimesOfDay.parse(f[2]));
              earlyCloseNames.put(date, comment);
            } else {
              throw new IllegalArgumentException(
                  "unknown kind '" + f[1] + "', expected 'holiday' or 'early-close HH:MM'");
            }
        }
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(where + "invalid date '" + f[0] + "', expected YYYY-MM-DD", e);
      } catch (DateTimeException | IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage(), e);
      }
    }
    if (zone == null || open == null || covered == null) {
      throw new IllegalArgumentException(source + ": 'zone', 'session' and 'covers' lines are required");
    }
    for (Map.Entry<LocalDate, LocalTime> e : earlyCloses.entrySet()) {
      boolean beforeClose = close.equals(LocalTime.MIDNIGHT) || e.getValue().isBefore(close);
      if (!e.getValue().isAfter(open) || !beforeClose) {
        throw new IllegalArgumentException(source + ": early close " + e.getValue() + " on " + e.getKey()
            + " is not inside the regular session");
      }
    }
    return new TableCalendar(
        name, zone, open, close, weekend, holidays, earlyCloses, earlyCloseNames, covered);
  }

  private static void arity(String[] fields, int expected) {
    if (fields.length != expected) {
      throw new IllegalArgumentException("'" + String.join(" ", fields) + "' has "
          + (fields.length - 1) + " argument(s), expected " + (expected - 1));
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ZoneId zone() {
    return zone;
  }

  @Override
  public boolean isTradingDay(LocalDate date) {
    return !weekend.contains(date.getDayOfWeek()) && !holidays.containsKey(date);
  }

  @Override
  public Optional<LocalTime> earlyClose(LocalDate date) {
    return Optional.ofNullable(earlyCloses.get(date));
  }

  @Override
  public Optional<String> closureName(LocalDate date) {
    String n = holidays.containsKey(date) ? holidays.get(date) : earlyCloseNames.get(date);
    return Optional.ofNullable(n).filter(s -> !s.isEmpty());
  }

  @Override
  public LocalTime regularOpen() {
    return open;
  }

  @Override
  public LocalTime regularClose() {
    return close;
  }

  @Override
  public YearRange coveredYears() {
    return covered;
  }

  /** Full closures, in date order (for tests and documentation). */
  Map<LocalDate, String> holidays() {
    return holidays;
  }

  /** Early closes, in date order. */
  Map<LocalDate, LocalTime> earlyCloses() {
    return earlyCloses;
  }

  @Override
  public String toString() {
    return "MarketCalendar[" + name + ", " + zone + ", covers " + covered + "]";
  }
}
