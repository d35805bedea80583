package io.neuraltrader.e2b.local.runtime;

import java.util.Map;

/** A complete (non-streamed) answer of a handler. */
record Response(int status, Map<String, String> headers, byte[] body) {

  static Response json(int status, Object value) {
    return new Response(status, Map.of(), RequestJson.bytes(value));
  }

  static Response json(int status, Object value, Map<String, String> headers) {
    return new Response(status, headers, RequestJson.bytes(value));
  }

  static Response noContent() {
    return new Response(204, Map.of(), new byte[0]);
  }
}
