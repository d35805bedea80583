package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.ConsensusDecision;
import io.neuraltrader.e2b.api.v1alpha1.Signal;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConsensusTest {
  private static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");
  private static final Duration INTERVAL = Duration.ofSeconds(60);

  /** Actions of the voters; "-" is a member that does not vote (failed, stale). */
  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("unanimous", "buy buy buy", "buy", 3),
        Arguments.of("two of three at 0.67 is short of 0.67 x 3 = 2.01", "buy buy sell", null, 0),
        Arguments.of("three of four at 0.67", "sell sell sell buy", "sell", 3),
        Arguments.of("a failed member counts against the quorum", "buy buy -", null, 0),
        Arguments.of("hold is a decision too", "hold hold hold", "hold", 3),
        Arguments.of("nobody votes", "- - -", null, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void quorumOfTheMembers(String name, String actions, String decision, int votes) {
    List<TradingAgent> members = new ArrayList<>();
    Set<TradingAgent> voters = new HashSet<>();
    int i = 0;
    for (String action : actions.split(" ")) {
      TradingAgent a = agent("a" + i++, "-".equals(action) ? "buy" : action, "AAPL");
      members.add(a);
      if (!"-".equals(action)) {
        voters.add(a);
      }
    }
    List<ConsensusDecision> out = Consensus.decide(members, voters, 0.67, 1);
    if (decision == null) {
      assertTrue(out.isEmpty(), out.toString());
      return;
    }
    assertEquals(1, out.size());
    assertEquals(decision, out.get(0).getAction());
    assertEquals(votes, out.get(0).getVotes());
    assertEquals(members.size(), out.get(0).getMembers());
  }

  @Test
  void perSymbolWithCountsAndATieAtHalfIsNoDecision() {
    TradingAgent a = agent("a", "buy", "AAPL", "sell", "MSFT");
    TradingAgent b = agent("b", "buy", "AAPL", "buy", "MSFT");
    List<ConsensusDecision> out = Consensus.decide(List.of(a, b), Set.of(a, b), 0.5, 1);
    assertEquals(1, out.size(), "MSFT is 1 buy 1 sell: both reach 0.5, no decision");
    ConsensusDecision aapl = out.get(0);
    assertEquals("AAPL", aapl.getSymbol());
    assertEquals(List.of(2, 0, 0, 2, 2), List.of(aapl.getBuy(), aapl.getSell(), aapl.getHold(), aapl.getVoters(),
        aapl.getMembers()));
    assertTrue(Consensus.decide(List.of(a, b), Set.of(a, b), 0.5, 3).isEmpty(), "minVoters 3");
  }

  @Test
  void votersAreRunningHealthyAndFresh() {
    TradingAgent fresh = agent("fresh", "buy", "AAPL");
    TradingAgent stale = agent("stale", "buy", "AAPL");
    stale.getStatus().setLastRunAt(Times.format(NOW.minus(INTERVAL.multipliedBy(4))));
    TradingAgent failing = agent("failing", "buy", "AAPL");
    Conditions.set(failing.getStatus().getConditions(), "Healthy", false, "TickFailed", "boom", 1L, NOW);
    TradingAgent suspended = agent("suspended", "buy", "AAPL");
    suspended.getSpec().setSuspend(true);
    TradingAgent halted = agent("halted", "buy", "AAPL");
    Conditions.set(halted.getStatus().getConditions(), "Healthy", false, "DrawdownHalt", "dd", 1L, NOW);
    TradingAgent waiting = agent("waiting", "buy", "AAPL");
    waiting.getStatus().setPhase(AgentPhase.WaitingForSandbox);
    assertTrue(FleetVoters.votes(fresh, INTERVAL, NOW));
    for (TradingAgent a : List.of(stale, failing, suspended, halted, waiting)) {
      assertFalse(FleetVoters.votes(a, INTERVAL, NOW), a.getMetadata().getName());
    }
  }

  /** An agent whose latest signals are (action, symbol) pairs; it trades exactly those symbols. */
  static TradingAgent agent(String name, String... actionsAndSymbols) {
    TradingAgent a = new TradingAgent();
    a.setMetadata(new ObjectMetaBuilder().withName(name).build());
    TradingAgentSpec spec = new TradingAgentSpec();
    List<String> symbols = new ArrayList<>();
    TradingAgentStatus status = new TradingAgentStatus();
    List<Signal> signals = new ArrayList<>();
    for (int i = 0; i < actionsAndSymbols.length; i += 2) {
      Signal s = new Signal();
      s.setAction(actionsAndSymbols[i]);
      s.setSymbol(actionsAndSymbols[i + 1]);
      signals.add(s);
      symbols.add(actionsAndSymbols[i + 1]);
    }
    spec.setSymbols(symbols);
    a.setSpec(spec);
    status.setSignals(signals);
    status.setPhase(AgentPhase.Running);
    status.setLastRunAt(Times.format(NOW.minusSeconds(30)));
    a.setStatus(status);
    return a;
  }
}
