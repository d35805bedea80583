package io.neuraltrader.e2b.local.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shared JSON mapper and the request-body checks the E2B API applies (wrong types answer 400). */
final class RequestJson {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private RequestJson() {}

  static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass(), e);
    }
  }

  static byte[] errorBody(int code, String message) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("code", code);
    node.put("message", message);
    return bytes(node);
  }

  /** The sandbox proxy's error body. */
  static byte[] proxyErrorBody(int code, String message, String sandboxId) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("message", message);
    node.put("sandboxId", sandboxId);
    node.put("code", code);
    return bytes(node);
  }

  /** Parses a request body that must be a JSON object; an empty body counts as {} when allowed. */
  static ObjectNode object(byte[] body, boolean emptyAllowed) {
    if (body.length == 0) {
      if (emptyAllowed) {
        return MAPPER.createObjectNode();
      }
      throw new ApiException(400, "Error when parsing request: request body is required");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new ApiException(400, "Error when parsing request: body is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw new ApiException(400, "Error when parsing request: body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  static String optString(ObjectNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw typeError(field, "string");
    }
    return v.textValue();
  }

  static Boolean optBoolean(ObjectNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw typeError(field, "boolean");
    }
    return v.booleanValue();
  }

  /** A non-negative int32 such as a timeout in seconds. */
  static Integer optNonNegativeInt(ObjectNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw typeError(field, "integer");
    }
    int i = v.intValue();
    if (i < 0) {
      throw new ApiException(400, "Error when parsing request: " + field + " must be >= 0");
    }
    return i;
  }

  /** A JSON object whose values are all strings (metadata, envVars). */
  static Map<String, String> optStringMap(ObjectNode body, String field) {
    JsonNode v = body.get(field);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      throw typeError(field, "object of strings");
    }
    var it = v.fields();
    while (it.hasNext()) {
      var e = it.next();
      if (!e.getValue().isTextual()) {
        throw typeError(field + "." + e.getKey(), "string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  static void optObject(ObjectNode body, String field) {
    JsonNode v = body.get(field);
    if (v != null && !v.isNull() && !v.isObject()) {
      throw typeError(field, "object");
    }
  }

  private static ApiException typeError(String field, String type) {
    return new ApiException(400, "Error when parsing request: field '" + field + "' must be a " + type);
  }
}
