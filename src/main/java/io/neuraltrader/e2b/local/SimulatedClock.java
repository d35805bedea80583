package io.neuraltrader.e2b.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that starts at a chosen instant and runs at a chosen speed, and can be moved forward by hand.
 *
 * <p>Local mode uses it to replay a market open within a minute ({@code --clock}, {@code --clock-speed});
 * tests use it with speed 0 so time only moves when the test calls {@link #advance(Duration)}.
 */
public final class SimulatedClock extends Clock {

  private final ZoneId zone;
  private final Clock real;
  private final Object lock = new Object();
  private Instant anchorSimulated;
  private Instant anchorReal;
  private double speed;

  private SimulatedClock(Instant start, double speed, ZoneId zone, Clock real) {
    if (speed < 0) {
      throw new IllegalArgumentException("clock speed must be >= 0, got " + speed);
    }
    this.zone = zone;
    this.real = real;
    this.anchorSimulated = start;
    this.anchorReal = real.instant();
    this.speed = speed;
  }

  /** A clock frozen at {@code start}: only {@link #advance(Duration)} moves it. */
  public static SimulatedClock frozenAt(Instant start) {
    return new SimulatedClock(start, 0, ZoneOffset.UTC, Clock.systemUTC());
  }

  /** A clock that starts at {@code start} and moves {@code speed} simulated seconds per real second. */
  public static SimulatedClock running(Instant start, double speed) {
    return new SimulatedClock(start, speed, ZoneOffset.UTC, Clock.systemUTC());
  }

  @Override
  public Instant instant() {
    synchronized (lock) {
      if (speed == 0) {
        return anchorSimulated;
      }
      long realNanos = Duration.between(anchorReal, real.instant()).toNanos();
      return anchorSimulated.plusNanos((long) (realNanos * speed));
    }
  }

  /** Moves simulated time forward (never backward). */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a clock never goes back: " + by);
    }
    synchronized (lock) {
      Instant now = instant();
      anchorSimulated = now.plus(by);
      anchorReal = real.instant();
    }
  }

  /** Jumps to {@code target} if it is later than now. */
  public void advanceTo(Instant target) {
    synchronized (lock) {
      Instant now = instant();
      if (target.isAfter(now)) {
        anchorSimulated = target;
        anchorReal = real.instant();
      }
    }
  }

  public double speed() {
    synchronized (lock) {
      return speed;
    }
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    SimulatedClock self = this;
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return newZone;
      }

      @Override
      public Clock withZone(ZoneId z) {
        return self.withZone(z);
      }

      @Override
      public Instant instant() {
        return self.instant();
      }
    };
  }

  @Override
  public String toString() {
    return "SimulatedClock[" + instant() + ", speed=" + speed() + "]";
  }
}
