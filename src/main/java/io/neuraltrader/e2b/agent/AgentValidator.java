package io.neuraltrader.e2b.agent;

import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.SymbolPair;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import io.neuraltrader.e2b.schedule.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks what the CRD schema cannot: parameter ranges per strategy, the interval's bounds, pair legs. The
 * same ranges are enforced again by the strategies themselves (validate_parameters) inside the sandbox.
 */
public final class AgentValidator {
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  public static final Duration MAX_INTERVAL = Duration.ofHours(24);

  private record Range(double min, double max, boolean integer) {}

  private static final Map<Strategy, Map<String, Range>> PARAMETERS = Map.of(
      Strategy.momentum, Map.of(
          "period", new Range(1, 255, true),
          "threshold", new Range(1e-6, 1, false)),
      Strategy.mean_reversion, Map.of(
          "windowSize", new Range(2, 256, true),
          "stddevs", new Range(1e-6, 10, false),
          "exitZ", new Range(0, 10, false)),
      Strategy.pairs_trading, Map.of(
          "lookback", new Range(10, 256, true),
          "entryZ", new Range(1e-6, 10, false),
          "exitZ", new Range(0, 10, false)),
      Strategy.arbitrage, Map.of(
          "feeThreshold", new Range(0, 0.1, false)));

  private AgentValidator() {}

  /** Every problem found, each naming the field; empty when the spec is usable. */
  public static List<String> validate(TradingAgentSpec spec) {
    List<String> errors = new ArrayList<>();
    try {
      Duration interval = Durations.parse(spec.getInterval());
      if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
        errors.add("interval " + spec.getInterval() + " must be between 1s and 24h");
      }
    } catch (IllegalArgumentException e) {
      errors.add("interval: " + e.getMessage());
    }
    Map<String, Range> ranges = PARAMETERS.get(spec.getStrategy());
    if (ranges != null && spec.getParameters() != null) {
      spec.getParameters().forEach((name, value) -> {
        Range r = ranges.get(name);
        if (r == null) {
          errors.add("parameters." + name + " is not a parameter of " + spec.getStrategy()
              + " (known: " + String.join(", ", ranges.keySet().stream().sorted().toList()) + ")");
        } else if (value == null || value.isNaN() || value < r.min() || value > r.max()) {
          errors.add("parameters." + name + " = " + value + " is outside [" + trim(r.min()) + ", " + trim(r.max()) + "]");
        } else if (r.integer() && value != Math.rint(value)) {
          errors.add("parameters." + name + " must be a whole number, got " + value);
        }
      });
      checkBelow(spec, "exitZ", spec.getStrategy() == Strategy.mean_reversion ? "stddevs" : "entryZ", errors);
    }
    if (spec.getPairs() != null) {
      for (SymbolPair p : spec.getPairs()) {
        if (p.getFirst() != null && p.getFirst().equals(p.getSecond())) {
          errors.add("pairs: " + p.getFirst() + " is paired with itself");
        }
      }
    }
    return errors;
  }

  private static void checkBelow(TradingAgentSpec spec, String lower, String upper, List<String> errors) {
    Double lo = spec.getParameters().get(lower);
    Double hi = spec.getParameters().get(upper);
    if (lo != null && hi != null && lo >= hi) {
      errors.add("parameters." + lower + " (" + lo + ") must be below " + upper + " (" + hi + ")");
    }
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
