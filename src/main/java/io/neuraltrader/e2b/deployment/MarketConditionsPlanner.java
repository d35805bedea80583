package io.neuraltrader.e2b.deployment;

import io.neuraltrader.e2b.api.v1alpha1.MarketConditionRule;
import io.neuraltrader.e2b.api.v1alpha1.MarketMetric;
import io.neuraltrader.e2b.api.v1alpha1.MarketObservation;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Market-condition scaling. Pure: the rules, the fleet's figures, the rules' previous states and now in, the
 * replicas delta and the new states out.
 *
 * <ul>
 *   <li>the fleet's figure of a metric is the median across the voting agents of each agent's median over its
 *       symbols (agents without the figure do not count); no agent with the figure: the condition does not
 *       hold;</li>
 *   <li>a rule turns active as soon as its condition holds, and inactive once it has not held for the
 *       cooldown, so a figure hovering at the threshold does not flap the fleet;</li>
 *   <li>the delta is the sum of the active rules' replicas.</li>
 * </ul>
 */
public final class MarketConditionsPlanner {
  private MarketConditionsPlanner() {}

  /** One rule as spec'd: exactly one of above and below is set. */
  public record Rule(String name, MarketMetric metric, Double above, Double below, int replicas) {
    static Rule of(MarketConditionRule r) {
      return new Rule(r.getName(), r.getMetric(), r.getAbove(), r.getBelow(), r.getReplicas());
    }

    boolean holds(Double value) {
      if (value == null) {
        return false;
      }
      return above != null ? value > above : value < below;
    }

    String condition() {
      return metric + (above != null ? " > " + num(above) : " < " + num(below));
    }
  }

  /** A rule's state between evaluations (as kept in status). */
  public record RuleState(String name, boolean active, Instant since, Instant lastMetAt) {}

  /** The fleet's medians; a metric no voting agent reports is absent. */
  public record Figures(int agents, Map<MarketMetric, Double> values) {
    Double get(MarketMetric metric) {
      return values.get(metric);
    }
  }

  /** A rule after this evaluation, with the figure it saw. */
  public record Evaluated(Rule rule, RuleState state, Double value) {}

  /**
   * @param delta the active rules' replicas summed
   * @param rules every rule, in spec order
   * @param changes one line per rule that turned active or inactive now
   * @param wakeAt when the earliest active rule's cooldown ends (null: none pending)
   */
  public record Evaluation(int delta, List<Evaluated> rules, List<String> changes, Instant wakeAt) {
    static final Evaluation NONE = new Evaluation(0, List.of(), List.of(), null);

    /** The active rules as "name (+3: volatility 0.041 > 0.03)", joined; empty when none. */
    String describe() {
      List<String> parts = new ArrayList<>();
      for (Evaluated e : rules) {
        if (e.state().active()) {
          parts.add(e.rule().name() + " (" + (e.rule().replicas() > 0 ? "+" : "") + e.rule().replicas() + ": "
              + e.rule().condition() + (e.value() == null ? ", no figure" : ", now " + num(e.value())) + ")");
        }
      }
      return String.join(", ", parts);
    }
  }

  public static Evaluation evaluate(List<Rule> rules, Duration cooldown, Map<String, RuleState> previous,
      Figures figures, Instant now) {
    int delta = 0;
    List<Evaluated> out = new ArrayList<>();
    List<String> changes = new ArrayList<>();
    Instant wakeAt = null;
    for (Rule rule : rules) {
      RuleState before = previous.get(rule.name());
      boolean wasActive = before != null && before.active();
      Double value = figures.get(rule.metric());
      boolean holds = rule.holds(value);
      Instant lastMet = holds ? now : before == null ? null : before.lastMetAt();
      boolean active = holds || (wasActive && lastMet != null && now.isBefore(lastMet.plus(cooldown)));
      Instant since = active ? (wasActive && before.since() != null ? before.since() : now) : null;
      if (active && !wasActive) {
        changes.add(rule.name() + " active: " + rule.condition() + " (fleet " + num(value) + "), "
            + signed(rule.replicas()) + " agents");
      } else if (!active && wasActive) {
        changes.add(rule.name() + " cleared: " + rule.condition() + " has not held for " + cooldown.toSeconds() + "s");
      }
      if (active) {
        delta += rule.replicas();
        Instant end = lastMet.plus(cooldown);
        if (end.isAfter(now) && (wakeAt == null || end.isBefore(wakeAt))) {
          wakeAt = end;
        }
      }
      out.add(new Evaluated(rule, new RuleState(rule.name(), active, since, lastMet), value));
    }
    return new Evaluation(delta, out, changes, wakeAt);
  }

  /**
   * The desired count with the market delta: the delta applies only while the base wants agents (off-hours stay
   * off), and removals never go below one agent.
   */
  static int apply(int base, int delta) {
    if (base <= 0 || delta == 0) {
      return base;
    }
    return Math.max(1, base + delta);
  }

  /** The fleet's figures from the voting agents' latest observations. */
  static Figures figures(List<TradingAgent> voters) {
    Map<MarketMetric, Double> values = new EnumMap<>(MarketMetric.class);
    int observing = 0;
    for (MarketMetric metric : MarketMetric.values()) {
      Function<MarketObservation, Double> read = switch (metric) {
        case volatility -> MarketObservation::getVolatility;
        case volume -> MarketObservation::getVolume;
        case spread -> MarketObservation::getSpread;
      };
      List<Double> perAgent = new ArrayList<>();
      for (TradingAgent agent : voters) {
        List<MarketObservation> observations = agent.getStatus().getObservations();
        if (observations == null) {
          continue;
        }
        double[] own = observations.stream().map(read).filter(v -> v != null && Double.isFinite(v))
            .mapToDouble(Double::doubleValue).toArray();
        if (own.length > 0) {
          perAgent.add(median(own));
        }
      }
      observing = Math.max(observing, perAgent.size());
      if (!perAgent.isEmpty()) {
        values.put(metric, median(perAgent.stream().mapToDouble(Double::doubleValue).toArray()));
      }
    }
    return new Figures(observing, values);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  static String num(Double v) {
    if (v == null) {
      return "none";
    }
    return Math.abs(v) >= 1000 ? String.format(java.util.Locale.ROOT, "%.0f", v)
        : String.format(java.util.Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1");
  }

  private static String signed(int n) {
    return n > 0 ? "+" + n : String.valueOf(n);
  }
}
