package io.neuraltrader.e2b.schedule;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * Market hours of a calendar, to keep trading agents idle while the market is closed. Trading days only,
 * early closes honoured. Back-to-back sessions (calendar {@code none}: every day 00:00-24:00) merge, so
 * such a market is always open and never has a next open or close.
 */
public final class MarketSessions {

  /** How far {@link #nextOpen} and {@link #nextClose} search; far beyond any real market closure. */
  public static final int SEARCH_DAYS = 30;

  private MarketSessions() {}

  public static boolean isOpen(MarketCalendar calendar, Instant instant) {
    return currentSession(calendar, instant).isPresent();
  }

  public static boolean isOpen(MarketCalendar calendar, Clock clock) {
    return isOpen(calendar, clock.instant());
  }

  /** The session containing {@code instant}, if the market is open then. */
  public static Optional<Session> currentSession(MarketCalendar calendar, Instant instant) {
    Objects.requireNonNull(instant, "instant");
    LocalDate today = instant.atZone(calendar.zone()).toLocalDate();
    // Yesterday too: a session ending at 24:00 is still running at 00:00 of the next local date.
    for (LocalDate d = today.minusDays(1); !d.isAfter(today); d = d.plusDays(1)) {
      Optional<Session> s = calendar.session(d);
      if (s.isPresent() && s.get().contains(instant)) {
        return s;
      }
    }
    return Optional.empty();
  }

  /**
   * The first instant after {@code instant} (exclusive) at which the market goes from closed to open;
   * empty if none within {@link #SEARCH_DAYS}.
   */
  public static Optional<Instant> nextOpen(MarketCalendar calendar, Instant instant) {
    LocalDate today = instant.atZone(calendar.zone()).toLocalDate();
    Instant previousClose = null;
    for (LocalDate d = today.minusDays(1); !d.isAfter(today.plusDays(SEARCH_DAYS)); d = d.plusDays(1)) {
      Optional<Session> s = calendar.session(d);
      if (s.isEmpty()) {
        previousClose = null;
        continue;
      }
      boolean continuesPrevious = s.get().opensAt().equals(previousClose);
      if (s.get().opensAt().isAfter(instant) && !continuesPrevious) {
        return Optional.of(s.get().opensAt());
      }
      previousClose = s.get().closesAt();
    }
    return Optional.empty();
  }

  /**
   * The first instant after {@code instant} (exclusive) at which the market goes from open to closed
   * (the end of the current session, or of the next one if closed now); empty if none within
   * {@link #SEARCH_DAYS}.
   */
  public static Optional<Instant> nextClose(MarketCalendar calendar, Instant instant) {
    LocalDate today = instant.atZone(calendar.zone()).toLocalDate();
    for (LocalDate d = today.minusDays(1); !d.isAfter(today.plusDays(SEARCH_DAYS)); d = d.plusDays(1)) {
      Optional<Session> s = calendar.session(d);
      if (s.isEmpty() || !s.get().closesAt().isAfter(instant)) {
        continue;
      }
      Optional<Session> following = calendar.session(d.plusDays(1));
      boolean continues = following.isPresent() && following.get().opensAt().equals(s.get().closesAt());
      if (!continues) {
        return Optional.of(s.get().closesAt());
      }
    }
    return Optional.empty();
  }
}
