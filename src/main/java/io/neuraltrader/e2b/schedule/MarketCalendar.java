package io.neuraltrader.e2b.schedule;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A market's trading days and session hours, in the market's own zone. Implementations are data (see
 * {@link MarketCalendars}); a date outside {@link #coveredYears()} is judged by the weekend rule alone,
 * so callers should check {@link #isCovered} and tell the user rather than trust it silently.
 */
public interface MarketCalendar {

  String name();

  ZoneId zone();

  /** False on weekends and full holidays. */
  boolean isTradingDay(LocalDate date);

  /** The early close time on a shortened trading day; empty on other days. */
  Optional<LocalTime> earlyClose(LocalDate date);

  /** The name of the holiday or shortened day on {@code date}, e.g. "Thanksgiving Day", if known. */
  default Optional<String> closureName(LocalDate date) {
    return Optional.empty();
  }

  LocalTime regularOpen();

  /** The regular close; {@link LocalTime#MIDNIGHT} means the end of the day (24:00). */
  LocalTime regularClose();

  /** The years for which holidays and early closes are known. */
  YearRange coveredYears();

  default boolean isCovered(LocalDate date) {
    return coveredYears().contains(date.getYear());
  }

  /** The session of {@code date}, if it is a trading day; early closes are applied. */
  default Optional<Session> session(LocalDate date) {
    if (!isTradingDay(date)) {
      return Optional.empty();
    }
    ZonedDateTime opens = ZonedDateTime.of(date, regularOpen(), zone());
    ZonedDateTime closes = regularClose().equals(LocalTime.MIDNIGHT)
        ? ZonedDateTime.of(date.plusDays(1), LocalTime.MIDNIGHT, zone())
        : ZonedDateTime.of(date, regularClose(), zone());
    Optional<LocalTime> early = earlyClose(date);
    if (early.isPresent()) {
      closes = ZonedDateTime.of(date, early.get(), zone());
    }
    return Optional.of(new Session(date, opens.toInstant(), closes.toInstant(), early.isPresent()));
  }
}
