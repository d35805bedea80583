package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.testing.OperatorHarness;
import io.neuraltrader.e2b.testing.StrategyBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Spec inputs reach the strategy only as data: rejected at admission, rejected again past it, inert anyway. */
class HostileInputsTest {
  private static String agentYaml(String symbols, String parameters) {
    return """
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: TradingAgent
        metadata: {name: hostile}
        spec:
          strategy: momentum
          symbols: %s
          parameters: %s
          sandbox: {template: {template: code-interpreter-v1}}
        """.formatted(symbols, parameters);
  }

  private static Path pwned() {
    return Path.of(System.getProperty("java.io.tmpdir"), "pwned-" + UUID.randomUUID());
  }

  private static String injection(Path file) {
    return "X'); open('" + file + "','w').write('x";
  }

  @Test
  void admissionRejectsHostileSymbolsAndNonNumericParameters() {
    try (OperatorHarness h = OperatorHarness.start()) {
      Path file = pwned();
      var e1 = assertThrows(InMemoryKubernetes.AdmissionException.class,
          () -> h.apply(agentYaml("['\"; import os']", "{period: 10}")));
      assertTrue(e1.getMessage().contains("symbols"), e1.getMessage());
      assertThrows(InMemoryKubernetes.AdmissionException.class,
          () -> h.apply(agentYaml("[\"" + injection(file).replace("'", "''") + "\"]", "{period: 10}")));
      var e2 = assertThrows(InMemoryKubernetes.AdmissionException.class,
          () -> h.apply(agentYaml("[AAPL]", "{period: \"__import__('os').system('id')\"}")));
      assertTrue(e2.getMessage().contains("parameters"), e2.getMessage());
      assertThrows(InMemoryKubernetes.AdmissionException.class,
          () -> h.apply(agentYaml("[AAPL]", "{\"os.system('id')\": 1}")));
      assertEquals(null, h.get(TradingAgent.class, "hostile"), "nothing was stored");
      assertFalse(Files.exists(file));
    }
  }

  @Test
  void pastAdmissionTheAgentFailsAndNothingRuns() throws Exception {
    Path file = pwned();
    try (OperatorHarness h = OperatorHarness.start()) {
      // Admitted by an older CRD without the symbol rules (the object stays when the CRD tightens).
      h.assumeInMemory();
      TradingAgent agent = Agents.agent("forced", Strategy.momentum, "AAPL", injection(file), "\"; import os");
      agent.setMetadata(new ObjectMetaBuilder().withName("forced").withNamespace(h.namespace()).build());
      agent.getSpec().setParameters(Agents.params("period", 3));
      withoutSymbolRules(h, () -> h.client().resource(agent).create());

      TradingAgent failed = h.awaitResource(TradingAgent.class, "forced",
          a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.Failed);
      String error = failed.getStatus().getLastError();
      assertTrue(error.startsWith("InvalidSpec: symbols[1] \"X'); open("), error);
      assertTrue(error.contains("symbols[2] \"\\\"; import os\" must match"), error);
      assertTrue(Agents.conditionIs(failed, "Ready", "False", "InvalidSpec"));
      h.awaitEvent("forced", "InvalidSpec");
      assertEquals(0, h.runtime().sandboxCount(), "no sandbox was even created");
      assertEquals(0, h.runtime().requestCount(ServedOperation.EXECUTE), "nothing was executed");
      assertFalse(Files.exists(file), "the injected code did not run");

      // Fixing the spec is all it takes: the agent starts, nothing was lost.
      TradingAgent fix = h.get(TradingAgent.class, "forced");
      fix.getSpec().setSymbols(List.of("AAPL", "MSFT"));
      h.client().resource(fix).update();
      TradingAgent running = h.awaitResource(TradingAgent.class, "forced", a -> Agents.runs(a) >= 1,
          java.time.Duration.ofSeconds(30));
      assertEquals(AgentPhase.Running, running.getStatus().getPhase());
      assertEquals(null, running.getStatus().getLastError());
      assertTrue(Agents.conditionIs(running, "Ready", "True", "Running"));
      assertFalse(Files.exists(file));
    }
  }

  /** Runs {@code write} while the TradingAgent CRD has no rules on spec.symbols, then restores the CRD. */
  private static void withoutSymbolRules(OperatorHarness h, Runnable write) {
    var crds = h.client().apiextensions().v1().customResourceDefinitions()
        .withName("tradingagents.e2b.neuraltrader.io");
    var original = crds.get().getSpec();
    crds.edit(crd -> {
      var symbols = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties()
          .get("spec").getProperties().get("symbols");
      symbols.setXKubernetesValidations(null);
      symbols.getItems().getSchema().setPattern(null);
      symbols.getItems().getSchema().setMaxLength(null);
      return crd;
    });
    try {
      write.run();
    } finally {
      crds.edit(crd -> {
        crd.setSpec(original);
        return crd;
      });
    }
  }

  @Test
  void evenIfValidationWereBypassedTheRuntimeTreatsThemAsData() throws Exception {
    Path file = pwned();
    try (StrategyBench bench = new StrategyBench()) {
      TradingAgent agent = Agents.agent("inert", Strategy.momentum, "AAPL");
      String input = AgentInputs.build(agent, List.of("AAPL", injection(file)), null, Map.of(), 0,
          StrategyBench.START, null).toString();
      TickFailedException e = assertThrows(TickFailedException.class,
          () -> bench.tick(agent, StrategyCode.shipped(Strategy.momentum), input));
      assertEquals("ValueError", e.errorName());
      assertTrue(e.errorValue().startsWith("symbols[1] must match"), e.errorValue());
      assertFalse(Files.exists(file), "the symbol was data, never code");
    }
  }

  /**
   * Strings that come from a ConfigMap, a Secret, market data or stored state hold quotes, backslashes and line
   * breaks. E2B's code interpreter writes /execute env vars into the cell as Python source, so as an env var
   * they would be a SyntaxError, a corrupted value or code that runs; as the base64 literal they are inert.
   */
  @Test
  void quotesBackslashesAndLineBreaksInInputsStayData() throws Exception {
    Path file = pwned();
    try (StrategyBench bench = new StrategyBench()) {
      TradingAgent agent = Agents.agent("quoted", Strategy.momentum, "AAPL");
      agent.getSpec().setParameters(Agents.params("period", 1));
      var md = new io.neuraltrader.e2b.api.v1alpha1.MarketDataSpec();
      md.setType(io.neuraltrader.e2b.api.v1alpha1.MarketDataType.configMap);
      agent.getSpec().setMarketData(md);
      String csv = "timestamp,symbol,price\n2026-03-02T14:30:00Z,AAPL,100\n2026-03-02T14:31:00Z,AAPL,101\n";
      TickResult first = bench.tick(agent, StrategyCode.shipped(Strategy.momentum),
          AgentInputs.build(agent, List.of("AAPL"), csv, Map.of(), 0, StrategyBench.START, null).toString());
      assertEquals(100.0, first.signals().get(0).getPrice(), "a multi-line CSV arrives whole");

      // A state edited in its ConfigMap: a value crafted to close the literal and call open().
      var state = (com.fasterxml.jackson.databind.node.ObjectNode) first.state().deepCopy();
      state.putObject("memory").put("note", "'; open('" + file + "','w').write('x'); _ = '")
          .put("path", "C:\\temp\\new\\x41 \"quoted\" it's");
      String input = AgentInputs.build(agent, List.of("AAPL"), csv, Map.of(), 1, StrategyBench.START, state)
          .toString();
      try {
        TickResult second = bench.tick(agent, StrategyCode.shipped(Strategy.momentum), input);
        assertEquals("C:\\temp\\new\\x41 \"quoted\" it's", second.state().path("memory").path("path").asText(),
            "the value arrives unchanged");
      } catch (TickFailedException e) {
        assertFalse(e.errorName().equals("SyntaxError"), "the input never became source: " + e.getMessage());
      }
      assertFalse(Files.exists(file), "the crafted value did not run");
    }
  }
}
