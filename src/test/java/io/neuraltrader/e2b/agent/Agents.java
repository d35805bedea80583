package io.neuraltrader.e2b.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.neuraltrader.e2b.api.v1alpha1.AgentSandboxSource;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.SymbolPair;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Test helpers: agents built in Java, status and condition accessors. */
final class Agents {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Agents() {}

  /** An agent object (not stored anywhere) with a uid, an own-sandbox source and the given symbols. */
  static TradingAgent agent(String name, Strategy strategy, String... symbols) {
    TradingAgent agent = new TradingAgent();
    agent.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default")
        .withUid(UUID.randomUUID().toString()).withGeneration(1L).build());
    agent.getSpec().setStrategy(strategy);
    agent.getSpec().setSymbols(symbols.length == 0 ? null : Arrays.asList(symbols));
    AgentSandboxSource source = new AgentSandboxSource();
    source.setTemplate(new E2BSandboxSpec());
    agent.getSpec().setSandbox(source);
    return agent;
  }

  static Map<String, Double> params(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
    }
    return m;
  }

  static SymbolPair pair(String a, String b) {
    SymbolPair p = new SymbolPair();
    p.setFirst(a);
    p.setSecond(b);
    return p;
  }

  static List<SymbolPair> pairs(SymbolPair... p) {
    return Arrays.asList(p);
  }

  static JsonNode json(Object o) {
    return MAPPER.valueToTree(o);
  }

  static Optional<Condition> condition(TradingAgent a, String type) {
    return a.getStatus() == null ? Optional.empty() : Conditions.find(a.getStatus().getConditions(), type);
  }

  static boolean conditionIs(TradingAgent a, String type, String status, String reason) {
    return condition(a, type).map(c -> status.equals(c.getStatus())
        && (reason == null || reason.equals(c.getReason()))).orElse(false);
  }

  static long runs(TradingAgent a) {
    TradingAgentStatus s = a.getStatus();
    return s == null || s.getRuns() == null ? 0 : s.getRuns();
  }

  /**
   * Moves the simulated clock to the agent's nextRunAt and waits (bounded, real time) until that tick has
   * run, successfully or not. Returns the agent as it is then.
   */
  static TradingAgent step(OperatorHarness h, String name) {
    TradingAgent a = h.get(TradingAgent.class, name);
    long before = runs(a) + failedRuns(a);
    Instant next = Instant.parse(a.getStatus().getNextRunAt());
    if (next.isAfter(h.clock().instant())) {
      h.clock().advanceTo(next);
    }
    return h.awaitResource(TradingAgent.class, name, x -> runs(x) + failedRuns(x) > before, Duration.ofSeconds(30));
  }

  /** Steps until the agent has completed {@code runs} successful ticks (at most {@code maxSteps} steps). */
  static TradingAgent stepUntilRuns(OperatorHarness h, String name, long runs, int maxSteps) {
    TradingAgent a = h.get(TradingAgent.class, name);
    for (int i = 0; i < maxSteps && runs(a) < runs; i++) {
      a = step(h, name);
    }
    if (runs(a) < runs) {
      throw new AssertionError(name + " reached only " + runs(a) + " runs in " + maxSteps + " steps: "
          + a.getStatus().getLastError());
    }
    return a;
  }

  static long failedRuns(TradingAgent a) {
    TradingAgentStatus s = a.getStatus();
    return s == null || s.getFailedRuns() == null ? 0 : s.getFailedRuns();
  }
}
