package io.neuraltrader.e2b.client;

/**
 * Token bucket for control-plane calls.
 *
 * @param permitsPerSecond sustained rate
 * @param burst how many calls may go at once after a quiet period
 */
public record RateLimit(double permitsPerSecond, int burst) {

  public RateLimit {
    if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
      throw new IllegalArgumentException("permitsPerSecond must be a positive number, got " + permitsPerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be >= 1, got " + burst);
    }
  }

  public static RateLimit defaults() {
    return new RateLimit(10, 20);
  }
}
