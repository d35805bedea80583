package io.neuraltrader.e2b.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuraltrader.e2b.agent.AgentValidator;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateCatalogTest {
  private final CatalogFixture fx = new CatalogFixture(TemplateCatalogTest.class);
  private final TemplateCatalog catalog = new TemplateCatalog(fx.operatorClient, () -> "x7k2p");

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void shipsThePlatformsThreeTemplates() {
    List<TemplateSummary> list = catalog.list(fx.ns);
    assertEquals(List.of("mean-reversion", "momentum-trading", "pairs-trading"),
        list.stream().map(TemplateSummary::name).toList());
    assertEquals(List.of("mean_reversion", "momentum", "pairs_trading"),
        list.stream().map(TemplateSummary::strategy).toList());
    list.forEach(t -> {
      assertEquals("1.0.0", t.latestVersion());
      assertEquals(CatalogTemplate.BUILTIN, t.source());
      assertNull(t.qualityScore(), "a shipped template has no performance to score");
    });
    CatalogTemplate pairs = catalog.find(fx.ns, "pairs-trading", null).orElseThrow();
    assertEquals(new TemplateResources(2, 2048), pairs.resources());
    assertEquals(3, pairs.spec().getPairs().size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"momentum-trading", "mean-reversion", "pairs-trading"})
  void shippedTemplatesAreValidAgentsAndDeployAsIs(String name) {
    CatalogTemplate t = catalog.find(fx.ns, name, null).orElseThrow();
    assertEquals(List.of(), AgentValidator.validate(t.spec()));
    Deployed d = catalog.deploy(fx.ns, name, null, null);
    assertEquals("TradingAgent", d.kind());
    assertEquals(name + "-x7k2p", d.name());
    TradingAgent stored = fx.client.resources(TradingAgent.class).inNamespace(fx.ns).withName(d.name()).get();
    assertEquals(t.spec().getStrategy(), stored.getSpec().getStrategy());
    assertEquals(name, stored.getMetadata().getLabels().get(TemplateStore.LABEL_TEMPLATE));
    assertEquals("1.0.0", stored.getMetadata().getLabels().get(TemplateStore.LABEL_VERSION));
  }

  @Test
  void overridesMergeIntoTheTemplateAndReachTheAgent() {
    Deployed d = catalog.deploy(fx.ns, "momentum-trading", Map.of(
        "name", "fast-momentum",
        "strategyParams", Map.of("period", 5),
        "symbols", List.of("TSLA", "AMD"),
        "risk", Map.of("stopLoss", 0.02),
        "capital", 25000,
        "interval", "15s",
        "resources", Map.of("cpuCount", 4, "memoryMB", 4096)), 1);
    TradingAgent a = fx.client.resources(TradingAgent.class).inNamespace(fx.ns).withName("fast-momentum").get();
    assertEquals(d.uid(), a.getMetadata().getUid());
    assertEquals(Map.of("period", 5.0, "threshold", 0.02), a.getSpec().getParameters());
    assertEquals(List.of("TSLA", "AMD"), a.getSpec().getSymbols());
    assertEquals(0.02, a.getSpec().getRisk().getStopLoss());
    assertEquals(0.1, a.getSpec().getRisk().getMaxPositionFraction(), "risk fields not overridden stay");
    assertEquals(25000.0, a.getSpec().getCapital());
    assertEquals("15s", a.getSpec().getInterval());
    assertEquals(4, a.getSpec().getSandbox().getTemplate().getResources().getCpuCount());
    assertEquals(4096, a.getSpec().getSandbox().getTemplate().getResources().getMemoryMB());
    // The shipped template itself is untouched by a deploy's overrides, or by a caller changing what find returns.
    catalog.find(fx.ns, "momentum-trading", null).orElseThrow().spec().getParameters().put("period", 99.0);
    assertEquals(20.0, catalog.find(fx.ns, "momentum-trading", null).orElseThrow().spec().getParameters().get("period"));
  }

  @Test
  void severalReplicasMakeADeployment() {
    Deployed d = catalog.deploy(fx.ns, "pairs-trading", Map.of("name", "pairs-fleet",
        "pairs", List.of(List.of("GLD", "SLV"), Map.of("first", "KO", "second", "PEP")), "poolRef", "warm-pool"), 3);
    assertEquals("E2BDeployment", d.kind());
    E2BDeployment dep = fx.client.resources(E2BDeployment.class).inNamespace(fx.ns).withName("pairs-fleet").get();
    assertEquals(3, dep.getSpec().getReplicas());
    assertEquals(List.of("GLD/SLV", "KO/PEP"), dep.getSpec().getTemplate().getSpec().getPairs().stream()
        .map(p -> p.getFirst() + "/" + p.getSecond()).toList());
    assertEquals("warm-pool", dep.getSpec().getTemplate().getSpec().getSandbox().getPoolRef().getName());
    assertNull(dep.getSpec().getTemplate().getSpec().getSandbox().getTemplate());
    assertEquals("pairs-trading", dep.getSpec().getTemplate().getLabels().get(TemplateStore.LABEL_TEMPLATE));
    assertTrue(fx.client.resources(TradingAgent.class).inNamespace(fx.ns).list().getItems().isEmpty());
  }

  @Test
  void aParameterTheStrategyDoesNotHaveIsRefusedByNameAndNothingIsCreated() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> catalog.deploy(fx.ns,
        "momentum-trading", Map.of("strategyParams", Map.of("lookback", 30)), null));
    assertTrue(e.getMessage().contains("parameters.lookback is not a parameter of momentum"), e.getMessage());
    assertTrue(e.getMessage().contains("known: period, threshold"), e.getMessage());
    assertNothingCreated();
  }

  @Test
  void badOverridesNameTheOverride() {
    assertRefused(Map.of("leverage", 3), "overrides.leverage is not an override");
    assertRefused(Map.of("risk", Map.of("maxLoss", 0.1)), "overrides.risk.maxLoss is not a risk setting");
    assertRefused(Map.of("risk", Map.of("stopLoss", 1.5)), "risk.stopLoss = 1.5 is outside (0, 1)");
    assertRefused(Map.of("capital", "lots"), "overrides.capital must be a finite number, got the string \"lots\"");
    assertRefused(Map.of("capital", 10), "capital = 10 is outside [100, 1000000000]");
    assertRefused(Map.of("interval", "forever"), "interval \"forever\" must be a duration");
    assertRefused(Map.of("symbols", List.of("AAPL", "rm -rf")), "symbols[1] \"rm -rf\" must match");
    assertRefused(Map.of("strategyParams", Map.of("period", 0.5)), "parameters.period = 0.5 is outside [1, 255]");
    assertRefused(Map.of("resources", Map.of("gpu", 1)), "overrides.resources.gpu is not a resource setting");
    assertRefused(Map.of("resources", Map.of("memoryMB", 64)), "overrides.resources.memoryMB must be a whole number");
    assertRefused(Map.of("poolRef", "warm-pool", "resources", Map.of("cpuCount", 4)),
        "overrides.resources: the agent claims its sandbox");
    assertRefused(Map.of("name", "Bad_Name"), "overrides.name \"Bad_Name\"");
    assertRefused(Map.of("pairs", List.of(List.of("KO", "KO"))), "pairs: KO is paired with itself");
    assertNothingCreated();
  }

  @Test
  void badArgumentsNameTheArgument() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> catalog.deploy(fx.ns, "scalping", null, null));
    assertTrue(unknown.getMessage().startsWith("templateName \"scalping\" is not in the catalog"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("momentum-trading"), unknown.getMessage());
    for (int replicas : new int[] {0, 101}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> catalog.deploy(fx.ns, "momentum-trading", null, replicas));
      assertTrue(e.getMessage().startsWith("replicas must be between 1 and 100"), e.getMessage());
    }
    IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
        () -> catalog.find(fx.ns, "momentum-trading", "latest"));
    assertTrue(version.getMessage().startsWith("version must be a version"), version.getMessage());
    assertTrue(catalog.find(fx.ns, "momentum-trading", "2.0.0").isEmpty());
    assertTrue(catalog.find(fx.ns, "scalping", null).isEmpty());
    IllegalArgumentException ns = assertThrows(IllegalArgumentException.class, () -> catalog.list("Not A Namespace"));
    assertTrue(ns.getMessage().startsWith("namespace"), ns.getMessage());
    assertNothingCreated();
  }

  @Test
  void aNameInUseIsRefusedWithoutTouchingTheExistingAgent() {
    Deployed first = catalog.deploy(fx.ns, "mean-reversion", Map.of("name", "mr"), null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> catalog.deploy(fx.ns, "momentum-trading", Map.of("name", "mr"), null));
    assertTrue(e.getMessage().startsWith("overrides.name: a TradingAgent named mr already exists"), e.getMessage());
    TradingAgent a = fx.client.resources(TradingAgent.class).inNamespace(fx.ns).withName("mr").get();
    assertEquals(first.uid(), a.getMetadata().getUid());
    assertEquals("mean_reversion", a.getSpec().getStrategy().name());
  }

  @Test
  void resultsSerializeAsJson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Deployed d = catalog.deploy(fx.ns, "pairs-trading", Map.of("pairs", List.of(Map.of("first", "A", "second", "B"))), null);
    String text = json.writeValueAsString(d);
    assertTrue(text.contains("\"kind\":\"TradingAgent\""), text);
    assertTrue(text.contains("\"templateVersion\":\"1.0.0\""), text);
    assertTrue(json.writeValueAsString(catalog.list(fx.ns)).contains("\"latestVersion\":\"1.0.0\""));
  }

  private void assertRefused(Map<String, Object> overrides, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> catalog.deploy(fx.ns, "momentum-trading", overrides, null), overrides::toString);
    assertTrue(e.getMessage().contains(message), () -> "expected \"" + message + "\" in: " + e.getMessage());
  }

  private void assertNothingCreated() {
    assertTrue(fx.client.resources(TradingAgent.class).inNamespace(fx.ns).list().getItems().isEmpty());
    assertTrue(fx.client.resources(E2BDeployment.class).inNamespace(fx.ns).list().getItems().isEmpty());
  }
}
