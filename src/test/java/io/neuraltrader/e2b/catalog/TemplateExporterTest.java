package io.neuraltrader.e2b.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.neuraltrader.e2b.api.v1alpha1.Performance;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TemplateExporterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-03-02T15:04:05Z");
  private final CatalogFixture fx = new CatalogFixture(TemplateExporterTest.class);
  private final TemplateExporter exporter =
      new TemplateExporter(fx.operatorClient, Clock.fixed(NOW, ZoneOffset.UTC));
  private final TemplateCatalog catalog = new TemplateCatalog(fx.operatorClient, () -> "abcde");

  @AfterEach
  void close() {
    fx.close();
  }

  private TradingAgent tunedAgent() {
    fx.sandbox("tuned-sandbox", s -> {
      s.setPhase(SandboxPhase.Running);
      s.setSandboxID("isb-tuned");
      s.setCpuCount(2);
      s.setMemoryMB(1024);
      s.setAverageExecutionMs(420L);
    });
    return fx.agent(CatalogFixture.momentumAgent("tuned"), st -> {
      st.setSandboxRef("tuned-sandbox");
      st.setSandboxID("isb-tuned");
      st.setRuns(90L);
      st.setFailedRuns(10L);
      st.setLastRunDurationMs(380L);
      st.setPerformance(performance(1.2, 0.1));
    });
  }

  private static Performance performance(double sharpe, double maxDrawdown) {
    Performance p = new Performance();
    p.setTotalReturn(0.084);
    p.setSharpe(sharpe);
    p.setMaxDrawdown(maxDrawdown);
    p.setWinRate(0.56);
    p.setTrades(41);
    return p;
  }

  @Test
  void exportsConfigurationPerformanceAndExecutionRecord() {
    tunedAgent();
    ExportedTemplate e = exporter.export(fx.ns, "tuned", "tuned-momentum", false);
    assertEquals("1.0.0", e.version());
    assertEquals("e2b-template-tuned-momentum-1-0-0", e.configMapName());
    CatalogTemplate t = e.template();
    assertEquals("momentum", t.spec().getStrategy().name());
    assertEquals(Map.of("period", 14.0, "threshold", 0.03), t.spec().getParameters());
    assertEquals(List.of("AAPL", "MSFT"), t.spec().getSymbols());
    assertEquals(0.25, t.spec().getRisk().getMaxDrawdown());
    assertEquals(50000.0, t.spec().getCapital());
    assertEquals(new TemplatePerformance(0.084, 1.2, 0.1, 0.56, 41, 90L, 10L), t.performance());
    assertEquals(new TemplateResources(2, 1024), t.resources());
    assertEquals(420L, t.averageExecutionMs(), "the sandbox's average execution time");
    assertEquals(0.9, t.executionEfficiency());
    // (min(1.2 / 2, 1) + (1 - 0.1) + 90 / 100) / 3
    assertEquals(0.8, e.qualityScore());
    assertEquals(new CreatedFrom("TradingAgent", fx.ns, "tuned", "isb-tuned"), t.createdFrom());
    assertEquals("2026-03-02T15:04:05Z", t.createdAt());
    assertFalse(e.includesData());

    ConfigMap stored = fx.client.configMaps().inNamespace(fx.ns).withName(e.configMapName()).get();
    assertEquals(Map.of(TemplateStore.LABEL_TEMPLATE, "tuned-momentum", TemplateStore.LABEL_VERSION, "1.0.0",
        TemplateStore.LABEL_SOURCE_AGENT, "tuned", TemplateStore.LABEL_COMPONENT, TemplateStore.COMPONENT,
        "app.kubernetes.io/managed-by", "e2b-operator"), stored.getMetadata().getLabels());
    assertTrue(stored.getMetadata().getOwnerReferences() == null || stored.getMetadata().getOwnerReferences().isEmpty(),
        "a template outlives its agent");
    assertEquals(List.of(TemplateStore.TEMPLATE_KEY), List.copyOf(stored.getData().keySet()));
    // The catalog reads back what was written (the spec has no equals: compare as JSON).
    assertEquals(JSON.valueToTree(t.located(CatalogTemplate.EXPORTED, e.configMapName(), false)),
        JSON.valueToTree(catalog.find(fx.ns, "tuned-momentum", null).orElseThrow()));
  }

  @Test
  void eachExportOfANameIsTheNextPatchAndOlderVersionsStay() {
    tunedAgent();
    assertEquals("1.0.0", exporter.export(fx.ns, "tuned", "tuned-momentum", false).version());
    TradingAgent agent = fx.client.resources(TradingAgent.class).inNamespace(fx.ns).withName("tuned").get();
    agent.getStatus().setPerformance(performance(2.6, 0.3));
    fx.client.resource(agent).updateStatus();
    ExportedTemplate second = exporter.export(fx.ns, "tuned", "tuned-momentum", false);
    assertEquals("1.0.1", second.version());
    assertEquals("1.0.2", exporter.export(fx.ns, "tuned", "tuned-momentum", false).version());
    assertEquals("1.0.0", exporter.export(fx.ns, "tuned", "other-name", false).version(), "versions are per name");

    TemplateSummary summary = catalog.list(fx.ns).stream().filter(s -> s.name().equals("tuned-momentum"))
        .findFirst().orElseThrow();
    assertEquals(List.of("1.0.0", "1.0.1", "1.0.2"), summary.versions());
    assertEquals("1.0.2", summary.latestVersion());
    assertEquals(CatalogTemplate.EXPORTED, summary.source());
    CatalogTemplate first = catalog.find(fx.ns, "tuned-momentum", "1.0.0").orElseThrow();
    assertEquals(1.2, first.performance().sharpe(), "the old version keeps its own record");
    assertEquals(0.8, first.qualityScore());
    // Sharpe 2.6 clamps to 1: (1 + 0.7 + 0.9) / 3
    assertEquals(0.8667, catalog.find(fx.ns, "tuned-momentum", "1.0.1").orElseThrow().qualityScore());
    assertEquals(4, fx.client.configMaps().inNamespace(fx.ns).withLabel(TemplateStore.LABEL_TEMPLATE).list()
        .getItems().size());
  }

  @Test
  void exportingUnderAShippedNameContinuesItsVersions() {
    tunedAgent();
    ExportedTemplate e = exporter.export(fx.ns, "tuned", "momentum-trading", false);
    assertEquals("1.0.1", e.version());
    assertEquals(List.of("1.0.0", "1.0.1"), catalog.list(fx.ns).stream()
        .filter(s -> s.name().equals("momentum-trading")).findFirst().orElseThrow().versions());
    assertEquals(CatalogTemplate.BUILTIN, catalog.find(fx.ns, "momentum-trading", "1.0.0").orElseThrow().source());
  }

  @Test
  void includeDataCarriesThePersistedState() {
    tunedAgent();
    String state = "{\"portfolio\":{\"cash\":48000.5},\"prices\":{\"AAPL\":[187.2,188.1]}}";
    fx.client.resource(new ConfigMapBuilder().withNewMetadata().withName("tuned-state").withNamespace(fx.ns)
        .endMetadata().withData(Map.of("state.json", state, "tick", "90")).build()).create();
    ExportedTemplate e = exporter.export(fx.ns, "tuned", "tuned-momentum", true);
    assertTrue(e.includesData());
    assertEquals(state.length(), e.stateBytes());
    assertTrue(e.template().hasState());
    assertEquals(state, fx.client.configMaps().inNamespace(fx.ns).withName(e.configMapName()).get().getData()
        .get(TemplateStore.STATE_KEY));
    assertEquals(state, catalog.state(fx.ns, "tuned-momentum", "1.0.0").orElseThrow());
    assertTrue(catalog.find(fx.ns, "tuned-momentum", null).orElseThrow().hasState());
  }

  @Test
  void includeDataWithoutStateIsRefusedAndWritesNothing() {
    tunedAgent();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> exporter.export(fx.ns, "tuned", "tuned-momentum", true));
    assertTrue(e.getMessage().startsWith("includeData: agent tuned has no persisted state (ConfigMap tuned-state"),
        e.getMessage());
    assertNoTemplateWritten();
  }

  @Test
  void stateTooLargeForATemplateIsRefusedAndWritesNothing() {
    tunedAgent();
    String big = "{\"blob\":\"" + "x".repeat(TemplateExporter.MAX_DATA_BYTES) + "\"}";
    fx.client.resource(new ConfigMapBuilder().withNewMetadata().withName("tuned-state").withNamespace(fx.ns)
        .endMetadata().withData(Map.of("state.json", big)).build()).create();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> exporter.export(fx.ns, "tuned", "tuned-momentum", true));
    assertTrue(e.getMessage().startsWith("includeData: the template with agent tuned's state is "), e.getMessage());
    assertTrue(e.getMessage().contains("at most " + TemplateExporter.MAX_DATA_BYTES), e.getMessage());
    assertNoTemplateWritten();
    assertEquals("1.0.0", exporter.export(fx.ns, "tuned", "tuned-momentum", false).version(),
        "without data the same agent exports");
  }

  @Test
  void aSandboxIdOrSandboxNameResolvesToItsAgent() {
    tunedAgent();
    assertEquals("tuned", exporter.export(fx.ns, "isb-tuned", "by-id", false).template().createdFrom().name());
    assertEquals("tuned", exporter.export(fx.ns, "tuned-sandbox", "by-ref", false).template().createdFrom().name());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> exporter.export(fx.ns, "isb-nobody", "x", false));
    assertTrue(e.getMessage().startsWith("agent \"isb-nobody\": no TradingAgent of that name"), e.getMessage());
  }

  @Test
  void badArgumentsNameTheArgument() {
    tunedAgent();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> exporter.export(fx.ns, "tuned", "Tuned_V2", false))
        .getMessage().startsWith("templateName \"Tuned_V2\""));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> exporter.export(fx.ns, "", "t", false))
        .getMessage().startsWith("agent (a TradingAgent name or a sandboxId) is required"));
    assertEquals("tuned", exporter.export(fx.ns, "tuned", null, false).name(), "templateName defaults to the agent");
  }

  @Test
  void anAgentWithoutTicksExportsWithoutAScore() {
    fx.agent(CatalogFixture.momentumAgent("fresh"), st -> { });
    ExportedTemplate e = exporter.export(fx.ns, "fresh", "fresh", false);
    assertNull(e.qualityScore());
    assertNull(e.template().performance());
    assertNull(e.template().executionEfficiency());
    assertEquals(new TemplateResources(2, 1024), e.template().resources(), "from the spec when no sandbox reports");
  }

  @Test
  void theReturnedYamlRecreatesTheVersionAndTheVersionDeploys() {
    tunedAgent();
    ExportedTemplate e = exporter.export(fx.ns, "tuned", "tuned-momentum", false);
    assertTrue(Serialization.unmarshal(e.yaml()) instanceof ConfigMap, "a complete manifest (apiVersion, kind)");
    ConfigMap manifest = Serialization.unmarshal(e.yaml(), ConfigMap.class);
    assertNull(manifest.getMetadata().getResourceVersion(), "no server-set fields in a manifest to commit");
    assertNull(manifest.getMetadata().getUid());
    // As GitOps would in another namespace: apply the committed manifest there.
    fx.client.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("prod")
        .endMetadata().build()).create();
    manifest.getMetadata().setNamespace("prod");
    fx.client.resource(manifest).create();
    CatalogTemplate there = catalog.find("prod", "tuned-momentum", null).orElseThrow();
    assertEquals(e.template().spec().getParameters(), there.spec().getParameters());
    assertEquals(0.8, there.qualityScore());

    Deployed d = catalog.deploy(fx.ns, "tuned-momentum", Map.of("name", "tuned-copy"), null);
    assertEquals("1.0.0", d.templateVersion());
    TradingAgent copy = fx.client.resources(TradingAgent.class).inNamespace(fx.ns).withName("tuned-copy").get();
    assertEquals(Map.of("period", 14.0, "threshold", 0.03), copy.getSpec().getParameters());
    assertNotNull(copy.getSpec().getSandbox().getTemplate());
    assertNull(copy.getStatus() == null ? null : copy.getStatus().getPerformance(), "a new agent starts fresh");
  }

  @Test
  void anAgentOnASharedSandboxExportsWithAnOwnSandboxOfThatSize() {
    fx.sandbox("shared", s -> s.setPhase(SandboxPhase.Running));
    fx.agent("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: TradingAgent
        metadata:
          name: guest
        spec:
          strategy: mean_reversion
          symbols: [SPY]
          sandbox:
            sandboxRef:
              name: shared
        """, st -> st.setSandboxRef("shared"));
    CatalogTemplate t = exporter.export(fx.ns, "guest", "guest", false).template();
    assertNull(t.spec().getSandbox().getSandboxRef());
    assertEquals("code-interpreter-v1", t.spec().getSandbox().getTemplate().getTemplate());
  }

  private void assertNoTemplateWritten() {
    assertTrue(fx.client.configMaps().inNamespace(fx.ns).withLabel(TemplateStore.LABEL_TEMPLATE).list().getItems()
        .isEmpty());
  }
}
