package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.MarketMetric;
import io.neuraltrader.e2b.api.v1alpha1.MarketObservation;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.deployment.MarketConditionsPlanner.Evaluation;
import io.neuraltrader.e2b.deployment.MarketConditionsPlanner.Figures;
import io.neuraltrader.e2b.deployment.MarketConditionsPlanner.Rule;
import io.neuraltrader.e2b.deployment.MarketConditionsPlanner.RuleState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class MarketConditionsPlannerTest {
  private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
  private static final Duration COOLDOWN = Duration.ofMinutes(5);
  /** The rules: volatility > 3% +3, volume > 1,000,000 +2, spread < 0.1% -1. */
  private static final List<Rule> RULES = List.of(
      new Rule("high-volatility", MarketMetric.volatility, 0.03, null, 3),
      new Rule("high-volume", MarketMetric.volume, 1_000_000.0, null, 2),
      new Rule("tight-spread", MarketMetric.spread, null, 0.001, -1));

  private static Figures figures(Double volatility, Double volume, Double spread) {
    Map<MarketMetric, Double> values = new EnumMap<>(MarketMetric.class);
    if (volatility != null) {
      values.put(MarketMetric.volatility, volatility);
    }
    if (volume != null) {
      values.put(MarketMetric.volume, volume);
    }
    if (spread != null) {
      values.put(MarketMetric.spread, spread);
    }
    return new Figures(3, values);
  }

  static Stream<Arguments> firstEvaluation() {
    return Stream.of(
        Arguments.of("calm market", 0.01, 500_000.0, 0.002, 0),
        Arguments.of("volatile", 0.04, 500_000.0, 0.002, 3),
        Arguments.of("exactly at the threshold is not above", 0.03, 1_000_000.0, 0.001, 0),
        Arguments.of("volatile and busy", 0.05, 2_000_000.0, 0.002, 5),
        Arguments.of("tight spread only", 0.01, 10.0, 0.0005, -1),
        Arguments.of("all three", 0.05, 2_000_000.0, 0.0005, 4),
        Arguments.of("no figures at all", null, null, null, 0),
        Arguments.of("volume unknown (CSV data)", 0.05, null, 0.0005, 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("firstEvaluation")
  void deltaIsTheSumOfTheRulesThatHold(String name, Double volatility, Double volume, Double spread, int delta) {
    Evaluation e = MarketConditionsPlanner.evaluate(RULES, COOLDOWN, Map.of(), figures(volatility, volume, spread), T0);
    assertEquals(delta, e.delta());
    assertEquals(e.rules().stream().filter(r -> r.state().active()).count(), e.changes().size(),
        "every rule that turned active is announced");
  }

  @Test
  void aRuleStaysActiveForTheCooldownAfterItLastHeldThenClears() {
    List<Rule> rules = RULES.subList(0, 1);
    Map<String, RuleState> states = new HashMap<>();
    Instant now = T0;
    Evaluation spike = MarketConditionsPlanner.evaluate(rules, COOLDOWN, states, figures(0.05, null, null), now);
    assertEquals(3, spike.delta());
    assertEquals(List.of("high-volatility active: volatility > 0.03 (fleet 0.05), +3 agents"), spike.changes());
    assertEquals(now.plus(COOLDOWN), spike.wakeAt());
    spike.rules().forEach(r -> states.put(r.rule().name(), r.state()));

    // Calm again, and hovering around the threshold: it stays active while it met the condition in the cooldown.
    List<Double> path = List.of(0.02, 0.031, 0.02, 0.029, 0.02);
    Instant lastMet = now;
    for (double v : path) {
      now = now.plus(Duration.ofMinutes(2));
      Evaluation e = MarketConditionsPlanner.evaluate(rules, COOLDOWN, states, figures(v, null, null), now);
      if (v > 0.03) {
        lastMet = now;
      }
      boolean expectActive = now.isBefore(lastMet.plus(COOLDOWN));
      assertEquals(expectActive ? 3 : 0, e.delta(), "at " + now + " volatility " + v);
      e.rules().forEach(r -> states.put(r.rule().name(), r.state()));
      if (!expectActive) {
        assertEquals(1, e.changes().size());
        assertTrue(e.changes().get(0).startsWith("high-volatility cleared"), e.changes().get(0));
        assertNull(e.wakeAt());
        return;
      }
      assertTrue(e.changes().isEmpty(), e.changes().toString());
      assertEquals(T0, e.rules().get(0).state().since(), "since stays the first activation");
      assertEquals(lastMet.plus(COOLDOWN), e.wakeAt());
    }
    throw new AssertionError("the rule never cleared");
  }

  @Test
  void zeroCooldownFollowsTheFigureExactly() {
    List<Rule> rules = RULES.subList(0, 1);
    Evaluation on = MarketConditionsPlanner.evaluate(rules, Duration.ZERO, Map.of(), figures(0.05, null, null), T0);
    Evaluation off = MarketConditionsPlanner.evaluate(rules, Duration.ZERO,
        Map.of("high-volatility", on.rules().get(0).state()), figures(0.01, null, null), T0.plusSeconds(1));
    assertEquals(3, on.delta());
    assertEquals(0, off.delta());
    assertNull(on.wakeAt());
  }

  static Stream<Arguments> applyCases() {
    return Stream.of(
        Arguments.of(4, 3, 7),
        Arguments.of(4, -1, 3),
        Arguments.of(1, -5, 1),    // removals never take a running fleet to zero
        Arguments.of(0, 3, 0),     // off-hours (the schedule wants none): market rules wait
        Arguments.of(2, 0, 2));
  }

  @ParameterizedTest(name = "base {0} delta {1} -> {2}")
  @MethodSource("applyCases")
  void applyToTheBase(int base, int delta, int expected) {
    assertEquals(expected, MarketConditionsPlanner.apply(base, delta));
  }

  @Test
  void figuresAreMediansOfTheAgentsMediansOverTheirSymbols() {
    List<TradingAgent> agents = List.of(
        agent(obs("A", 0.01, 100.0, null), obs("B", 0.05, 300.0, null), obs("C", 0.02, null, null)),
        agent(obs("A", 0.04, null, 0.002)),
        agent(obs("A", 0.10, 200.0, 0.004)),
        agent());
    Figures f = MarketConditionsPlanner.figures(agents);
    assertEquals(0.04, f.get(MarketMetric.volatility), 1e-12, "median of 0.02, 0.04, 0.10");
    assertEquals(200.0, f.get(MarketMetric.volume), 1e-12, "median of 200 (agent 1: 100, 300) and 200");
    assertEquals(0.003, f.get(MarketMetric.spread), 1e-12, "median of 0.002 and 0.004");
    assertEquals(3, f.agents());
    assertFalse(MarketConditionsPlanner.figures(List.of(agent())).values().containsKey(MarketMetric.volume));
  }

  @Test
  void replicaPlannerAddsTheDeltaToTheWindowButNotToAnOverride() {
    var scaling = new ReplicaPlanner.Scaling(100, Duration.ZERO, 6, 100);
    var schedule = io.neuraltrader.e2b.schedule.ScheduleEvaluator.evaluate(List.of(),
        io.neuraltrader.e2b.schedule.MarketCalendars.byName("none"), Duration.ZERO, T0);
    var plan = ReplicaPlanner.plan(new ReplicaPlanner.Input(4, 4, null, schedule, scaling, 4, 4, null, null, T0, 3,
        "high-volatility (+3: volatility > 0.03, now 0.05)"));
    assertEquals(6, plan.desired(), "4 + 3 capped at maxReplicas 6");
    assertEquals("MaxReplicas", plan.limitReason());
    assertEquals("spec.replicas 4; market conditions +3 -> 7: high-volatility (+3: volatility > 0.03, now 0.05);"
        + " capped at scaling.maxReplicas 6", plan.why());
    var override = new ReplicaPlanner.Override(2, "session", T0.plusSeconds(3600));
    var held = ReplicaPlanner.plan(new ReplicaPlanner.Input(2, 2, override, schedule, scaling, 2, 2, null, null, T0, 3,
        "high-volatility"));
    assertEquals(2, held.desired(), "the manual override wins until its window ends");
    assertTrue(held.why().contains("wait for the override to end"), held.why());
    var afterWindow = ReplicaPlanner.plan(new ReplicaPlanner.Input(2, 2, override, schedule, scaling, 2, 2, null, null,
        T0.plusSeconds(3600), 3, "high-volatility"));
    assertEquals(5, afterWindow.desired());
  }

  private static MarketObservation obs(String symbol, Double volatility, Double volume, Double spread) {
    MarketObservation o = new MarketObservation();
    o.setSymbol(symbol);
    o.setVolatility(volatility);
    o.setVolume(volume);
    o.setSpread(spread);
    return o;
  }

  private static TradingAgent agent(MarketObservation... observations) {
    TradingAgent a = new TradingAgent();
    a.setSpec(new TradingAgentSpec());
    TradingAgentStatus s = new TradingAgentStatus();
    s.setPhase(AgentPhase.Running);
    s.setObservations(new ArrayList<>(List.of(observations)));
    a.setStatus(s);
    return a;
  }
}
