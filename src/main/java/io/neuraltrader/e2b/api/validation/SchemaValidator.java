package io.neuraltrader.e2b.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Checks an object against its CRD's structural schema the way the Kubernetes API server (v1.32) does on
 * create and update: unknown fields are pruned (and reported, for strict field validation), nulls of
 * non-nullable fields dropped, defaults applied, then types, required fields, bounds, patterns (RE2, as on the
 * server), enums and, when none of those found a blocking error, the CEL rules. Errors carry the server's
 * field paths and wording ({@code spec.replicas: Invalid value: -5: spec.replicas in body should be greater
 * than or equal to 0}), so the in-memory API of local mode and the tests answer as a cluster would.
 */
public final class SchemaValidator {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Map<String, SchemaValidator> BY_RESOURCE = new ConcurrentHashMap<>();
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
  /** The message of the cause the server adds when blocking errors kept it from running the CEL rules. */
  static final String CEL_SKIPPED = "some validation rules were not checked because the object was invalid; "
      + "correct the existing errors to complete validation";

  /** Every object has these; the server checks them itself, whatever the schema says. */
  private static final java.util.Set<String> ROOT_FIELDS = java.util.Set.of("apiVersion", "kind", "metadata");

  private final JSONSchemaProps root;

  public SchemaValidator(CustomResourceDefinition crd) {
    this(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema());
  }

  public SchemaValidator(JSONSchemaProps root) {
    this.root = root;
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

  /** The kinds of field error, with the API's cause type ({@code details.causes[].reason}) and wording. */
  public enum ErrorType {
    REQUIRED("FieldValueRequired", "Required value"),
    INVALID("FieldValueInvalid", "Invalid value"),
    TYPE_INVALID("FieldValueTypeInvalid", "Invalid value"),
    NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
    FORBIDDEN("FieldValueForbidden", "Forbidden"),
    DUPLICATE("FieldValueDuplicate", "Duplicate value"),
    TOO_LONG("FieldValueTooLong", "Too long"),
    TOO_MANY("FieldValueTooMany", "Too many");

    private final String cause;
    private final String text;

    ErrorType(String cause, String text) {
      this.cause = cause;
      this.text = text;
    }

    public String cause() {
      return cause;
    }

    public String text() {
      return text;
    }
  }

  /** No value shown (the server's {@code omitValue}). */
  private static final Object OMIT = new Object();

  /**
   * One field error, as k8s.io/apimachinery's {@code field.Error}: {@link #message()} is its Error() and
   * {@link #body()} its ErrorBody() (the cause message of a Status).
   *
   * @param badValue a String, Long, Double, Boolean, JsonNode or null
   */
  public record FieldError(ErrorType type, String field, Object badValue, String detail) {
    public static FieldError invalid(String field, Object value, String detail) {
      return new FieldError(ErrorType.INVALID, field, value, detail);
    }

    public String body() {
      String s;
      if (type == ErrorType.REQUIRED || type == ErrorType.FORBIDDEN || type == ErrorType.TOO_LONG
          || badValue == OMIT) {
        s = type.text;
      } else {
        s = type.text + ": " + render(badValue);
      }
      return detail == null || detail.isEmpty() ? s : s + ": " + detail;
    }

    public String message() {
      return field + ": " + body();
    }

    @Override
    public String toString() {
      return message();
    }
  }

  /**
   * Outcome of a validation: the object as the server would store it (pruned, defaulted), the errors found and
   * the unknown fields that were pruned (a strict-field-validation request fails on them).
   */
  public record Result(JsonNode defaulted, List<FieldError> causes, List<String> unknownFields) {
    public boolean valid() {
      return causes.isEmpty() && unknownFields.isEmpty();
    }

    /** Every violation, in the server's wording (strict decoding errors included). */
    public List<String> errors() {
      List<String> all = new ArrayList<>();
      if (!unknownFields.isEmpty()) {
        all.add(strictDecodingError(unknownFields));
      }
      causes.forEach(c -> all.add(c.message()));
      return all;
    }

    /** The aggregate of the field errors as in the server's message: one, or {@code [a, b]}. */
    public String aggregate() {
      return SchemaValidator.aggregate(causes);
    }

    @Override
    public String toString() {
      return valid() ? "valid" : String.join("; ", errors());
    }
  }

  /** {@code strict decoding error: unknown field "spec.a", unknown field "spec.b"}. */
  public static String strictDecodingError(List<String> unknownFields) {
    return "strict decoding error: " + unknownFields.stream().map(f -> "unknown field " + quote(f))
        .collect(Collectors.joining(", "));
  }

  /** apimachinery's aggregate of field errors: duplicates dropped, one as is, several in brackets. */
  public static String aggregate(List<FieldError> errors) {
    LinkedHashSet<String> messages = new LinkedHashSet<>();
    errors.forEach(e -> messages.add(e.message()));
    if (messages.size() == 1) {
      return messages.iterator().next();
    }
    return "[" + String.join(", ", messages) + "]";
  }

  /** Validates a whole custom resource (metadata is the API server's own business, see the admission). */
  public Result validate(Object resource) {
    return validate(resource, defaulted -> List.of());
  }

  /**
   * Validates a whole custom resource; {@code before} adds the checks the server makes ahead of the schema's
   * (object metadata) and with it (scale paths), given the pruned and defaulted object.
   */
  public Result validate(Object resource, java.util.function.Function<JsonNode, List<FieldError>> before) {
    return validate(resource, null, before);
  }

  /**
   * Validates an update of {@code old} (null for a create). As on the server (CRD validation ratcheting, on by
   * default since v1.30), a value equal to the one it replaces is not validated again, so an object stored
   * under a looser schema can still be updated elsewhere (its status, say) after the schema tightened.
   */
  public Result validate(Object resource, Object old,
      java.util.function.Function<JsonNode, List<FieldError>> before) {
    ObjectNode copy = MAPPER.valueToTree(resource);
    JsonNode previous = old == null ? null : MAPPER.valueToTree(old);
    List<String> unknown = new ArrayList<>();
    prune(copy, root, "", unknown, true);
    applyDefaults(copy, root);
    List<FieldError> errors = new ArrayList<>();
    check(copy, previous, root, "", errors, true);
    errors.addAll(before.apply(copy));
    errors.addAll(listDuplicates(copy));
    if (errors.stream().anyMatch(SchemaValidator::blocksCel)) {
      errors.add(FieldError.invalid("<nil>", null, CEL_SKIPPED));
    } else {
      celRules(copy, previous, root, "", errors, true);
    }
    return new Result(copy, errors, unknown);
  }

  /** Entries repeated in x-kubernetes-list-type set and map lists (checked after the schema, before CEL). */
  private List<FieldError> listDuplicates(ObjectNode object) {
    List<FieldError> errors = new ArrayList<>();
    String marker = ": " + ErrorType.DUPLICATE.text() + ": ";
    for (String field : List.of("spec", "status")) {
      JSONSchemaProps schema = root.getProperties() == null ? null : root.getProperties().get(field);
      if (schema == null || !object.has(field)) {
        continue;
      }
      for (String d : ListTypes.duplicates(schema, object.get(field), field)) {
        int at = d.indexOf(marker);
        errors.add(new FieldError(ErrorType.DUPLICATE, d.substring(0, at),
            new Verbatim(d.substring(at + marker.length())), ""));
      }
    }
    return errors;
  }

  /** Errors after which the server does not run the CEL rules (their input would not be well-typed). */
  private static boolean blocksCel(FieldError e) {
    return switch (e.type()) {
      case NOT_SUPPORTED, REQUIRED, TOO_LONG, TOO_MANY, TYPE_INVALID -> true;
      default -> false;
    };
  }

  private static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Removes fields the schema does not declare and nulls of non-nullable fields, as the server's decoder. */
  private static void prune(JsonNode node, JSONSchemaProps schema, String path, List<String> unknown,
      boolean atRoot) {
    if (schema == null || Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
      return;
    }
    if (node instanceof ObjectNode object) {
      JSONSchemaProps additional = schema.getAdditionalProperties() == null
          ? null : schema.getAdditionalProperties().getSchema();
      boolean declaresFields = schema.getProperties() != null && !schema.getProperties().isEmpty();
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String key = field.getKey();
        if (atRoot && ROOT_FIELDS.contains(key)) {
          continue;
        }
        JSONSchemaProps childSchema = schema.getProperties() == null ? null : schema.getProperties().get(key);
        if (childSchema == null && additional != null) {
          childSchema = additional;
        }
        if (childSchema == null) {
          if (declaresFields || additional == null) {
            unknown.add(child(path, key));
            fields.remove();
          }
          continue;
        }
        if (field.getValue().isNull() && !Boolean.TRUE.equals(childSchema.getNullable())) {
          fields.remove();
          continue;
        }
        prune(field.getValue(), childSchema, child(path, key), unknown, false);
      }
    } else if (node instanceof ArrayNode array && schema.getItems() != null
        && schema.getItems().getSchema() != null) {
      for (int i = 0; i < array.size(); i++) {
        prune(array.get(i), schema.getItems().getSchema(), path + "[" + i + "]", unknown, false);
      }
    }
  }

  private static void applyDefaults(JsonNode node, JSONSchemaProps schema) {
    if (node instanceof ObjectNode object) {
      if (schema.getProperties() != null) {
        for (Map.Entry<String, JSONSchemaProps> p : schema.getProperties().entrySet()) {
          if (!object.has(p.getKey()) && p.getValue().getDefault() != null) {
            object.set(p.getKey(), p.getValue().getDefault().deepCopy());
          }
        }
      }
      JSONSchemaProps additional = schema.getAdditionalProperties() == null
          ? null : schema.getAdditionalProperties().getSchema();
      object.fields().forEachRemaining(f -> {
        JSONSchemaProps child = schema.getProperties() == null ? null : schema.getProperties().get(f.getKey());
        JSONSchemaProps s = child != null ? child : additional;
        if (s != null) {
          applyDefaults(f.getValue(), s);
        }
      });
    } else if (node instanceof ArrayNode array && schema.getItems() != null
        && schema.getItems().getSchema() != null) {
      array.forEach(item -> applyDefaults(item, schema.getItems().getSchema()));
    }
  }

  /** The old value correlated with a child: objects and maps by key; list items are not correlated. */
  private static JsonNode oldChild(JsonNode old, String key) {
    return old == null || !old.isObject() ? null : old.get(key);
  }

  private void check(JsonNode node, JsonNode old, JSONSchemaProps schema, String path, List<FieldError> errors,
      boolean atRoot) {
    if (!atRoot && node.equals(old)) {
      return;
    }
    if (node.isNull()) {
      if (!Boolean.TRUE.equals(schema.getNullable()) && schema.getType() != null) {
        errors.add(typeError(path, schema.getType(), "null"));
      }
      return;
    }
    checkType(node, schema, path, errors);
    if (node.isTextual()) {
      checkString(node.asText(), schema, path, errors);
    }
    if (node.isNumber()) {
      checkNumber(node, schema, path, errors);
    }
    if (node.isArray()) {
      checkArray(node, schema, path, errors);
    }
    if (schema.getEnum() != null && !schema.getEnum().isEmpty() && !enumContains(schema.getEnum(), node)) {
      List<String> allowed = new ArrayList<>();
      schema.getEnum().forEach(e -> allowed.add(e.isTextual() ? e.asText() : e.toString()));
      String supported = allowed.stream().map(SchemaValidator::quote).collect(Collectors.joining(", "));
      errors.add(new FieldError(ErrorType.NOT_SUPPORTED, path, value(node), "supported values: " + supported));
    }
    if (node.isObject()) {
      checkObject(node, old, schema, path, errors, atRoot);
    }
  }

  private static boolean enumContains(List<JsonNode> values, JsonNode node) {
    for (JsonNode v : values) {
      if (v.equals(node) || (v.isNumber() && node.isNumber() && v.asDouble() == node.asDouble())) {
        return true;
      }
    }
    return false;
  }

  /** kube-openapi's name of a value's type. */
  private static String typeOf(JsonNode node) {
    if (node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    if (node.isIntegralNumber()) {
      return "integer";
    }
    if (node.isNumber()) {
      return "number";
    }
    return node.isArray() ? "array" : "object";
  }

  private static FieldError typeError(String path, String expected, String actual) {
    return new FieldError(ErrorType.TYPE_INVALID, path, actual,
        path + " in body must be of type " + expected + ": " + quote(actual));
  }

  private static void checkType(JsonNode node, JSONSchemaProps schema, String path, List<FieldError> errors) {
    if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
      if (!node.isTextual() && !node.isIntegralNumber()) {
        errors.add(typeError(path, "integer,string", typeOf(node)));
      }
      return;
    }
    if (schema.getType() == null) {
      return;
    }
    boolean ok = switch (schema.getType()) {
      case "object" -> node.isObject();
      case "array" -> node.isArray();
      case "string" -> node.isTextual();
      case "integer" -> node.isIntegralNumber() || (node.isNumber() && node.asDouble() == Math.rint(node.asDouble()));
      case "number" -> node.isNumber();
      case "boolean" -> node.isBoolean();
      default -> true;
    };
    if (!ok) {
      errors.add(typeError(path, schema.getType(), typeOf(node)));
    }
  }

  private static void checkString(String text, JSONSchemaProps schema, String path, List<FieldError> errors) {
    int length = text.codePointCount(0, text.length());
    if (schema.getMaxLength() != null && length > schema.getMaxLength()) {
      errors.add(new FieldError(ErrorType.TOO_LONG, path, text, "may not be more than " + schema.getMaxLength()
          + (schema.getMaxLength() == 1 ? " byte" : " bytes")));
    }
    if (schema.getMinLength() != null && length < schema.getMinLength()) {
      errors.add(FieldError.invalid(path, text,
          path + " in body should be at least " + schema.getMinLength() + " chars long"));
    }
    if (schema.getPattern() != null) {
      Pattern compiled;
      try {
        compiled = pattern(schema.getPattern());
      } catch (com.google.re2j.PatternSyntaxException e) {
        // A server refuses such a CRD (CrdRules); should one be served anyway, nothing passes the pattern.
        errors.add(FieldError.invalid(path, text, path + " in body should match '" + schema.getPattern()
            + "', but pattern is invalid: " + e.getMessage()));
        return;
      }
      if (!compiled.matcher(text).find()) {
        errors.add(FieldError.invalid(path, text, path + " in body should match '" + schema.getPattern() + "'"));
      }
    }
  }

  /** The compiled RE2 pattern; a pattern RE2 cannot compile is refused with the CRD itself (see CrdRules). */
  static Pattern pattern(String regex) {
    return PATTERNS.computeIfAbsent(regex, Pattern::compile);
  }

  private static void checkNumber(JsonNode node, JSONSchemaProps schema, String path, List<FieldError> errors) {
    double value = node.asDouble();
    if (schema.getMinimum() != null) {
      boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMinimum());
      if (exclusive ? value <= schema.getMinimum() : value < schema.getMinimum()) {
        errors.add(FieldError.invalid(path, value(node), path + " in body should be greater than "
            + (exclusive ? "" : "or equal to ") + goNumber(schema.getMinimum())));
      }
    }
    if (schema.getMaximum() != null) {
      boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMaximum());
      if (exclusive ? value >= schema.getMaximum() : value > schema.getMaximum()) {
        errors.add(FieldError.invalid(path, value(node), path + " in body should be less than "
            + (exclusive ? "" : "or equal to ") + goNumber(schema.getMaximum())));
      }
    }
  }

  private void checkArray(JsonNode node, JSONSchemaProps schema, String path, List<FieldError> errors) {
    long size = node.size();
    if (schema.getMinItems() != null && size < schema.getMinItems()) {
      errors.add(FieldError.invalid(path, size, path + " in body should have at least " + schema.getMinItems()
          + " items"));
    }
    if (schema.getMaxItems() != null && size > schema.getMaxItems()) {
      errors.add(new FieldError(ErrorType.TOO_MANY, path, size, "must have at most " + schema.getMaxItems()
          + " items"));
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      for (int i = 0; i < node.size(); i++) {
        check(node.get(i), null, schema.getItems().getSchema(), path + "[" + i + "]", errors, false);
      }
    }
  }

  private void checkObject(JsonNode node, JsonNode old, JSONSchemaProps schema, String path,
      List<FieldError> errors, boolean atRoot) {
    JSONSchemaProps additional = schema.getAdditionalProperties() == null
        ? null : schema.getAdditionalProperties().getSchema();
    if (schema.getMaxProperties() != null && node.size() > schema.getMaxProperties()) {
      errors.add(new FieldError(ErrorType.TOO_MANY, path, (long) node.size(), "must have at most "
          + schema.getMaxProperties() + " items"));
    }
    if (schema.getMinProperties() != null && node.size() < schema.getMinProperties()) {
      errors.add(FieldError.invalid(path, (long) node.size(), path + " in body should have at least "
          + schema.getMinProperties() + " properties"));
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (atRoot && ROOT_FIELDS.contains(field.getKey())) {
        continue;
      }
      JSONSchemaProps child = schema.getProperties() == null ? null : schema.getProperties().get(field.getKey());
      if (child == null) {
        child = additional;
      }
      if (child != null) {
        check(field.getValue(), oldChild(old, field.getKey()), child, child(path, field.getKey()), errors, false);
      }
    }
    if (schema.getRequired() != null) {
      for (String required : schema.getRequired()) {
        if (!node.has(required)) {
          errors.add(new FieldError(ErrorType.REQUIRED, child(path, required), "", ""));
        }
      }
    }
  }

  /** Runs every x-kubernetes-validations rule of the schema tree over the (structurally valid) object. */
  private void celRules(JsonNode node, JsonNode old, JSONSchemaProps schema, String path,
      List<FieldError> errors, boolean atRoot) {
    if (schema == null || node.isNull() || node.equals(old)) {
      return;
    }
    if (schema.getXKubernetesValidations() != null && !schema.getXKubernetesValidations().isEmpty()) {
      Object self = toCel(node, schema);
      String type = schema.getType() == null ? typeOf(node) : schema.getType();
      for (ValidationRule rule : schema.getXKubernetesValidations()) {
        String failure = CelRules.check(rule.getRule(), self);
        if (failure != null) {
          boolean hasMessage = rule.getMessage() != null && !rule.getMessage().isBlank();
          String ruleText = hasMessage ? rule.getMessage().trim() : rule.getRule().trim();
          String message = failure.isEmpty()
              ? (hasMessage ? ruleText : "failed rule: " + ruleText)
              : failure + " evaluating rule: " + ruleText;
          errors.add(FieldError.invalid(path.isEmpty() ? "<nil>" : path, type, message));
        }
      }
    }
    if (node.isObject()) {
      JSONSchemaProps additional = schema.getAdditionalProperties() == null
          ? null : schema.getAdditionalProperties().getSchema();
      node.fields().forEachRemaining(f -> {
        if (atRoot && ROOT_FIELDS.contains(f.getKey())) {
          return;
        }
        JSONSchemaProps child = schema.getProperties() == null ? null : schema.getProperties().get(f.getKey());
        if (child != null) {
          celRules(f.getValue(), oldChild(old, f.getKey()), child, child(path, f.getKey()), errors, false);
        } else if (additional != null) {
          // The CEL validator names map entries by key: spec.parameters[period].
          celRules(f.getValue(), oldChild(old, f.getKey()), additional, path + "[" + f.getKey() + "]", errors,
              false);
        }
      });
    } else if (node.isArray() && schema.getItems() != null) {
      for (int i = 0; i < node.size(); i++) {
        celRules(node.get(i), null, schema.getItems().getSchema(), path + "[" + i + "]", errors, false);
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

  /** A JSON scalar as the Go value the server holds (int64, float64, string, bool). */
  private static Object value(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node;
  }

  /** A bad value the server prints as is (Go's %#v of a type without a simpler form, e.g. uint64 0x0). */
  public record Verbatim(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  /** Go's rendering of a bad value in a field error: strings quoted, numbers as %v, null as "null". */
  static String render(Object value) {
    if (value == null) {
      return quote("null");
    }
    if (value instanceof String s) {
      return quote(s);
    }
    if (value instanceof Double d) {
      return goNumber(d);
    }
    if (value instanceof Float f) {
      return goNumber(f.doubleValue());
    }
    return value.toString();
  }

  /** Go's %v of a float64: no trailing .0, exponent form for very large or small magnitudes. */
  static String goNumber(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e21) {
      return Long.toString((long) value);
    }
    double abs = Math.abs(value);
    if (abs != 0 && (abs < 1e-4 || abs >= 1e21)) {
      String s = String.format(java.util.Locale.ROOT, "%e", value);
      // Shortest mantissa, two-digit signed exponent: 1.5e-07.
      String mantissa = s.substring(0, s.indexOf('e')).replaceAll("0+$", "").replaceAll("\\.$", "");
      int exponent = Integer.parseInt(s.substring(s.indexOf('e') + 1));
      return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
    return Double.toString(value);
  }

  /** Go's %q of a string. */
  public static String quote(String text) {
    return CrdRules.goQuote(text);
  }
}
