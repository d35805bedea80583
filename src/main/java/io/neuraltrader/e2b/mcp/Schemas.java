package io.neuraltrader.e2b.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON Schema fragments of the tool inputs. */
final class Schemas {
  private Schemas() {}

  static Map<String, Object> object(List<String> required, Object... namesAndSchemas) {
    Map<String, Object> props = new LinkedHashMap<>();
    for (int i = 0; i < namesAndSchemas.length; i += 2) {
      props.put((String) namesAndSchemas[i], namesAndSchemas[i + 1]);
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", props);
    if (!required.isEmpty()) {
      schema.put("required", required);
    }
    schema.put("additionalProperties", false);
    return schema;
  }

  static Map<String, Object> string(String description) {
    return Map.of("type", "string", "description", description);
  }

  static Map<String, Object> enumeration(String description, List<String> values) {
    return Map.of("type", "string", "description", description, "enum", values);
  }

  static Map<String, Object> integer(String description, int min, int max) {
    return Map.of("type", "integer", "description", description, "minimum", min, "maximum", max);
  }

  static Map<String, Object> number(String description) {
    return Map.of("type", "number", "description", description);
  }

  static Map<String, Object> bool(String description) {
    return Map.of("type", "boolean", "description", description);
  }

  static Map<String, Object> strings(String description) {
    return Map.of("type", "array", "description", description, "items", Map.of("type", "string"));
  }

  static Map<String, Object> stringMap(String description) {
    return Map.of("type", "object", "description", description, "additionalProperties", Map.of("type", "string"));
  }

  static Map<String, Object> numberMap(String description) {
    return Map.of("type", "object", "description", description, "additionalProperties", Map.of("type", "number"));
  }

  static Map<String, Object> anyObject(String description) {
    return Map.of("type", "object", "description", description);
  }

  static Map<String, Object> namespace() {
    return string("Kubernetes namespace; default: the token's only namespace, else the kubeconfig's or 'default'");
  }
}
