package io.neuraltrader.e2b.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/** A thin HTTP client for the tests: no retries, so every fault reaches the test as it happened. */
final class TestApi {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  final LocalSandboxRuntime runtime;
  final OkHttpClient http;
  final String apiKey;

  TestApi(LocalSandboxRuntime runtime) {
    this.runtime = runtime;
    this.apiKey = runtime.config().apiKey();
    this.http = new OkHttpClient.Builder()
        .retryOnConnectionFailure(false)
        .readTimeout(Duration.ofSeconds(30))
        .build();
  }

  record Reply(int code, Map<String, List<String>> headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  Reply call(String method, String path, Object body) throws IOException {
    return call(method, path, body, apiKey);
  }

  Reply call(String method, String path, Object body, String key) throws IOException {
    Request.Builder b = new Request.Builder().url(runtime.baseUrl() + path);
    if (key != null) {
      b.header("X-API-Key", key);
    }
    b.method(method, requestBody(method, body));
    return send(b.build());
  }

  private static RequestBody requestBody(String method, Object body) {
    if (body == null) {
      return method.equals("POST") ? RequestBody.create(new byte[0], null) : null;
    }
    String text = body instanceof String s ? s : write(body);
    return RequestBody.create(text, JSON_TYPE);
  }

  private Reply send(Request request) throws IOException {
    try (Response r = http.newCall(request).execute()) {
      return new Reply(r.code(), r.headers().toMultimap(), r.body() == null ? "" : r.body().string());
    }
  }

  /** Creates a sandbox and returns its JSON (asserting nothing: tests check what they need). */
  JsonNode create(Map<String, Object> body) throws IOException {
    Reply r = call("POST", "/sandboxes", body);
    if (r.code() != 201) {
      throw new AssertionError("create failed: " + r.code() + " " + r.body());
    }
    return r.json();
  }

  String createId(Map<String, Object> body) throws IOException {
    return create(body).get("sandboxID").asText();
  }

  /** A request to a sandbox port, routed by the E2b-Sandbox-Id / E2b-Sandbox-Port headers. */
  Reply sandboxCall(String sandboxId, String method, String path, Object body, String token) throws IOException {
    Request.Builder b = new Request.Builder().url(runtime.baseUrl() + path)
        .header("E2b-Sandbox-Id", sandboxId)
        .header("E2b-Sandbox-Port", "49999");
    if (token != null) {
      b.header("X-Access-Token", token);
    }
    b.method(method, requestBody(method, body));
    return send(b.build());
  }

  /** Runs code and returns every NDJSON line; each is also handed to onLine the moment it arrives. */
  List<JsonNode> execute(String sandboxId, Map<String, Object> body, String token, Consumer<JsonNode> onLine)
      throws IOException {
    Request.Builder b = new Request.Builder().url(runtime.baseUrl() + "/execute")
        .header("E2b-Sandbox-Id", sandboxId)
        .header("E2b-Sandbox-Port", "49999")
        .post(RequestBody.create(write(body), JSON_TYPE));
    if (token != null) {
      b.header("X-Access-Token", token);
    }
    try (Response r = http.newCall(b.build()).execute()) {
      if (r.code() != 200) {
        throw new ExecuteFailed(r.code(), r.body().string());
      }
      List<JsonNode> lines = new ArrayList<>();
      BufferedSource source = r.body().source();
      String line;
      while ((line = source.readUtf8Line()) != null) {
        JsonNode node = JSON.readTree(line);
        lines.add(node);
        onLine.accept(node);
      }
      return lines;
    }
  }

  List<JsonNode> execute(String sandboxId, String code) throws IOException {
    return execute(sandboxId, Map.of("code", code), null, n -> { });
  }

  static String stdout(List<JsonNode> lines) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode n : lines) {
      if (n.path("type").asText().equals("stdout")) {
        sb.append(n.get("text").asText());
      }
    }
    return sb.toString();
  }

  static JsonNode first(List<JsonNode> lines, String type) {
    return lines.stream().filter(n -> n.path("type").asText().equals(type)).findFirst().orElse(null);
  }

  static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A non-200 answer of /execute. */
  static final class ExecuteFailed extends IOException {
    final int code;
    final String body;

    ExecuteFailed(int code, String body) {
      super("execute answered " + code + ": " + body);
      this.code = code;
      this.body = body;
    }
  }
}
