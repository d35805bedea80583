package io.neuraltrader.e2b.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks an object against its CRD's structural schema the way the Kubernetes API server does on create and
 * update: defaults first, then types, required fields, bounds, patterns, enums, unknown fields (strict field
 * validation) and the CEL rules. The in-memory API of local mode and the test suite have no API server to do
 * this, so they use this class to reject what a cluster would reject, with comparable messages.
 */
public final class SchemaValidator {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Map<String, SchemaValidator> BY_RESOURCE = new ConcurrentHashMap<>();
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private final JSONSchemaProps root;

  public SchemaValidator(CustomResourceDefinition crd) {
    this.root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  /** The validator of a CRD generated into the classpath, e.g. {@code e2bsandboxes.e2b.neuraltrader.io}. */
  public static SchemaValidator forCrd(String crdName) {
    return BY_RESOURCE.computeIfAbsent(crdName, name -> {
      String path = "META-INF/fabric8/" + name + "-v1.yml";
      try (InputStream in = SchemaValidator.class.getClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalArgumentException("no CRD on the classpath at " + path);
        }
        return new SchemaValidator(Serialization.unmarshal(in, CustomResourceDefinition.class));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Outcome of a validation: the defaulted object and every violation found. */
  public record Result(JsonNode defaulted, List<String> errors) {
    public boolean valid() {
      return errors.isEmpty();
    }

    @Override
    public String toString() {
      return valid() ? "valid" : String.join("; ", errors);
    }
  }

  /** Validates a whole custom resource (apiVersion, kind and metadata are the API server's business). */
  public Result validate(Object resource) {
    ObjectNode copy = MAPPER.valueToTree(resource);
    List<String> errors = new ArrayList<>();
    for (String field : List.of("spec", "status")) {
      JSONSchemaProps schema = root.getProperties() == null ? null : root.getProperties().get(field);
      JsonNode node = copy.get(field);
      if (schema == null || node == null || node.isNull()) {
        continue;
      }
      applyDefaults(node, schema);
      check(node, schema, field, errors);
    }
    return new Result(copy, errors);
  }

  private static void applyDefaults(JsonNode node, JSONSchemaProps schema) {
    if (node instanceof ObjectNode object && schema.getProperties() != null) {
      for (Map.Entry<String, JSONSchemaProps> p : schema.getProperties().entrySet()) {
        if (!object.has(p.getKey()) && p.getValue().getDefault() != null) {
          object.set(p.getKey(), p.getValue().getDefault().deepCopy());
        }
        JsonNode child = object.get(p.getKey());
        if (child != null) {
          applyDefaults(child, p.getValue());
        }
      }
    } else if (node instanceof ArrayNode array && schema.getItems() != null
        && schema.getItems().getSchema() != null) {
      array.forEach(item -> applyDefaults(item, schema.getItems().getSchema()));
    }
  }

  private void check(JsonNode node, JSONSchemaProps schema, String path, List<String> errors) {
    int before = errors.size();
    if (node.isNull()) {
      if (!Boolean.TRUE.equals(schema.getNullable())) {
        errors.add(path + ": must not be null");
      }
      return;
    }
    if (!checkType(node, schema, path, errors)) {
      return;
    }
    checkScalar(node, schema, path, errors);
    if (node.isObject()) {
      checkObject(node, schema, path, errors);
    } else if (node.isArray()) {
      checkArray(node, schema, path, errors);
    }
    // Like the API server, CEL rules run only on values that passed the structural checks.
    if (errors.size() == before && schema.getXKubernetesValidations() != null) {
      Object self = toCel(node, schema);
      for (ValidationRule rule : schema.getXKubernetesValidations()) {
        if (!CelRules.holds(rule.getRule(), self)) {
          String message = rule.getMessage() != null ? rule.getMessage() : "failed rule: " + rule.getRule();
          errors.add(path + ": " + message);
        }
      }
    }
  }

  private static boolean checkType(JsonNode node, JSONSchemaProps schema, String path, List<String> errors) {
    if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString()) || schema.getType() == null) {
      return true;
    }
    boolean ok = switch (schema.getType()) {
      case "object" -> node.isObject();
      case "array" -> node.isArray();
      case "string" -> node.isTextual();
      case "integer" -> node.isIntegralNumber();
      case "number" -> node.isNumber();
      case "boolean" -> node.isBoolean();
      default -> true;
    };
    if (!ok) {
      errors.add(path + ": must be of type " + schema.getType() + " (got " + describe(node) + ")");
    }
    return ok;
  }

  private static void checkScalar(JsonNode node, JSONSchemaProps schema, String path, List<String> errors) {
    if (schema.getEnum() != null && !schema.getEnum().isEmpty() && !schema.getEnum().contains(node)) {
      List<String> allowed = new ArrayList<>();
      schema.getEnum().forEach(e -> allowed.add(e.asText()));
      errors.add(path + ": unsupported value " + node + ", allowed: " + String.join(", ", allowed));
    }
    if (node.isTextual()) {
      String text = node.asText();
      if (schema.getPattern() != null
          && !PATTERNS.computeIfAbsent(schema.getPattern(), Pattern::compile).matcher(text).find()) {
        errors.add(path + ": " + quote(text) + " does not match " + schema.getPattern());
      }
      if (schema.getMaxLength() != null && text.length() > schema.getMaxLength()) {
        errors.add(path + ": longer than " + schema.getMaxLength() + " characters");
      }
      if (schema.getMinLength() != null && text.length() < schema.getMinLength()) {
        errors.add(path + ": shorter than " + schema.getMinLength() + " characters");
      }
    }
    if (node.isNumber()) {
      double value = node.asDouble();
      if (schema.getMinimum() != null && value < schema.getMinimum()) {
        errors.add(path + ": must be >= " + trim(schema.getMinimum()) + " (got " + node + ")");
      }
      if (schema.getMaximum() != null && value > schema.getMaximum()) {
        errors.add(path + ": must be <= " + trim(schema.getMaximum()) + " (got " + node + ")");
      }
    }
  }

  private void checkObject(JsonNode node, JSONSchemaProps schema, String path, List<String> errors) {
    if (schema.getRequired() != null) {
      for (String required : schema.getRequired()) {
        if (!node.has(required) || node.get(required).isNull()) {
          errors.add(path + "." + required + ": Required value");
        }
      }
    }
    boolean preserve = Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields());
    JSONSchemaProps additional = schema.getAdditionalProperties() == null
        ? null : schema.getAdditionalProperties().getSchema();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String childPath = path + "." + field.getKey();
      JSONSchemaProps child = schema.getProperties() == null ? null : schema.getProperties().get(field.getKey());
      if (child != null) {
        check(field.getValue(), child, childPath, errors);
      } else if (additional != null) {
        check(field.getValue(), additional, path + "[" + field.getKey() + "]", errors);
      } else if (!preserve && schema.getProperties() != null) {
        errors.add(childPath + ": unknown field");
      }
    }
  }

  private void checkArray(JsonNode node, JSONSchemaProps schema, String path, List<String> errors) {
    if (schema.getMaxItems() != null && node.size() > schema.getMaxItems()) {
      errors.add(path + ": more than " + schema.getMaxItems() + " items");
    }
    if (schema.getMinItems() != null && node.size() < schema.getMinItems()) {
      errors.add(path + ": fewer than " + schema.getMinItems() + " items");
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      for (int i = 0; i < node.size(); i++) {
        check(node.get(i), schema.getItems().getSchema(), path + "[" + i + "]", errors);
      }
    }
  }

  /** JSON to the values CEL sees: maps, lists, int64 for integers and double for numbers. */
  private static Object toCel(JsonNode node, JSONSchemaProps schema) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(f -> {
        JSONSchemaProps child = schema == null ? null : childSchema(schema, f.getKey());
        map.put(f.getKey(), toCel(f.getValue(), child));
      });
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      JSONSchemaProps items = schema == null || schema.getItems() == null ? null : schema.getItems().getSchema();
      node.forEach(item -> list.add(toCel(item, items)));
      return list;
    }
    if (node.isIntegralNumber() && (schema == null || !"number".equals(schema.getType()))) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }

  private static JSONSchemaProps childSchema(JSONSchemaProps schema, String key) {
    if (schema.getProperties() != null && schema.getProperties().containsKey(key)) {
      return schema.getProperties().get(key);
    }
    return schema.getAdditionalProperties() == null ? null : schema.getAdditionalProperties().getSchema();
  }

  private static String describe(JsonNode node) {
    if (node.isTextual()) {
      return "string " + quote(node.asText());
    }
    return node.getNodeType().name().toLowerCase() + " " + node;
  }

  private static String quote(String text) {
    String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
    return "\"" + shown.replace("\"", "\\\"") + "\"";
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
