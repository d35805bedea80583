package io.neuraltrader.e2b.local.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiTest {
  private static final String GV = "apis/e2b.neuraltrader.io/v1alpha1";
  private final OpenApi openApi = new OpenApi(Crds.all());

  @Test
  void theRootNamesEveryGroupVersionDocumentByHash() {
    JsonNode paths = openApi.root().path("paths");

    assertTrue(paths.path(GV).path("serverRelativeURL").asText().startsWith("/openapi/v3/" + GV + "?hash="));
    assertTrue(paths.has("api/v1"));
    assertEquals(paths.path(GV), new OpenApi(Crds.all()).root().path("paths").path(GV), "the hash is stable");
  }

  @Test
  void aKindsSchemaIsItsCrdsSchemaWithTypeAndObjectMeta() {
    JsonNode doc = openApi.document(GV).orElseThrow();
    JsonNode schema = doc.path("components").path("schemas").path("io.neuraltrader.e2b.v1alpha1.TradingAgent");

    JsonNode gvk = schema.path("x-kubernetes-group-version-kind").path(0);
    assertEquals("e2b.neuraltrader.io", gvk.path("group").asText());
    assertEquals("v1alpha1", gvk.path("version").asText());
    assertEquals("TradingAgent", gvk.path("kind").asText());
    JsonNode crdSpec = new ObjectMapper().valueToTree(Crds.load("tradingagents").getSpec().getVersions().get(0)
        .getSchema().getOpenAPIV3Schema().getProperties().get("spec"));
    assertEquals(Serialization.jsonMapper().valueToTree(Crds.load("tradingagents").getSpec().getVersions().get(0)
        .getSchema().getOpenAPIV3Schema().getProperties().get("spec")), schema.path("properties").path("spec"));
    assertFalse(crdSpec.isMissingNode());
    assertEquals("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        schema.path("properties").path("metadata").path("allOf").path(0).path("$ref").asText());
    assertEquals("string", schema.path("properties").path("kind").path("type").asText());
    assertTrue(doc.path("components").path("schemas").has("io.neuraltrader.e2b.v1alpha1.TradingAgentList"));
  }

  @Test
  void everyPatchDeclaresFieldValidationSoKubectlLeavesValidationToTheServer() {
    for (String path : List.of(GV, "api/v1")) {
      JsonNode doc = openApi.document(path).orElseThrow();
      int patches = 0;
      for (JsonNode item : doc.path("paths")) {
        JsonNode patch = item.path("patch");
        if (patch.isMissingNode()) {
          continue;
        }
        patches++;
        assertTrue(patch.path("x-kubernetes-group-version-kind").has("kind"), patch.toString());
        List<String> query = new ArrayList<>();
        patch.path("parameters").forEach(p -> {
          if (p.path("in").asText().equals("query")) {
            query.add(p.path("name").asText());
          }
        });
        assertTrue(query.contains("fieldValidation") && query.contains("dryRun"), query.toString());
        JsonNode content = patch.path("requestBody").path("content");
        assertTrue(content.has("application/merge-patch+json") && content.has("application/json-patch+json"));
        assertFalse(content.has("application/strategic-merge-patch+json"), "not served for custom resources");
      }
      assertTrue(patches >= 4, path + ": " + patches);
    }
  }

  @Test
  void everyReferenceResolvesInItsDocument() {
    for (String path : List.of(GV, "api/v1")) {
      JsonNode doc = openApi.document(path).orElseThrow();
      List<String> refs = Crds.refs(doc);
      assertFalse(refs.isEmpty());
      for (String ref : refs) {
        String name = ref.substring("#/components/schemas/".length());
        assertTrue(doc.path("components").path("schemas").has(name), path + ": unresolved " + ref);
      }
    }
  }

  @Test
  void theCoreDocumentDescribesTheBuiltInKinds() {
    JsonNode schemas = openApi.document("api/v1").orElseThrow().path("components").path("schemas");

    assertEquals("ConfigMap", schemas.path("io.k8s.api.core.v1.ConfigMap").path("x-kubernetes-group-version-kind")
        .path(0).path("kind").asText());
    assertEquals("", schemas.path("io.k8s.api.core.v1.ConfigMap").path("x-kubernetes-group-version-kind")
        .path(0).path("group").asText());
    assertTrue(schemas.path("io.k8s.api.core.v1.Secret").path("properties").has("stringData"));
    assertTrue(openApi.document("apis/nope/v1").isEmpty());
  }

}
