package io.neuraltrader.e2b.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Count-based sliding-window circuit breaker on an injected clock.
 *
 * <p>Closed: calls pass and their results fill the window; when at least {@code minimumCalls} are
 * in it and the failure share reaches the threshold, it opens. Open: calls are refused until
 * {@code openDuration} has passed. Half-open: one trial call passes; success closes, failure reopens.
 * Thread-safe.
 */
public final class CircuitBreaker {

  /** Breaker state; {@link #gaugeValue()} is what {@code e2b.circuit.state} reports. */
  public enum State {
    CLOSED(0), HALF_OPEN(1), OPEN(2);

    private final int gaugeValue;

    State(int gaugeValue) {
      this.gaugeValue = gaugeValue;
    }

    public int gaugeValue() {
      return gaugeValue;
    }
  }

  private static final Duration TRIAL_BUSY_RETRY = Duration.ofSeconds(1);

  private final Api api;
  private final BreakerSettings settings;
  private final Clock clock;
  private final boolean[] window;
  private int size;
  private int next;
  private int failures;
  private State state = State.CLOSED;
  private Instant openedAt;
  private boolean trialInFlight;

  public CircuitBreaker(Api api, BreakerSettings settings, Clock clock) {
    this.api = api;
    this.settings = settings;
    this.clock = clock;
    this.window = new boolean[settings.windowSize()];
  }

  public Api api() {
    return api;
  }

  public synchronized State state() {
    advance();
    return state;
  }

  /** Lets a call through or throws {@link CircuitOpenException} with the time left. */
  public synchronized void acquire(Operation operation) {
    advance();
    switch (state) {
      case CLOSED -> { }
      case OPEN -> throw refused(operation, Duration.between(clock.instant(), reopenAt()));
      case HALF_OPEN -> {
        if (trialInFlight) {
          throw refused(operation, min(TRIAL_BUSY_RETRY, settings.openDuration()));
        }
        trialInFlight = true;
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  /** The service answered in a way that says it is healthy (2xx, or a 4xx that judges the request). */
  public synchronized void onSuccess() {
    advance();
    if (state == State.HALF_OPEN) {
      close();
    } else if (state == State.CLOSED) {
      record(false);
    }
  }

  /** The service failed (5xx, timeout, connection failure). */
  public synchronized void onFailure() {
    advance();
    if (state == State.HALF_OPEN) {
      open();
    } else if (state == State.CLOSED) {
      record(true);
      if (size >= settings.minimumCalls() && failures >= settings.failureRateThreshold() * size) {
        open();
      }
    }
  }

  /** A let-through call ended without a verdict (interrupted, caller error): free the trial slot. */
  public synchronized void release() {
    trialInFlight = false;
  }

  private void record(boolean failed) {
    if (size == window.length) {
      if (window[next]) {
        failures--;
      }
    } else {
      size++;
    }
    window[next] = failed;
    if (failed) {
      failures++;
    }
    next = (next + 1) % window.length;
  }

  private void open() {
    state = State.OPEN;
    openedAt = clock.instant();
    trialInFlight = false;
    clearWindow();
  }

  private void close() {
    state = State.CLOSED;
    openedAt = null;
    trialInFlight = false;
    clearWindow();
  }

  private void clearWindow() {
    size = 0;
    next = 0;
    failures = 0;
  }

  private void advance() {
    if (state == State.OPEN && !clock.instant().isBefore(reopenAt())) {
      state = State.HALF_OPEN;
      trialInFlight = false;
    }
  }

  private Instant reopenAt() {
    return openedAt.plus(settings.openDuration());
  }

  private CircuitOpenException refused(Operation operation, Duration retryAfter) {
    Duration wait = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
    return new CircuitOpenException(new ErrorDetails(operation, 0, null,
        "circuit breaker for the " + api.tag() + " API is " + state.name().toLowerCase(), null, wait), api, null);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
