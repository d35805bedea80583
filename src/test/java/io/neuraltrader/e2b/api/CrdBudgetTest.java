package io.neuraltrader.e2b.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.neuraltrader.e2b.api.validation.CrdRules;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a real API server checks at CRD create, and the bounds that keep the CEL cost in its budget. */
class CrdBudgetTest {
  private static final List<Path> COPIES = List.of(Path.of("crds"), Path.of("helm/e2b-operator/crds"),
      Path.of("deploy/crds"));

  @Test
  void everyShippedCrdIsAcceptedByARealApiServer() throws IOException {
    for (Path dir : COPIES) {
      for (String name : CrdFiles.NAMES) {
        Path file = CrdFiles.file(dir, name);
        assertEquals(List.of(), CrdRules.violations(CrdFiles.read(file)), file.toString());
      }
    }
  }

  /** Room for more rules: each CRD's estimated total stays under a tenth of the server's budget. */
  @Test
  void theEstimatedCostLeavesRoom() throws IOException {
    for (String name : CrdFiles.NAMES) {
      long total = CrdRules.totalCost(CrdFiles.read(CrdFiles.file(Path.of("crds"), name)));
      assertTrue(total < CrdRules.CRD_COST_LIMIT / 10, name + " costs " + total);
    }
  }

  /** Every string, list and map has a bound, so what anyone can write is bounded, not only what CEL walks. */
  @Test
  void everyStringListAndMapIsBounded() throws IOException {
    List<String> unbounded = new ArrayList<>();
    for (String name : CrdFiles.NAMES) {
      CustomResourceDefinition crd = CrdFiles.read(CrdFiles.file(Path.of("crds"), name));
      Map<String, JSONSchemaProps> top = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()
          .getProperties();
      collectUnbounded(name + ".spec", top.get("spec"), unbounded);
      collectUnbounded(name + ".status", top.get("status"), unbounded);
    }
    assertEquals(List.of(), unbounded);
  }

  private static void collectUnbounded(String path, JSONSchemaProps s, List<String> out) {
    switch (s.getType() == null ? "" : s.getType()) {
      case "string" -> {
        if (s.getMaxLength() == null && (s.getEnum() == null || s.getEnum().isEmpty())) {
          out.add(path);
        }
      }
      case "array" -> {
        if (s.getMaxItems() == null) {
          out.add(path);
        }
        collectUnbounded(path + "[]", s.getItems().getSchema(), out);
      }
      case "object" -> {
        if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
          if (s.getMaxProperties() == null) {
            out.add(path);
          }
          collectUnbounded(path + "{}", s.getAdditionalProperties().getSchema(), out);
        }
        for (Map.Entry<String, JSONSchemaProps> e : s.getProperties().entrySet()) {
          collectUnbounded(path + "." + e.getKey(), e.getValue(), out);
        }
      }
      default -> { }
    }
  }

  @Test
  void namedListsAreListMapsAndSymbolListsAreSets() throws IOException {
    JSONSchemaProps deployment = CrdFiles.read(CrdFiles.file(Path.of("crds"), "e2bdeployments.e2b.neuraltrader.io"))
        .getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    JSONSchemaProps schedules = deployment.getProperties().get("schedules");
    assertEquals("map", schedules.getXKubernetesListType());
    assertEquals(List.of("name"), schedules.getXKubernetesListMapKeys());
    assertTrue(schedules.getItems().getSchema().getRequired().contains("name"));
    assertEquals("set", deployment.getProperties().get("sharding").getProperties().get("symbols")
        .getXKubernetesListType());
    JSONSchemaProps env = deployment.getProperties().get("template").getProperties().get("spec").getProperties()
        .get("sandbox").getProperties().get("template").getProperties().get("envVars");
    assertEquals("map", env.getXKubernetesListType());
    assertEquals(List.of("name"), env.getXKubernetesListMapKeys());
  }
}
