package io.neuraltrader.e2b.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceSubresourceScale;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shape of the shipped CRDs: what kubectl, HPA and the API server rely on. */
class CrdShapeTest {

  private static CustomResourceDefinition crd(String plural) throws IOException {
    return CrdFiles.read(CrdFiles.file(Path.of("crds"), plural + "." + ApiConstants.GROUP));
  }

  private static CustomResourceDefinitionVersion version(CustomResourceDefinition crd) {
    assertEquals(1, crd.getSpec().getVersions().size());
    return crd.getSpec().getVersions().get(0);
  }

  private static JSONSchemaProps at(CustomResourceDefinition crd, String dottedPath) {
    JSONSchemaProps node = version(crd).getSchema().getOpenAPIV3Schema();
    for (String part : dottedPath.split("\\.")) {
      if (part.equals("[]")) {
        node = node.getItems().getSchema();
      } else {
        assertNotNull(node.getProperties(), "no properties above " + part + " in " + dottedPath);
        node = node.getProperties().get(part);
        assertNotNull(node, dottedPath + " is not in the schema");
      }
    }
    return node;
  }

  private static String rules(JSONSchemaProps node) {
    return node.getXKubernetesValidations() == null ? ""
        : node.getXKubernetesValidations().stream().map(r -> r.getRule()).collect(Collectors.joining(" ; "));
  }

  @ParameterizedTest
  @CsvSource({
      "e2bsandboxes, E2BSandbox, e2bsb",
      "sandboxpools, SandboxPool, sbpool",
      "tradingagents, TradingAgent, tragent",
      "e2bdeployments, E2BDeployment, e2bdeploy"})
  void namesScopeVersionAndStatusSubresource(String plural, String kind, String shortName) throws IOException {
    CustomResourceDefinition crd = crd(plural);
    assertEquals(ApiConstants.GROUP, crd.getSpec().getGroup());
    assertEquals("Namespaced", crd.getSpec().getScope());
    assertEquals(kind, crd.getSpec().getNames().getKind());
    assertEquals(List.of(shortName), crd.getSpec().getNames().getShortNames());
    CustomResourceDefinitionVersion v = version(crd);
    assertEquals(ApiConstants.VERSION, v.getName());
    assertTrue(v.getServed() && v.getStorage());
    assertNotNull(v.getSubresources().getStatus(), kind + " has a status subresource");
  }

  @ParameterizedTest
  @CsvSource({"e2bdeployments", "sandboxpools"})
  void scaleSubresourceUsesTopLevelReplicaPaths(String plural) throws IOException {
    CustomResourceSubresourceScale scale = version(crd(plural)).getSubresources().getScale();
    assertNotNull(scale, plural + " supports kubectl scale");
    assertEquals(".spec.replicas", scale.getSpecReplicasPath());
    assertEquals(".status.replicas", scale.getStatusReplicasPath());
    assertEquals(".status.selector", scale.getLabelSelectorPath());
    assertEquals("string", at(crd(plural), "status.selector").getType());
  }

  @ParameterizedTest
  @CsvSource({"e2bsandboxes", "tradingagents"})
  void noScaleWhereReplicasMeanNothing(String plural) throws IOException {
    assertNull(version(crd(plural)).getSubresources().getScale());
  }

  @ParameterizedTest
  @CsvSource({"e2bsandboxes", "sandboxpools", "tradingagents", "e2bdeployments"})
  void everyPrinterColumnPointsAtARealFieldAndAgeComesLast(String plural) throws IOException {
    CustomResourceDefinition crd = crd(plural);
    var columns = version(crd).getAdditionalPrinterColumns();
    assertTrue(columns.size() >= 4, "useful kubectl get columns");
    var last = columns.get(columns.size() - 1);
    assertEquals("Age", last.getName());
    assertEquals(".metadata.creationTimestamp", last.getJsonPath());
    for (var column : columns.subList(0, columns.size() - 1)) {
      JSONSchemaProps field = at(crd, column.getJsonPath().substring(1));
      String expected = switch (column.getType()) {
        case "date" -> "string";
        default -> column.getType();
      };
      assertEquals(expected, field.getType(), column.getName() + " type matches its field");
    }
  }

  @Test
  void printerColumnsShowWhatUsersAskFor() throws IOException {
    Map<String, List<String>> expected = Map.of(
        "e2bsandboxes", List.of("Phase", "Sandbox", "Health"),
        "sandboxpools", List.of("Desired", "Ready", "Claimed", "Creating", "Schedule"),
        "tradingagents", List.of("Strategy", "Phase", "Runs", "Equity", "PnL"),
        "e2bdeployments", List.of("Desired", "Ready", "Schedule", "Cost/h"));
    for (var e : expected.entrySet()) {
      List<String> names = version(crd(e.getKey())).getAdditionalPrinterColumns().stream()
          .filter(c -> c.getPriority() == null || c.getPriority() == 0).map(c -> c.getName()).toList();
      assertTrue(names.containsAll(e.getValue()), e.getKey() + " shows " + e.getValue() + ", has " + names);
    }
  }

  /** kubectl prints a date column holding a future time as {@code <invalid>}: dates only for past times. */
  @Test
  void dateColumnsHoldOnlyPastTimesAndCountersShowZero() throws IOException {
    for (String plural : List.of("e2bsandboxes", "sandboxpools", "tradingagents", "e2bdeployments")) {
      version(crd(plural)).getAdditionalPrinterColumns().stream().filter(c -> "date".equals(c.getType()))
          .forEach(c -> assertTrue(List.of(".metadata.creationTimestamp", ".status.lastRunAt")
              .contains(c.getJsonPath()), plural + " column " + c.getName() + " is a date of " + c.getJsonPath()));
    }
    assertEquals(0, at(crd("e2bsandboxes"), "status.restarts").getDefault().asInt());
    assertEquals(0, at(crd("tradingagents"), "status.runs").getDefault().asInt());
    assertEquals(0, new io.neuraltrader.e2b.api.v1alpha1.E2BSandboxStatus().getRestarts());
  }

  @Test
  void validationIsInTheSchema() throws IOException {
    CustomResourceDefinition agent = crd("tradingagents");
    assertEquals(java.util.Set.of("momentum", "mean_reversion", "pairs_trading", "arbitrage", "custom"),
        at(agent, "spec.strategy").getEnum().stream().map(n -> n.asText()).collect(Collectors.toSet()));
    assertEquals(ApiConstants.SYMBOL_PATTERN, at(agent, "spec.symbols.[]").getPattern());
    assertEquals(50L, at(agent, "spec.symbols").getMaxItems());
    assertEquals(ApiConstants.SYMBOL_PATTERN, at(agent, "spec.pairs.[].first").getPattern());
    assertEquals(ApiConstants.DURATION_PATTERN, at(agent, "spec.interval").getPattern());
    assertTrue(at(agent, "spec").getRequired().containsAll(List.of("strategy", "sandbox")));
    assertTrue(rules(at(agent, "spec")).contains("self.strategy != 'pairs_trading' || (has(self.pairs)"));
    assertTrue(rules(at(agent, "spec.sandbox")).contains("has(self.poolRef), has(self.sandboxRef)"));
    assertEquals("number", at(agent, "spec.parameters").getAdditionalProperties().getSchema().getType());

    CustomResourceDefinition pool = crd("sandboxpools");
    assertTrue(rules(at(pool, "spec")).contains("self.maxSandboxes >= self.replicas"));
    assertEquals(0.0, at(pool, "spec.replicas").getMinimum());
    assertEquals(ApiConstants.TIME_PATTERN, at(pool, "spec.schedules.[].start").getPattern());
    assertEquals(ApiConstants.TIME_PATTERN, at(pool, "spec.schedules.[].end").getPattern());
    assertTrue(rules(at(pool, "spec.schedules.[]")).contains("overnight"));

    CustomResourceDefinition sandbox = crd("e2bsandboxes");
    assertEquals("code-interpreter-v1", at(sandbox, "spec.template").getDefault().asText());
    assertEquals(300, at(sandbox, "spec.timeoutSeconds").getDefault().asInt());
    assertEquals(ApiConstants.DURATION_PATTERN, at(sandbox, "spec.lifetime").getPattern());
    assertEquals(List.of("Delete", "Pause"),
        at(sandbox, "spec.idleAction").getEnum().stream().map(n -> n.asText()).toList());

    CustomResourceDefinition deploy = crd("e2bdeployments");
    assertTrue(rules(at(deploy, "spec")).contains("self.replicas <= self.scaling.maxReplicas"));
    assertEquals(240.0, at(deploy, "spec.preWarmMinutes").getMaximum());
  }
}
