package io.neuraltrader.e2b.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory API as kubectl needs it, on its own loopback port: discovery, OpenAPI v3, Table responses,
 * field and label selectors, watches as HTTP streams (the store only serves WebSocket watches), and the
 * built-in kinds' admission ({@link CoreAdmission}); everything else, custom resource admission included, is
 * the store's. One process, no TLS, no authentication: for the developer's own machine.
 */
public final class KubectlApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubectlApiServer.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);
  private static final ChangeLog.Change STOP = new ChangeLog.Change(-1, null, null);

  /** The store behind: it serves requests as the fabric8 mock does and logs every write. */
  public interface Store {
    MockResponse dispatch(RecordedRequest request);

    ChangeLog changes();
  }

  /** A served resource type: a CRD's version or a built-in kind. */
  record Resource(String group, String version, String plural, String kind, boolean namespaced,
      TableConverter table, Set<String> fieldSelectors, String coreKind) {
    String apiVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    String prefix() {
      return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    }

    String qualified() {
      return group.isEmpty() ? plural : plural + "." + group;
    }
  }

  /** A request to a resource: namespace and name null when absent, sub "" or a subresource. */
  record Target(Resource resource, String namespace, String name, String sub) {
    String path() {
      return resource.prefix() + (namespace != null ? "/namespaces/" + namespace : "") + "/" + resource.plural()
          + (name != null ? "/" + name : "") + (sub.isEmpty() ? "" : "/" + sub);
    }
  }

  private final Store store;
  private final Clock clock;
  private final HttpServer http;
  private final ExecutorService executor;
  private final Set<BlockingQueue<ChangeLog.Change>> watches = ConcurrentHashMap.newKeySet();
  private volatile String crdListJson = "";
  private volatile List<CustomResourceDefinition> crds = List.of();

  private KubectlApiServer(Store store, Clock clock, int port) throws IOException {
    this.store = store;
    this.clock = clock;
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "kubectl-api");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(executor);
    http.createContext("/", this::handle);
    http.start();
  }

  /** Serves {@code store} on 127.0.0.1:{@code port} (0: any free port). */
  public static KubectlApiServer start(Store store, Clock clock, int port) throws IOException {
    return new KubectlApiServer(store, clock, port);
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  @Override
  public void close() {
    watches.forEach(q -> q.offer(STOP));
    http.stop(0);
    executor.shutdownNow();
  }

  // --- routing -------------------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      if (path.length() > 1 && path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      try {
        if (method.equals("GET") && serveMeta(exchange, path)) {
          return;
        }
        Target target = target(path);
        if (target == null) {
          send(exchange, status(404, "NotFound", "the server could not find the requested resource", null));
          return;
        }
        if (method.equals("GET")) {
          Selectors selectors;
          try {
            selectors = Selectors.parse(query.get("fieldSelector"), query.get("labelSelector"),
                target.resource().fieldSelectors());
          } catch (IllegalArgumentException e) {
            send(exchange, status(400, "BadRequest", e.getMessage(), null));
            return;
          }
          if ("true".equals(query.get("watch"))) {
            watch(exchange, target, query, selectors);
          } else {
            send(exchange, get(exchange, target, query, selectors));
          }
          return;
        }
        send(exchange, write(exchange, method, target, query));
      } catch (RuntimeException e) {
        LOG.warn("kubectl API: {} {} failed", method, path, e);
        send(exchange, status(500, "InternalError", "Internal error occurred: " + e.getMessage(), null));
      }
    }
  }

  /** Discovery, OpenAPI and /version; false when {@code path} is none of them. */
  private boolean serveMeta(HttpExchange exchange, String path) throws IOException {
    List<CustomResourceDefinition> defs = crds();
    Discovery discovery = new Discovery(defs);
    Optional<ObjectNode> body;
    if (path.equals("/version")) {
      ObjectNode v = MAPPER.createObjectNode();
      v.put("major", "1").put("minor", "32").put("gitVersion", "v1.32.0+e2b-operator-local")
          .put("platform", System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch"));
      body = Optional.of(v);
    } else if (path.equals("/api")) {
      body = Optional.of(discovery.coreVersions(url().getAuthority()));
    } else if (path.equals("/api/v1")) {
      body = Optional.of(discovery.coreResources());
    } else if (path.equals("/apis")) {
      body = Optional.of(discovery.groups());
    } else if (path.matches("/apis/[^/]+/[^/]+")) {
      String[] parts = path.split("/");
      body = discovery.resources(parts[2], parts[3]);
      if (body.isEmpty()) {
        send(exchange, status(404, "NotFound", "the server could not find the requested resource", null));
        return true;
      }
    } else if (path.equals("/openapi/v2")) {
      ObjectNode v2 = OpenApiV2.document(new OpenApi(defs));
      String accept = exchange.getRequestHeaders().getFirst("Accept");
      if (accept != null && accept.contains("protobuf")) {
        send(exchange, new MockResponse().setResponseCode(200)
            .setHeader("Content-Type", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
            .setBody(OpenApiV2.protobuf(v2)));
        return true;
      }
      body = Optional.of(v2);
    } else if (path.equals("/openapi/v3")) {
      body = Optional.of(new OpenApi(defs).root());
    } else if (path.startsWith("/openapi/v3/")) {
      body = new OpenApi(defs).document(path.substring("/openapi/v3/".length()));
      if (body.isEmpty()) {
        send(exchange, status(404, "NotFound", "the server could not find the requested resource", null));
        return true;
      }
    } else {
      return false;
    }
    send(exchange, json(200, body.get()));
    return true;
  }

  /** The resource a path names, or null when it is not served. */
  private Target target(String path) {
    String[] parts = path.substring(1).split("/");
    String group;
    String version;
    int at;
    if (parts.length >= 3 && parts[0].equals("api") && parts[1].equals("v1")) {
      group = "";
      version = "v1";
      at = 2;
    } else if (parts.length >= 4 && parts[0].equals("apis")) {
      group = parts[1];
      version = parts[2];
      at = 3;
    } else {
      return null;
    }
    List<String> rest = List.of(parts).subList(at, parts.length);
    String namespace = null;
    if (rest.size() >= 3 && rest.get(0).equals("namespaces") && resourceOf(group, version, rest.get(2)) != null) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    Resource resource = resourceOf(group, version, rest.get(0));
    if (resource == null || rest.size() > 3 || resource.namespaced() && namespace == null && rest.size() > 1) {
      return null;
    }
    String sub = rest.size() == 3 ? rest.get(2) : "";
    if (!sub.isEmpty() && !sub.equals("status") && !sub.equals("scale")) {
      return null;
    }
    return new Target(resource, namespace, rest.size() >= 2 ? rest.get(1) : null, sub);
  }

  private Resource resourceOf(String group, String version, String plural) {
    if (group.isEmpty()) {
      return CoreKinds.byPlural(plural).map(k -> new Resource("", "v1", k.plural(), k.kind(), k.namespaced(),
          TableConverter.forCore(k.kind()), k.fieldSelectors(), k.kind())).orElse(null);
    }
    if (group.equals(Discovery.CRD_GROUP) && version.equals("v1") && plural.equals("customresourcedefinitions")) {
      return new Resource(group, version, plural, "CustomResourceDefinition", false,
          TableConverter.forCore("CustomResourceDefinition"), Set.of("metadata.name"), null);
    }
    for (CustomResourceDefinition crd : crds()) {
      if (crd.getSpec().getGroup().equals(group) && crd.getSpec().getNames().getPlural().equals(plural)) {
        for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
          if (v.getName().equals(version) && Boolean.TRUE.equals(v.getServed())) {
            return new Resource(group, version, plural, crd.getSpec().getNames().getKind(),
                "Namespaced".equals(crd.getSpec().getScope()), TableConverter.forCrd(v),
                Set.of("metadata.name", "metadata.namespace"), null);
          }
        }
      }
    }
    return null;
  }

  /** The stored CRDs, parsed again only when they changed. */
  private List<CustomResourceDefinition> crds() {
    MockResponse response = store.dispatch(request(HttpMethod.GET, CRDS, null, null));
    String body = bodyOf(response);
    if (!body.equals(crdListJson)) {
      List<CustomResourceDefinition> parsed = new ArrayList<>();
      try {
        for (JsonNode item : MAPPER.readTree(body).path("items")) {
          parsed.add(Serialization.unmarshal(item.toString(), CustomResourceDefinition.class));
        }
      } catch (IOException e) {
        throw new IllegalStateException("unreadable CRD list", e);
      }
      crds = parsed;
      crdListJson = body;
    }
    return crds;
  }

  // --- requests ------------------------------------------------------------------------------------------

  private MockResponse write(HttpExchange exchange, String method, Target target, Map<String, String> query)
      throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    Resource r = target.resource();
    switch (method) {
      case "POST", "PUT", "PATCH" -> {
        if (method.equals("POST") && target.name() != null) {
          return status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
              null);
        }
        if (target.namespace() != null && method.equals("POST")) {
          MockResponse ns = store.dispatch(request(HttpMethod.GET, "/api/v1/namespaces/" + target.namespace(), null,
              null));
          if (ns.code() == 404) {
            return status(404, "NotFound", "namespaces \"" + target.namespace() + "\" not found",
                details(target.namespace(), "", "namespaces"));
          }
        }
        if (mediaType(contentType).equals(ProtobufObjects.MEDIA_TYPE) && !method.equals("PATCH")) {
          try {
            body = MAPPER.writeValueAsBytes(ProtobufObjects.decode(body));
            contentType = "application/json";
          } catch (IllegalArgumentException e) {
            return status(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                + "accepted media types include: application/json (" + e.getMessage() + ")", null);
          }
        }
        List<String> warnings = new ArrayList<>();
        if (r.coreKind() != null) {
          Object admitted = admitCore(method, target, query, body, contentType, warnings);
          if (admitted instanceof MockResponse refusal) {
            return refusal;
          }
          body = (byte[]) admitted;
          if (method.equals("PATCH") && mediaType(contentType).equals("application/strategic-merge-patch+json")) {
            contentType = "application/merge-patch+json";
          }
        }
        String path = target.path() + queryString(query, Set.of());
        MockResponse response = r.coreKind() != null && method.equals("PATCH")
            && mediaType(contentType).equals("application/merge-patch+json")
            ? mergeCore(target, path, body) : store.dispatch(request(HttpMethod.valueOf(method), path, body,
            contentType));
        warnings.forEach(w -> response.addHeader("Warning", "299 - \"" + w.replace("\"", "\\\"") + "\""));
        if (method.equals("PATCH") && response.code() == 202) {
          response.setResponseCode(200);
        }
        return errorStatus(response, target);
      }
      case "DELETE" -> {
        if (target.name() == null) {
          return status(405, "MethodNotAllowed", "deleting collections is not supported here", null);
        }
        MockResponse response = store.dispatch(request(HttpMethod.DELETE, target.path(), null, null));
        return errorStatus(response, target);
      }
      default -> {
        return status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
            null);
      }
    }
  }

  /**
   * A merge patch of a built-in kind, applied here (RFC 7386: null removes a field) and stored as an update
   * of the version it was applied to; a concurrent write in between is retried on the newer version.
   */
  private MockResponse mergeCore(Target target, String path, byte[] patch) throws IOException {
    JsonNode merge = MAPPER.readTree(patch);
    MockResponse response = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      MockResponse current = store.dispatch(request(HttpMethod.GET, target.path(), null, null));
      if (current.code() != 200) {
        return current;
      }
      JsonNode merged = MergePatch.apply(MAPPER.readTree(bodyOf(current)), merge);
      response = store.dispatch(request(HttpMethod.PUT, path, MAPPER.writeValueAsBytes(merged),
          "application/json"));
      if (response.code() != 409) {
        return response;
      }
    }
    return response;
  }

  /** Admission of a built-in kind's write: the body to store, or the refusal (a MockResponse). */
  private Object admitCore(String method, Target target, Map<String, String> query, byte[] body,
      String contentType, List<String> warnings) throws IOException {
    String type = mediaType(contentType);
    if (method.equals("PATCH") && type.equals("application/json-patch+json")) {
      return body;
    }
    JsonNode parsed;
    try {
      parsed = MAPPER.readTree(body);
    } catch (IOException e) {
      return status(400, "BadRequest", "the body of the request could not be decoded: " + e.getMessage(), null);
    }
    if (!(parsed instanceof ObjectNode object)) {
      return status(400, "BadRequest", "the body of the request was not a JSON object", null);
    }
    if (method.equals("PATCH") && type.equals("application/strategic-merge-patch+json")) {
      String why = CoreAdmission.notMergePatch(object);
      if (why != null) {
        return status(415, "UnsupportedMediaType", why, null);
      }
    }
    CoreAdmission admission = new CoreAdmission((ObjectNode) new OpenApi(List.of()).document("api/v1")
        .orElseThrow().path("components").path("schemas"));
    List<String> unknown = admission.pruneUnknown(target.resource().kind(), object);
    String validation = query.getOrDefault("fieldValidation", "Warn");
    if (!unknown.isEmpty() && validation.equals("Strict")) {
      String strict = "strict decoding error: " + String.join(", ", unknown.stream()
          .map(f -> "unknown field \"" + f + "\"").toList());
      String kind = target.resource().kind();
      return status(400, "BadRequest", method.equals("PATCH") ? strict
          : kind + " in version \"v1\" cannot be handled as a " + kind + ": " + strict, null);
    }
    if (!validation.equals("Ignore")) {
      unknown.forEach(f -> warnings.add("unknown field \"" + f + "\""));
    }
    if (target.resource().kind().equals("Secret")) {
      CoreAdmission.mergeStringData(object);
    }
    if (!method.equals("PATCH")) {
      CoreAdmission.defaults(target.resource().kind(), object, method.equals("POST"));
    }
    return MAPPER.writeValueAsBytes(object);
  }

  private MockResponse get(HttpExchange exchange, Target target, Map<String, String> query, Selectors selectors)
      throws IOException {
    MockResponse response = store.dispatch(request(HttpMethod.GET, target.path(), null, null));
    response = errorStatus(response, target);
    if (response.code() != 200) {
      return response;
    }
    JsonNode body = MAPPER.readTree(bodyOf(response));
    if (target.name() == null) {
      ObjectNode list = (ObjectNode) body;
      ArrayNode kept = MAPPER.createArrayNode();
      for (JsonNode item : list.path("items")) {
        if (selectors.matches(item)) {
          kept.add(item);
        }
      }
      list.set("items", kept);
      list.put("kind", target.resource().kind() + "List");
      list.put("apiVersion", target.resource().apiVersion());
    }
    if (wantsTable(exchange) && target.sub().isEmpty()) {
      body = target.resource().table().convert(body, query.get("includeObject"), clock.instant());
    }
    return json(200, body);
  }

  // --- watch ---------------------------------------------------------------------------------------------

  /**
   * A watch as a stream of JSON events: from {@code resourceVersion} (the changes logged since), or without one
   * every current object as ADDED first; Tables when asked for; ends after {@code timeoutSeconds}.
   */
  private void watch(HttpExchange exchange, Target target, Map<String, String> query, Selectors selectors)
      throws IOException {
    String name = target.name() != null ? target.name() : selectors.name();
    Target collection = new Target(target.resource(), target.namespace(), null, "");
    boolean table = wantsTable(exchange);
    String rv = query.getOrDefault("resourceVersion", "");
    List<JsonNode> initial = new ArrayList<>();
    long from;
    if (rv.isEmpty() || rv.equals("0")) {
      MockResponse listed = store.dispatch(request(HttpMethod.GET, collection.path(), null, null));
      JsonNode list = MAPPER.readTree(bodyOf(listed));
      for (JsonNode item : list.path("items")) {
        if (selectors.matches(item) && (name == null || name.equals(item.path("metadata").path("name").asText()))) {
          initial.add(item);
        }
      }
      from = list.path("metadata").path("resourceVersion").asLong(0);
    } else {
      try {
        from = Long.parseLong(rv);
      } catch (NumberFormatException e) {
        send(exchange, status(400, "BadRequest", "invalid resource version: " + rv, null));
        return;
      }
    }
    BlockingQueue<ChangeLog.Change> queue = new LinkedBlockingQueue<>();
    Function<JsonNode, Boolean> inScope = o -> o.path("apiVersion").asText().equals(target.resource().apiVersion())
        && o.path("kind").asText().equals(target.resource().kind())
        && (target.namespace() == null || target.namespace().equals(o.path("metadata").path("namespace").asText()))
        && (name == null || name.equals(o.path("metadata").path("name").asText())) && selectors.matches(o);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    AutoCloseable registration;
    try {
      registration = store.changes().watch(from, queue::offer);
    } catch (ChangeLog.TooOld e) {
      exchange.sendResponseHeaders(200, 0);
      ObjectNode event = MAPPER.createObjectNode().put("type", "ERROR");
      event.set("object", MAPPER.readTree(bodyOf(status(410, "Expired", e.getMessage(), null))));
      writeEvent(exchange.getResponseBody(), event);
      return;
    }
    watches.add(queue);
    long timeout = Long.parseLong(query.getOrDefault("timeoutSeconds", "0"));
    long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout) : Long.MAX_VALUE;
    try {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      for (JsonNode item : initial) {
        writeEvent(out, event("ADDED", item, target, table, query));
      }
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        ChangeLog.Change change = queue.poll(Math.min(left, HEARTBEAT.toNanos()), TimeUnit.NANOSECONDS);
        if (change == STOP) {
          return;
        }
        if (change == null) {
          // Whitespace between events: a client that went away shows as a failed write.
          out.write('\n');
          out.flush();
          continue;
        }
        JsonNode before = change.before() == null ? null : MAPPER.readTree(change.before());
        JsonNode after = change.after() == null ? null : MAPPER.readTree(change.after());
        boolean was = before != null && inScope.apply(before);
        boolean is = after != null && inScope.apply(after);
        if (was && is) {
          writeEvent(out, event("MODIFIED", after, target, table, query));
        } else if (was) {
          ((ObjectNode) before.path("metadata")).put("resourceVersion", String.valueOf(change.resourceVersion()));
          writeEvent(out, event("DELETED", before, target, table, query));
        } else if (is) {
          writeEvent(out, event("ADDED", after, target, table, query));
        }
      }
    } catch (IOException e) {
      // the client closed the watch
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      watches.remove(queue);
      try {
        registration.close();
      } catch (Exception ignored) {
        // removing a listener does not fail
      }
    }
  }

  private ObjectNode event(String type, JsonNode object, Target target, boolean table, Map<String, String> query) {
    ObjectNode event = MAPPER.createObjectNode();
    event.put("type", type);
    event.set("object", table ? target.resource().table().convert(object, query.get("includeObject"),
        clock.instant()) : object);
    return event;
  }

  private static void writeEvent(OutputStream out, JsonNode event) throws IOException {
    out.write(MAPPER.writeValueAsBytes(event));
    out.write('\n');
    out.flush();
  }

  // --- plumbing ------------------------------------------------------------------------------------------

  /** The store answers a missing object without a Status body; the server always sends one. */
  private static MockResponse errorStatus(MockResponse response, Target target) {
    if (response.code() < 400) {
      return response;
    }
    String body = bodyOf(response);
    if (body.contains("\"kind\":\"Status\"") || body.contains("\"kind\" : \"Status\"")) {
      return response;
    }
    Resource r = target.resource();
    if (response.code() == 404) {
      return status(404, "NotFound", r.qualified() + " \"" + target.name() + "\" not found",
          details(target.name(), r.group(), r.plural()));
    }
    String reason = switch (response.code()) {
      case 400 -> "BadRequest";
      case 405 -> "MethodNotAllowed";
      case 415 -> "UnsupportedMediaType";
      case 422 -> "Invalid";
      default -> "InternalError";
    };
    return status(response.code(), reason, body.isEmpty() ? "the request failed" : body, null);
  }

  private static boolean wantsTable(HttpExchange exchange) {
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    if (accept == null) {
      return false;
    }
    for (String part : accept.split(",")) {
      String p = part.replace(" ", "");
      if (p.contains("as=Table") && p.contains("g=meta.k8s.io") && p.contains("v=v1") && !p.contains("v=v1beta1")) {
        return true;
      }
    }
    return false;
  }

  private static RecordedRequest request(HttpMethod method, String path, byte[] body, String contentType) {
    Headers.Builder headers = Headers.builder();
    if (contentType != null) {
      headers.add("Content-Type", contentType);
    }
    return new RecordedRequest("HTTP/1.1", method, path, headers.build(), new Buffer(body == null ? new byte[0] : body));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.put(k, v);
    }
    return query;
  }

  private static String queryString(Map<String, String> query, Set<String> without) {
    StringBuilder b = new StringBuilder();
    query.forEach((k, v) -> {
      if (!without.contains(k)) {
        b.append(b.length() == 0 ? "?" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
            .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    });
    return b.toString();
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase();
  }

  private static String bodyOf(MockResponse response) {
    return response.getBody() == null ? "" : new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, MockResponse response) throws IOException {
    byte[] bytes = response.getBody() == null ? new byte[0] : response.getBody().getBytes();
    response.getHeaders().toMultimap().forEach((k, values) -> {
      if (!k.equalsIgnoreCase("Content-Length") && !k.equalsIgnoreCase("Transfer-Encoding")) {
        values.forEach(v -> exchange.getResponseHeaders().add(k, v));
      }
    });
    if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
    }
    exchange.sendResponseHeaders(response.code(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  private static MockResponse json(int code, JsonNode body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }

  private static ObjectNode details(String name, String group, String kind) {
    ObjectNode details = MAPPER.createObjectNode();
    details.put("name", name);
    if (!group.isEmpty()) {
      details.put("group", group);
    }
    details.put("kind", kind);
    return details;
  }

  static MockResponse status(int code, String reason, String message, ObjectNode details) {
    ObjectNode status = MAPPER.createObjectNode();
    status.put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure").put("message", message).put("reason", reason);
    if (details != null) {
      status.set("details", details);
    }
    status.put("code", code);
    return json(code, status);
  }
}
