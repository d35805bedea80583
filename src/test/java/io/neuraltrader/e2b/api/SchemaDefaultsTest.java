package io.neuraltrader.e2b.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeploymentSpec;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPoolSpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API server applies schema defaults; the in-memory API of local mode and tests does not, so the Java
 * types carry the same defaults. This test keeps the two in step, field by field, at every depth.
 */
class SchemaDefaultsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void javaDefaultsEqualSchemaDefaults() throws Exception {
    Map<String, Class<?>> specs = Map.of(
        "e2bsandboxes.e2b.neuraltrader.io", E2BSandboxSpec.class,
        "sandboxpools.e2b.neuraltrader.io", SandboxPoolSpec.class,
        "tradingagents.e2b.neuraltrader.io", TradingAgentSpec.class,
        "e2bdeployments.e2b.neuraltrader.io", E2BDeploymentSpec.class);
    List<String> mismatches = new ArrayList<>();
    int checked = 0;
    for (var e : specs.entrySet()) {
      JSONSchemaProps spec = CrdFiles.generated(e.getKey()).getSpec().getVersions().get(0).getSchema()
          .getOpenAPIV3Schema().getProperties().get("spec");
      checked += compare(e.getValue(), spec, e.getKey() + ".spec", mismatches);
    }
    assertTrue(checked >= 30, "checked " + checked + " defaults");
    assertEquals(List.of(), mismatches);
  }

  private static int compare(Class<?> type, JSONSchemaProps schema, String path, List<String> mismatches)
      throws Exception {
    if (schema.getProperties() == null || type.isEnum() || type.getName().startsWith("java.")) {
      return 0;
    }
    JsonNode instance = MAPPER.valueToTree(type.getDeclaredConstructor().newInstance());
    int checked = 0;
    for (var p : schema.getProperties().entrySet()) {
      JSONSchemaProps child = p.getValue();
      if (child.getDefault() != null) {
        checked++;
        JsonNode actual = instance.get(p.getKey());
        if (actual == null || !sameValue(child.getDefault(), actual)) {
          mismatches.add(path + "." + p.getKey() + ": schema " + child.getDefault() + ", Java " + actual);
        }
      }
      Field field = findField(type, p.getKey());
      if (field == null) {
        continue;
      }
      Class<?> childType = field.getType();
      JSONSchemaProps childSchema = child;
      if (List.class.isAssignableFrom(childType) && child.getItems() != null) {
        childType = (Class<?>) ((ParameterizedType) field.getGenericType()).getActualTypeArguments()[0];
        childSchema = child.getItems().getSchema();
      }
      if (!childType.getName().startsWith("io.neuraltrader")) {
        continue;
      }
      checked += compare(childType, childSchema, path + "." + p.getKey(), mismatches);
    }
    return checked;
  }

  private static boolean sameValue(JsonNode expected, JsonNode actual) {
    if (expected.isNumber() && actual.isNumber()) {
      return expected.asDouble() == actual.asDouble();
    }
    return expected.equals(actual);
  }

  private static Field findField(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField(name);
      } catch (NoSuchFieldException ignored) {
        // look in the superclass
      }
    }
    return null;
  }
}
