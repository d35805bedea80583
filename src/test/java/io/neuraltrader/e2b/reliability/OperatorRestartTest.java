package io.neuraltrader.e2b.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator is restarted while sandboxes are being created, while agents claim pool members and while a
 * deployment and a pool scale up: nothing leaks, nothing is created twice, and agents continue from their
 * persisted state (runs keep counting, the portfolio is not reset).
 */
class OperatorRestartTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RESTORED = Pattern.compile("restored its state from ConfigMap \\S+ \\(tick (\\d+)\\)");
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start(rc -> rc.seed(4242L), c -> c);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private long running() {
    return Estate.list(h, E2BSandbox.class).stream()
        .filter(s -> s.getStatus() != null && s.getStatus().getSandboxID() != null).count();
  }

  private long claimed() {
    return Estate.list(h, E2BSandbox.class).stream().filter(s -> s.getSpec().getClaimRef() != null).count();
  }

  private JsonNode state(String agent) throws Exception {
    ConfigMap cm = h.client().configMaps().inNamespace(h.namespace()).withName(agent + "-state").get();
    return JSON.readTree(cm.getData().get("state.json"));
  }

  @Test
  void restartsDuringCreatesClaimsAndScaleUpLoseNothingAndLeakNothing() throws Exception {
    Estate estate = Estate.standard();
    // Slow creates, some of them with lost responses: a restart lands in the middle of them.
    h.runtime().faults().set(ServedOperation.CREATE, FaultPlan.none().withLatency(Duration.ofMillis(300))
        .withLostCreateResponseRate(0.2).withErrorRate(0.1));
    estate.applyAll(h);

    // 1. Restart in the middle of the creates.
    Estate.advanceUntil(h, Duration.ofMillis(500), Duration.ofSeconds(60), () -> running() >= 3,
        () -> running() + " running");
    long before = running();
    h.restartOperator();
    assertTrue(before < estate.expectedSandboxes(2, 2), "the restart happened mid-create: " + before);

    // 2. Restart in the middle of the claims (some agents claimed, not all).
    Estate.advanceUntil(h, Duration.ofSeconds(1), Duration.ofSeconds(90), () -> claimed() >= 1,
        () -> claimed() + " claimed");
    h.restartOperator();

    Estate.advanceUntil(h, Duration.ofSeconds(2), Duration.ofSeconds(240),
        () -> estate.pending(h, 2, 2).isEmpty(), () -> estate.pending(h, 2, 2));

    // Let the agents trade a while, then remember where each one is.
    Estate.advanceUntil(h, Duration.ofSeconds(10), Duration.ofSeconds(90),
        () -> Estate.list(h, TradingAgent.class).stream().allMatch(a -> a.getStatus().getRuns() >= 6),
        () -> Estate.list(h, TradingAgent.class).stream().map(a -> a.getMetadata().getName() + "="
            + a.getStatus().getRuns()).toList());
    Map<String, Long> runsBefore = new HashMap<>();
    Map<String, Long> tradesBefore = new HashMap<>();
    Map<String, Double> peakBefore = new HashMap<>();
    for (int i = 0; i < estate.agents; i++) {
      String name = Estate.agentName(i);
      JsonNode s = state(name);
      runsBefore.put(name, h.get(TradingAgent.class, name).getStatus().getRuns());
      tradesBefore.put(name, s.path("trades").path("count").asLong());
      peakBefore.put(name, s.path("peakEquity").asDouble());
    }
    assertTrue(tradesBefore.values().stream().anyMatch(t -> t > 0), "some agent traded: " + tradesBefore);

    // 3. Scale up (deployment 2 -> 5, pools 2 -> 4, two more claiming agents) and restart mid-way.
    h.client().resources(E2BDeployment.class).inNamespace(h.namespace()).withName(Estate.DEPLOYMENT)
        .edit(d -> {
          d.getSpec().setReplicas(5);
          return d;
        });
    for (String pool : List.of(Estate.POOL_A, Estate.POOL_B)) {
      h.client().resources(SandboxPool.class).inNamespace(h.namespace()).withName(pool).edit(p -> {
        p.getSpec().setReplicas(4);
        return p;
      });
    }
    Estate.applyAgents(h, estate.agents, estate.agents + 2);
    Estate.advanceUntil(h, Duration.ofMillis(500), Duration.ofSeconds(60),
        () -> Estate.list(h, TradingAgent.class).size() > estate.agents + 2 + 2,
        () -> Estate.list(h, TradingAgent.class).size() + " agents");
    h.restartOperator();

    Estate grown = new Estate(estate.sandboxes, 4, estate.agents + 2, 5);
    Estate.advanceUntil(h, Duration.ofSeconds(2), Duration.ofSeconds(240),
        () -> grown.pending(h, 4, 5).isEmpty(), () -> grown.pending(h, 4, 5));

    // Agents continue from their persisted state.
    Estate.advanceUntil(h, Duration.ofSeconds(10), Duration.ofSeconds(60),
        () -> runsBefore.entrySet().stream().allMatch(e -> h.get(TradingAgent.class, e.getKey()).getStatus().getRuns()
            > e.getValue() + 1),
        () -> runsBefore);
    for (int i = 0; i < estate.agents; i++) {
      String name = Estate.agentName(i);
      TradingAgent agent = h.get(TradingAgent.class, name);
      JsonNode s = state(name);
      assertTrue(s.path("trades").path("count").asLong() >= tradesBefore.get(name),
          name + ": trade history kept, " + s.path("trades") + " vs " + tradesBefore.get(name));
      assertTrue(s.path("peakEquity").asDouble() >= peakBefore.get(name),
          name + ": peak equity kept, " + s.path("peakEquity") + " vs " + peakBefore.get(name));
      assertTrue(agent.getStatus().getPortfolio().getEquity() > 0, name + ": equity");
      List<Long> restoredAt = new ArrayList<>();
      for (Event e : h.events(name)) {
        Matcher m = RESTORED.matcher(e.getMessage());
        if ("StrategyDeployed".equals(e.getReason()) && m.find()) {
          restoredAt.add(Long.parseLong(m.group(1)));
        }
      }
      assertTrue(restoredAt.stream().anyMatch(t -> t >= runsBefore.get(name)),
          name + ": after the restart the strategy was redeployed from its persisted state, " + restoredAt
              + " vs runs " + runsBefore.get(name));
    }

    // Exactly one sandbox per resource, then nothing at all.
    Estate.advanceUntil(h, Duration.ofSeconds(2), Duration.ofSeconds(60),
        () -> Estate.account(h).exact() && Estate.statusMismatches(h).isEmpty(),
        () -> Estate.account(h) + " " + Estate.statusMismatches(h));
    assertTrue(Estate.claimProblems(h).isEmpty(), "claims: " + Estate.claimProblems(h));
    assertEquals(grown.expectedSandboxes(4, 5), Estate.account(h).sandboxes());

    Estate.deleteAll(h);
    Estate.advanceUntil(h, Duration.ofSeconds(2), Duration.ofSeconds(90),
        () -> Estate.customResources(h) == 0 && h.runtime().sandboxCount() == 0,
        () -> Estate.customResources(h) + " resources, " + Estate.account(h));
    assertEquals(0, h.runtime().liveProcessCount());
  }
}
