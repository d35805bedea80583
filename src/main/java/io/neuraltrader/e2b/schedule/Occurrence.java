package io.neuraltrader.e2b.schedule;

import java.time.Instant;
import java.util.Objects;

/**
 * One occurrence of a window, after the calendar has filtered or shortened it. It counts as active from
 * {@code opensAt - preWarm} (inclusive) to {@code closesAt} (exclusive); {@code preWarming} is true in
 * the pre-warm part, before {@code opensAt}.
 */
public record Occurrence(
    String window, int replicas, Instant opensAt, Instant closesAt, boolean preWarming) {

  public Occurrence {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(opensAt, "opensAt");
    Objects.requireNonNull(closesAt, "closesAt");
    if (!closesAt.isAfter(opensAt)) {
      throw new IllegalArgumentException(
          "occurrence of '" + window + "' closes at " + closesAt + ", not after it opens at " + opensAt);
    }
  }
}
