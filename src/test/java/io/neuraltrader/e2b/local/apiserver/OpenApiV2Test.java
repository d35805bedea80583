package io.neuraltrader.e2b.local.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiV2Test {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String AGENT = "io.neuraltrader.e2b.v1alpha1.TradingAgent";

  @Test
  void definitionsAreTheV3SchemasWithV2References() {
    JsonNode doc = OpenApiV2.document(new OpenApi(Crds.all()));

    assertEquals("2.0", doc.path("swagger").asText());
    JsonNode agent = doc.path("definitions").path(AGENT);
    assertEquals("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        agent.path("properties").path("metadata").path("$ref").asText());
    assertEquals("TradingAgent", agent.path("x-kubernetes-group-version-kind").path(0).path("kind").asText());
    List<String> refs = Crds.refs(doc);
    for (String ref : refs) {
      assertTrue(ref.startsWith("#/definitions/") && doc.path("definitions").has(ref.substring(14)), ref);
    }
    assertTrue(doc.path("definitions").has("io.k8s.api.core.v1.ConfigMap"));
  }

  @Test
  void whatV2CannotSayIsDroppedAsTheServerDropsIt() throws Exception {
    JsonNode v3 = MAPPER.readTree(("{'type':'object','properties':{'a':{'type':'string','nullable':true},"
        + "'b':{'type':'object','x-kubernetes-preserve-unknown-fields':true,'properties':{'c':{'type':'string'}}},"
        + "'d':{'x-kubernetes-int-or-string':true,'anyOf':[{'type':'integer'},{'type':'string'}],'type':'string'}}}")
        .replace('\'', '"'));

    JsonNode v2 = OpenApiV2.convert(v3);

    assertFalse(v2.path("properties").path("a").has("type"), "nullable: untyped");
    assertFalse(v2.path("properties").path("a").has("nullable"));
    assertFalse(v2.path("properties").path("b").has("properties"), "unknown fields kept: no properties");
    assertFalse(v2.path("properties").path("d").has("type"));
    assertFalse(v2.path("properties").path("d").has("anyOf"));
    assertEquals("object", v2.path("type").asText());
  }

  @Test
  void theProtobufEncodingIsGnosticsDocument() throws Exception {
    JsonNode doc = OpenApiV2.document(new OpenApi(Crds.all()));

    Map<Integer, List<Object>> document = decode(OpenApiV2.protobuf((com.fasterxml.jackson.databind.node.ObjectNode) doc));

    assertEquals("2.0", text(document.get(1).get(0)));
    Map<String, Map<Integer, List<Object>>> definitions = new LinkedHashMap<>();
    for (Object named : decode((byte[]) document.get(9).get(0)).get(1)) {
      Map<Integer, List<Object>> entry = decode((byte[]) named);
      definitions.put(text(entry.get(1).get(0)), decode((byte[]) entry.get(2).get(0)));
    }
    Map<Integer, List<Object>> agent = definitions.get(AGENT);
    assertEquals(List.of("object"), decode((byte[]) agent.get(22).get(0)).get(1).stream().map(OpenApiV2Test::text)
        .toList(), "Schema.type is a TypeItem");
    List<String> properties = new ArrayList<>();
    for (Object named : decode((byte[]) agent.get(25).get(0)).get(1)) {
      properties.add(text(decode((byte[]) named).get(1).get(0)));
    }
    assertTrue(properties.containsAll(List.of("apiVersion", "kind", "metadata", "spec", "status")), properties.toString());
    Map<Integer, List<Object>> extension = decode((byte[]) agent.get(31).get(0));
    assertEquals("x-kubernetes-group-version-kind", text(extension.get(1).get(0)));
    JsonNode gvk = MAPPER.readTree(text(decode((byte[]) extension.get(2).get(0)).get(2).get(0)));
    assertEquals("TradingAgent", gvk.path(0).path("kind").asText(), "Any.yaml holds the value");
  }

  private static String text(Object bytes) {
    return new String((byte[]) bytes, StandardCharsets.UTF_8);
  }

  /** A protobuf message: field number to values (byte[] for length-delimited, Long for varints and doubles). */
  private static Map<Integer, List<Object>> decode(byte[] message) {
    Map<Integer, List<Object>> fields = new LinkedHashMap<>();
    ByteArrayInputStream in = new ByteArrayInputStream(message);
    while (in.available() > 0) {
      long tag = varint(in);
      int field = (int) (tag >>> 3);
      Object value = switch ((int) (tag & 7)) {
        case 0 -> varint(in);
        case 1 -> {
          long bits = 0;
          for (int i = 0; i < 8; i++) {
            bits |= (long) in.read() << (8 * i);
          }
          yield bits;
        }
        case 2 -> readBytes(in, (int) varint(in));
        default -> throw new AssertionError("wire type " + (tag & 7));
      };
      fields.computeIfAbsent(field, k -> new ArrayList<>()).add(value);
    }
    return fields;
  }

  private static byte[] readBytes(ByteArrayInputStream in, int length) {
    byte[] bytes = new byte[length];
    if (length > 0) {
      assertEquals(length, in.read(bytes, 0, length));
    }
    return bytes;
  }

  private static long varint(ByteArrayInputStream in) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      int b = in.read();
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
  }

}
