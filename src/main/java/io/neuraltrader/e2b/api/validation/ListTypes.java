package io.neuraltrader.e2b.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Uniqueness of {@code x-kubernetes-list-type: set} and {@code map} lists in an object, as the API server checks
 * it on every write, with its wording: {@code spec.symbols[2]: Duplicate value: "AAPL"},
 * {@code spec.schedules[1]: Duplicate value: map[string]interface {}{"name":"open"}}.
 */
public final class ListTypes {
  private ListTypes() {}

  /** Every duplicate entry under {@code value}, whose schema is {@code schema}, reported below {@code path}. */
  public static List<String> duplicates(JSONSchemaProps schema, JsonNode value, String path) {
    List<String> errors = new ArrayList<>();
    walk(schema, value, path, errors);
    return errors;
  }

  private static void walk(JSONSchemaProps schema, JsonNode value, String path, List<String> errors) {
    if (schema == null || value == null) {
      return;
    }
    if (value.isArray()) {
      JSONSchemaProps items = schema.getItems() == null ? null : schema.getItems().getSchema();
      String type = schema.getXKubernetesListType();
      if ("set".equals(type)) {
        Set<JsonNode> seen = new HashSet<>();
        for (int i = 0; i < value.size(); i++) {
          if (!seen.add(value.get(i))) {
            errors.add(path + "[" + i + "]: Duplicate value: " + goValue(value.get(i)));
          }
        }
      } else if ("map".equals(type) && schema.getXKubernetesListMapKeys() != null) {
        Set<Map<String, JsonNode>> seen = new HashSet<>();
        for (int i = 0; i < value.size(); i++) {
          Map<String, JsonNode> key = new LinkedHashMap<>();
          for (String k : schema.getXKubernetesListMapKeys()) {
            JsonNode v = value.get(i).get(k);
            if (v != null && !v.isNull()) {
              key.put(k, v);
            }
          }
          if (!seen.add(key)) {
            errors.add(path + "[" + i + "]: Duplicate value: " + goMap(key));
          }
        }
      }
      for (int i = 0; i < value.size(); i++) {
        walk(items, value.get(i), path + "[" + i + "]", errors);
      }
    } else if (value.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JSONSchemaProps child = schema.getProperties() != null && schema.getProperties().containsKey(field.getKey())
            ? schema.getProperties().get(field.getKey())
            : schema.getAdditionalProperties() == null ? null : schema.getAdditionalProperties().getSchema();
        walk(child, field.getValue(), path + "." + field.getKey(), errors);
      }
    }
  }

  /** A scalar as Go's %#v prints it in field errors. */
  private static String goValue(JsonNode v) {
    return v.isTextual() ? CrdRules.goQuote(v.asText()) : v.toString();
  }

  private static String goMap(Map<String, JsonNode> key) {
    List<String> parts = new ArrayList<>();
    key.forEach((k, v) -> parts.add(CrdRules.goQuote(k) + ":" + goValue(v)));
    return "map[string]interface {}{" + String.join(", ", parts) + "}";
  }
}
