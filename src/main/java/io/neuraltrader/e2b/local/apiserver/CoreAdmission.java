package io.neuraltrader.e2b.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the API server does to a write of a built-in kind that the store does not: unknown fields against the
 * kind's schema (pruned, or refused under strict field validation), a Secret's {@code stringData} merged into
 * {@code data}, and a strategic merge patch (what kubectl sends for built-in kinds) taken as the merge patch it
 * is for these kinds, whose fields are maps and scalars; a patch that needs list merge semantics is refused.
 */
final class CoreAdmission {
  private final ObjectNode schemas;

  /** {@code schemas}: the components of the core OpenAPI document. */
  CoreAdmission(ObjectNode schemas) {
    this.schemas = schemas;
  }

  /** The unknown fields of {@code value} (an object or a merge patch) by path, removed from it. */
  List<String> pruneUnknown(String kind, ObjectNode value) {
    List<String> unknown = new ArrayList<>();
    walk(value, schemas.path(CoreKinds.CORE + kind), "", unknown);
    return unknown;
  }

  private void walk(JsonNode value, JsonNode declared, String path, List<String> unknown) {
    JsonNode schema = resolve(declared);
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      return;
    }
    if (value.isObject() && schema.has("properties")) {
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        String child = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
        JsonNode property = schema.path("properties").get(f.getKey());
        if (property == null) {
          unknown.add(child);
          fields.remove();
        } else if (!f.getValue().isNull()) {
          walk(f.getValue(), property, child, unknown);
        }
      }
    } else if (value.isObject() && schema.has("additionalProperties")) {
      value.fields().forEachRemaining(f -> walk(f.getValue(), schema.path("additionalProperties"),
          path + "." + f.getKey(), unknown));
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        walk(value.get(i), schema.path("items"), path + "[" + i + "]", unknown);
      }
    }
  }

  private JsonNode resolve(JsonNode schema) {
    JsonNode ref = schema.has("allOf") ? schema.path("allOf").path(0).path("$ref") : schema.path("$ref");
    if (ref.isTextual()) {
      return schemas.path(ref.asText().substring("#/components/schemas/".length()));
    }
    return schema;
  }

  /**
   * The server's defaults: a Secret's type is Opaque; a new Namespace is Active (its status is the server's
   * to set; no "kubernetes" finalizer, as there is no namespace controller to remove it).
   */
  static void defaults(String kind, ObjectNode object, boolean create) {
    if (kind.equals("Secret") && object.path("type").asText("").isEmpty()) {
      object.put("type", "Opaque");
    }
    if (kind.equals("Namespace") && create) {
      object.putObject("status").put("phase", "Active");
    }
  }

  /** A Secret's stringData goes into data, base64-encoded, as the server converts it on every write. */
  static void mergeStringData(ObjectNode secretOrPatch) {
    JsonNode stringData = secretOrPatch.remove("stringData");
    if (stringData == null || !stringData.isObject()) {
      return;
    }
    ObjectNode data = secretOrPatch.with("data");
    stringData.fields().forEachRemaining(f -> data.put(f.getKey(), f.getValue().isNull() ? null
        : Base64.getEncoder().encodeToString(f.getValue().asText().getBytes(StandardCharsets.UTF_8))));
  }

  /**
   * Null when a strategic merge patch of a built-in kind is a plain merge patch; otherwise why not: a
   * directive ({@code $patch}, {@code $setElementOrder/...}, {@code $retainKeys}) or a merged list (finalizers,
   * ownerReferences).
   */
  static String notMergePatch(JsonNode patch) {
    if (patch.path("metadata").has("finalizers") || patch.path("metadata").has("ownerReferences")) {
      return "patches of metadata.finalizers or metadata.ownerReferences need --type=merge or --type=json here";
    }
    return directive(patch);
  }

  private static String directive(JsonNode node) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (f.getKey().startsWith("$")) {
          return "the strategic merge patch directive " + f.getKey() + " is not supported here";
        }
        String inner = directive(f.getValue());
        if (inner != null) {
          return inner;
        }
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        String inner = directive(item);
        if (inner != null) {
          return inner;
        }
      }
    }
    return null;
  }
}
