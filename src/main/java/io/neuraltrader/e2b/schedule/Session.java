package io.neuraltrader.e2b.schedule;

import java.time.Instant;
import java.time.LocalDate;

/** One trading session of a calendar: {@code [opensAt, closesAt)}, shortened on early-close days. */
public record Session(LocalDate date, Instant opensAt, Instant closesAt, boolean earlyClose) {

  public boolean contains(Instant instant) {
    return !instant.isBefore(opensAt) && instant.isBefore(closesAt);
  }
}
