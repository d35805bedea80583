package io.neuraltrader.e2b.deployment;

import io.neuraltrader.e2b.api.v1alpha1.ConsensusDecision;
import io.neuraltrader.e2b.api.v1alpha1.Signal;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fleet's decision per symbol. Pure. The members of a symbol are the running (not suspended) agents that
 * trade it; only voters (see {@link FleetVoters}) vote, each with its latest signal for the symbol. A decision is
 * published when one action has at least {@code quorum x members} votes and {@code minVoters} voted: a failed or
 * stale member does not vote, so it counts against the quorum as a dissent would (2/3 tolerates a third of the
 * fleet failing or disagreeing).
 */
final class Consensus {
  private static final List<String> ACTIONS = List.of("buy", "sell", "hold");

  private Consensus() {}

  /** The decisions, by symbol. */
  static List<ConsensusDecision> decide(List<TradingAgent> members, Set<TradingAgent> voters, double quorum,
      int minVoters) {
    Map<String, int[]> tallies = new TreeMap<>();
    Map<String, Integer> memberCounts = new TreeMap<>();
    for (TradingAgent agent : members) {
      Set<String> symbols = new TreeSet<>(agent.getSpec().getSymbols() == null ? List.of() : agent.getSpec().getSymbols());
      symbols.forEach(s -> memberCounts.merge(s, 1, Integer::sum));
      if (!voters.contains(agent) || agent.getStatus() == null || agent.getStatus().getSignals() == null) {
        continue;
      }
      Map<String, String> latest = new TreeMap<>();
      for (Signal signal : agent.getStatus().getSignals()) {
        if (symbols.contains(signal.getSymbol()) && ACTIONS.contains(signal.getAction())) {
          latest.put(signal.getSymbol(), signal.getAction());
        }
      }
      latest.forEach((symbol, action) -> tallies.computeIfAbsent(symbol, k -> new int[3])[ACTIONS.indexOf(action)]++);
    }
    List<ConsensusDecision> out = new java.util.ArrayList<>();
    for (var entry : tallies.entrySet()) {
      int[] t = entry.getValue();
      int voted = t[0] + t[1] + t[2];
      int of = memberCounts.getOrDefault(entry.getKey(), voted);
      int winner = -1;
      for (int i = 0; i < 3; i++) {
        if (t[i] >= quorum * of - 1e-9 && t[i] > 0) {
          winner = winner == -1 ? i : -2; // two actions at quorum (quorum 0.5, a tie): no decision
        }
      }
      if (winner < 0 || voted < minVoters) {
        continue;
      }
      ConsensusDecision d = new ConsensusDecision();
      d.setSymbol(entry.getKey());
      d.setAction(ACTIONS.get(winner));
      d.setVotes(t[winner]);
      d.setVoters(voted);
      d.setMembers(of);
      d.setBuy(t[0]);
      d.setSell(t[1]);
      d.setHold(t[2]);
      out.add(d);
    }
    return out;
  }
}
