package io.neuraltrader.e2b.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void transientFailuresDoubleUpToTheCapAndPermanentOnesWaitTheLongCap() {
    Backoff b = Backoff.DEFAULT;
    assertEquals(Duration.ofSeconds(5), b.delay(1, false));
    assertEquals(Duration.ofSeconds(10), b.delay(2, false));
    assertEquals(Duration.ofSeconds(160), b.delay(6, false));
    assertEquals(Duration.ofMinutes(5), b.delay(7, false));
    assertEquals(Duration.ofMinutes(5), b.delay(1_000, false));
    assertEquals(Duration.ofHours(1), b.delay(1, true));
    assertEquals(Duration.ofHours(1), b.delay(50, true));
  }

  @Test
  void boundsMustBeOrdered() {
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ZERO, Duration.ofMinutes(5), Duration.ofHours(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofHours(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(1)));
  }
}
