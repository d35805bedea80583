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
 * tests use it with speed 0 so time only moves when the test calls {@link #advance(Duration)}. A clock made with
 * {@link #startingAt(Instant, double)} stands still until {@link #start()}: local mode starts it once the operator
 * is ready, so a slow start does not eat simulated minutes.
 */
public final class SimulatedClock extends Clock {

  private final ZoneId zone;
  private final Clock real;
  private final Object lock = new Object();
  private Instant anchorSimulated;
  private Instant anchorReal;
  private double speed;
  /** The speed {@link #start()} sets; NaN once started. */
  private double pendingSpeed = Double.NaN;
  private Instant startSimulated;

  private SimulatedClock(Instant start, double speed, ZoneId zone, Clock real) {
    if (speed < 0) {
      throw new IllegalArgumentException("clock speed must be >= 0, got " + speed);
    }
    this.zone = zone;
    this.real = real;
    this.anchorSimulated = start;
    this.startSimulated = start;
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

  /** A clock that stands at {@code start} until {@link #start()}, then moves {@code speed} seconds per second. */
  public static SimulatedClock startingAt(Instant start, double speed) {
    SimulatedClock clock = new SimulatedClock(start, 0, ZoneOffset.UTC, Clock.systemUTC());
    clock.pendingSpeed = speed;
    return clock;
  }

  /** As {@link #startingAt(Instant, double)} with the given real clock (tests). */
  static SimulatedClock startingAt(Instant start, double speed, Clock real) {
    SimulatedClock clock = new SimulatedClock(start, 0, ZoneOffset.UTC, real);
    clock.pendingSpeed = speed;
    return clock;
  }

  /** Starts a clock made by {@link #startingAt(Instant, double)} from where it stands; no effect otherwise. */
  public void start() {
    synchronized (lock) {
      if (Double.isNaN(pendingSpeed)) {
        return;
      }
      anchorSimulated = instant();
      anchorReal = real.instant();
      startSimulated = anchorSimulated;
      speed = pendingSpeed;
      pendingSpeed = Double.NaN;
    }
  }

  /** Whether the clock moves on its own (false before {@link #start()} and for a frozen clock). */
  public boolean isStarted() {
    synchronized (lock) {
      return Double.isNaN(pendingSpeed) && speed > 0;
    }
  }

  /**
   * The simulated time at a real instant: before the clock started, the start time; afterwards as the clock
   * ran since its last jump. Timestamps the in-memory API writes in real time (creationTimestamp) become
   * comparable with simulated ones.
   */
  public Instant toSimulated(Instant realInstant) {
    synchronized (lock) {
      if (speed == 0) {
        return anchorSimulated;
      }
      Instant at = anchorSimulated.plusNanos((long) (Duration.between(anchorReal, realInstant).toNanos() * speed));
      return at.isBefore(startSimulated) ? startSimulated : at;
    }
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

  /** Simulated seconds per real second once running (the speed to come, before {@link #start()}). */
  public double speed() {
    synchronized (lock) {
      return Double.isNaN(pendingSpeed) ? speed : pendingSpeed;
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
