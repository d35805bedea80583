package io.neuraltrader.e2b.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * OpenAPI v2 ({@code /openapi/v2}): the definitions of every kind, what older kubectl (before OpenAPI v3,
 * e.g. Debian's 1.20) reads for {@code explain} and client-side validation. The schemas are the v3 ones
 * converted as the API server converts a CRD's schema for v2 (no nullable, anyOf, oneOf, not; no properties
 * under x-kubernetes-preserve-unknown-fields; no type for int-or-string), served as JSON or, as kubectl asks
 * for it, in the protobuf encoding of gnostic's {@code openapi.v2.Document}.
 */
public final class OpenApiV2 {
  public static final String PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String V3_REF = "#/components/schemas/";
  private static final String V2_REF = "#/definitions/";
  private static final Set<String> DROPPED = Set.of("nullable", "anyOf", "oneOf", "not");

  private OpenApiV2() {}

  /** The Swagger 2.0 document of the given v3 documents' schemas. */
  public static ObjectNode document(OpenApi v3) {
    ObjectNode doc = MAPPER.createObjectNode();
    doc.put("swagger", "2.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
    doc.putObject("paths");
    ObjectNode definitions = doc.putObject("definitions");
    for (JsonNode gv : v3.root().path("paths")) {
      String url = gv.path("serverRelativeURL").asText();
      String path = url.substring("/openapi/v3/".length(), url.indexOf('?'));
      v3.document(path).orElseThrow().path("components").path("schemas").fields()
          .forEachRemaining(f -> definitions.set(f.getKey(), convert(f.getValue())));
    }
    return doc;
  }

  /** One schema, converted for v2. */
  static JsonNode convert(JsonNode schema) {
    if (!schema.isObject()) {
      return schema;
    }
    ObjectNode out = MAPPER.createObjectNode();
    JsonNode allOf = schema.path("allOf");
    if (allOf.size() == 1 && allOf.path(0).has("$ref")) {
      out.put("$ref", v2Ref(allOf.path(0).path("$ref").asText()));
    }
    Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = f.getKey();
      JsonNode value = f.getValue();
      if (DROPPED.contains(key) || key.equals("allOf")) {
        continue;
      }
      switch (key) {
        case "$ref" -> out.put("$ref", v2Ref(value.asText()));
        case "properties" -> {
          ObjectNode properties = out.putObject("properties");
          value.fields().forEachRemaining(p -> properties.set(p.getKey(), convert(p.getValue())));
        }
        case "items", "additionalProperties" -> out.set(key, value.isObject() ? convert(value) : value);
        default -> out.set(key, value);
      }
    }
    boolean nullable = schema.path("nullable").asBoolean(false);
    if (nullable) {
      out.remove(java.util.List.of("type", "items", "properties"));
    }
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      out.remove("properties");
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      out.remove("type");
    }
    return out;
  }

  private static String v2Ref(String ref) {
    return ref.startsWith(V3_REF) ? V2_REF + ref.substring(V3_REF.length()) : ref;
  }

  // --- protobuf (gnostic openapi.v2) ---------------------------------------------------------------------

  /** The document in gnostic's {@code openapi.v2.Document} encoding. */
  public static byte[] protobuf(ObjectNode doc) {
    Proto d = new Proto();
    d.string(1, doc.path("swagger").asText());
    Proto info = new Proto();
    info.string(1, doc.path("info").path("title").asText());
    info.string(2, doc.path("info").path("version").asText());
    d.message(2, info);
    d.message(8, new Proto());
    Proto definitions = new Proto();
    doc.path("definitions").fields().forEachRemaining(f -> definitions.message(1, named(f.getKey(), schema(f.getValue()))));
    d.message(9, definitions);
    return d.bytes();
  }

  private static Proto named(String name, Proto value) {
    Proto n = new Proto();
    n.string(1, name);
    n.message(2, value);
    return n;
  }

  /** gnostic's Any: the value as YAML text (JSON is YAML). */
  private static Proto any(JsonNode value) {
    Proto a = new Proto();
    a.string(2, value.toString());
    return a;
  }

  private static Proto schema(JsonNode s) {
    Proto p = new Proto();
    p.string(1, s.path("$ref").asText(""));
    p.string(2, s.path("format").asText(""));
    p.string(3, s.path("title").asText(""));
    p.string(4, s.path("description").asText(""));
    if (s.has("default")) {
      p.message(5, any(s.get("default")));
    }
    p.number(6, s.get("multipleOf"));
    p.number(7, s.get("maximum"));
    p.bool(8, s.path("exclusiveMaximum").asBoolean(false));
    p.number(9, s.get("minimum"));
    p.bool(10, s.path("exclusiveMinimum").asBoolean(false));
    p.integer(11, s.get("maxLength"));
    p.integer(12, s.get("minLength"));
    p.string(13, s.path("pattern").asText(""));
    p.integer(14, s.get("maxItems"));
    p.integer(15, s.get("minItems"));
    p.bool(16, s.path("uniqueItems").asBoolean(false));
    p.integer(17, s.get("maxProperties"));
    p.integer(18, s.get("minProperties"));
    s.path("required").forEach(r -> p.string(19, r.asText()));
    s.path("enum").forEach(e -> p.message(20, any(e)));
    JsonNode additional = s.get("additionalProperties");
    if (additional != null) {
      Proto item = new Proto();
      if (additional.isBoolean()) {
        item.boolAlways(2, additional.asBoolean());
      } else {
        item.message(1, schema(additional));
      }
      p.message(21, item);
    }
    if (s.has("type")) {
      Proto type = new Proto();
      if (s.get("type").isArray()) {
        s.get("type").forEach(t -> type.string(1, t.asText()));
      } else {
        type.string(1, s.get("type").asText());
      }
      p.message(22, type);
    }
    JsonNode items = s.get("items");
    if (items != null) {
      Proto item = new Proto();
      if (items.isArray()) {
        items.forEach(i -> item.message(1, schema(i)));
      } else {
        item.message(1, schema(items));
      }
      p.message(23, item);
    }
    if (s.has("properties")) {
      Proto properties = new Proto();
      s.get("properties").fields().forEachRemaining(f -> properties.message(1, named(f.getKey(), schema(f.getValue()))));
      p.message(25, properties);
    }
    p.bool(27, s.path("readOnly").asBoolean(false));
    if (s.has("example")) {
      p.message(30, any(s.get("example")));
    }
    s.fields().forEachRemaining(f -> {
      if (f.getKey().startsWith("x-")) {
        Proto n = new Proto();
        n.string(1, f.getKey());
        n.message(2, any(f.getValue()));
        p.message(31, n);
      }
    });
    return p;
  }

  /** A protobuf message being written; proto3 defaults (empty, zero, false) are left out. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void string(int field, String value) {
      if (!value.isEmpty()) {
        bytes(field, value.getBytes(StandardCharsets.UTF_8));
      }
    }

    void message(int field, Proto message) {
      bytes(field, message.bytes());
    }

    void bool(int field, boolean value) {
      if (value) {
        boolAlways(field, true);
      }
    }

    void boolAlways(int field, boolean value) {
      varint((long) field << 3);
      varint(value ? 1 : 0);
    }

    void integer(int field, JsonNode value) {
      if (value != null && value.isNumber() && value.asLong() != 0) {
        varint((long) field << 3);
        varint(value.asLong());
      }
    }

    void number(int field, JsonNode value) {
      if (value != null && value.isNumber() && value.asDouble() != 0) {
        varint(((long) field << 3) | 1);
        long bits = Double.doubleToLongBits(value.asDouble());
        for (int i = 0; i < 8; i++) {
          out.write((int) (bits >>> (8 * i)) & 0xff);
        }
      }
    }

    private void bytes(int field, byte[] value) {
      varint(((long) field << 3) | 2);
      varint(value.length);
      out.writeBytes(value);
    }

    private void varint(long value) {
      long v = value;
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
