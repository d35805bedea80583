package io.neuraltrader.e2b.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A screen on a terminal redraws in place; without one, plain snapshots only when something changed. */
class ScreenTest {
  private static final String ESC = "\u001b[";

  @Test
  void aTerminalFrameRedrawsInPlaceAndFitsTheHeight() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Screen screen = Screen.terminal(out, () -> 6);
    List<String> lines = IntStream.range(0, 10).mapToObj(i -> "line " + i).toList();
    screen.show(lines, "a");
    String first = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(ESC + "2J" + ESC + "H" + "line 0" + ESC + "K\nline 1" + ESC + "K\nline 2" + ESC + "K\nline 3"
        + ESC + "K\n... 6 more lines: enlarge the terminal" + ESC + "K\n" + ESC + "J", first);
    bytes.reset();
    screen.show(List.of("only"), "a");
    // Later frames go home without clearing first (no flicker); a terminal redraws even an unchanged frame.
    assertEquals(ESC + "H" + "only" + ESC + "K\n" + ESC + "J", bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anUnknownHeightShowsEveryLine() {
    String frame = Screen.frame(List.of("a", "b", "c"), 0, false);
    assertEquals(ESC + "Ha" + ESC + "K\nb" + ESC + "K\nc" + ESC + "K\n" + ESC + "J", frame);
  }

  @Test
  void plainPrintsASnapshotOnlyWhenItChanged() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Screen screen = Screen.plain(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    screen.show(List.of("---- 09:30:00 ----", "momentum Running 1"), "runs 1");
    screen.show(List.of("---- 09:30:03 ----", "momentum Running 1"), "runs 1");
    screen.show(List.of("---- 09:30:06 ----", "momentum Running 2"), "runs 2");
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals("---- 09:30:00 ----\nmomentum Running 1\n---- 09:30:06 ----\nmomentum Running 2\n", text);
    assertFalse(text.contains(ESC), "no escape codes without a terminal");
  }

  /** The simulated clock stands still until local mode is ready, however long the start takes. */
  @Test
  void theClockStartsWhenToldTo() {
    Instant start = Instant.parse("2026-03-02T14:10:00Z");
    MutableClock real = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    SimulatedClock clock = SimulatedClock.startingAt(start, 30, real);
    real.now = real.now.plus(Duration.ofSeconds(18)); // a slow start on a loaded machine
    assertEquals(start, clock.instant(), "not moving before start()");
    assertFalse(clock.isStarted());
    assertEquals(30, clock.speed(), "the speed to come");
    Instant createdDuringStart = real.now;
    clock.start();
    assertTrue(clock.isStarted());
    real.now = real.now.plus(Duration.ofSeconds(10));
    assertEquals(start.plus(Duration.ofMinutes(5)), clock.instant(), "10 s at x30 after the start");
    assertEquals(start, clock.toSimulated(createdDuringStart), "objects of the start are as old as the clock");
    assertEquals(start.plus(Duration.ofMinutes(5)), clock.toSimulated(real.now));
    clock.start();
    assertEquals(start.plus(Duration.ofMinutes(5)), clock.instant(), "a second start changes nothing");
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
