package io.neuraltrader.e2b.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.neuraltrader.e2b.local.apiserver.KubectlApiServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kubectl-facing API over HTTP, in front of the in-memory store the operator uses. */
class KubectlApiTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String AGENTS = "/apis/e2b.neuraltrader.io/v1alpha1/namespaces/default/tradingagents";
  private static final String AGENT = "{\"apiVersion\":\"e2b.neuraltrader.io/v1alpha1\",\"kind\":\"TradingAgent\","
      + "\"metadata\":{\"name\":\"%s\"},\"spec\":{\"strategy\":\"momentum\",\"symbols\":[\"AAPL\"],"
      + "\"capital\":100000,\"sandbox\":{\"template\":{\"template\":\"code-interpreter-v1\"}}}}";

  private InMemoryKubernetes kube;
  private URI api;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeEach
  void start() throws Exception {
    kube = new InMemoryKubernetes();
    KubectlApiServer server = kube.serveKubectl(0);
    api = server.url();
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  private HttpResponse<String> send(String method, String path, String body, String contentType, String accept)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (accept != null) {
      b.header("Accept", accept);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void getAsTableUsesTheCrdsPrinterColumns() throws Exception {
    assertEquals(201, send("POST", AGENTS, AGENT.formatted("momentum"), "application/json", null).statusCode());

    HttpResponse<String> table = send("GET", AGENTS, null, null,
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,"
            + "application/json");
    HttpResponse<String> plain = send("GET", AGENTS, null, null, "application/json");

    JsonNode t = MAPPER.readTree(table.body());
    assertEquals("Table", t.path("kind").asText(), table.body());
    assertEquals("Strategy", t.path("columnDefinitions").path(1).path("name").asText());
    assertEquals("momentum", t.path("rows").path(0).path("cells").path(1).asText());
    assertEquals("TradingAgentList", MAPPER.readTree(plain.body()).path("kind").asText());
  }

  @Test
  void aWatchFromAListsVersionReplaysWhatChangedInBetween() throws Exception {
    send("POST", AGENTS, AGENT.formatted("a"), "application/json", null);
    String listed = MAPPER.readTree(send("GET", AGENTS, null, null, null).body()).path("metadata")
        .path("resourceVersion").asText();
    // Written after the list, before the watch starts: a watch from the list's version must still see it.
    kube.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
        .withName("unrelated").endMetadata().build()).create();
    send("PATCH", AGENTS + "/a", "{\"metadata\":{\"labels\":{\"x\":\"1\"}}}", "application/merge-patch+json", null);
    send("POST", AGENTS, AGENT.formatted("b"), "application/json", null);

    HttpRequest watch = HttpRequest.newBuilder(api.resolve(AGENTS + "?watch=true&resourceVersion=" + listed))
        .build();
    HttpResponse<java.io.InputStream> stream = http.send(watch, HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
    JsonNode first = MAPPER.readTree(next(lines));
    JsonNode second = MAPPER.readTree(next(lines));
    assertEquals("MODIFIED", first.path("type").asText());
    assertEquals("1", first.path("object").path("metadata").path("labels").path("x").asText());
    assertEquals("ADDED", second.path("type").asText());
    assertEquals("b", second.path("object").path("metadata").path("name").asText());

    send("DELETE", AGENTS + "/b", null, null, null);
    JsonNode deleted = MAPPER.readTree(next(lines));
    assertEquals("DELETED", deleted.path("type").asText());
    assertEquals("b", deleted.path("object").path("metadata").path("name").asText());
    assertTrue(Long.parseLong(deleted.path("object").path("metadata").path("resourceVersion").asText())
        > Long.parseLong(second.path("object").path("metadata").path("resourceVersion").asText()),
        "a deletion has a version of its own");
    stream.body().close();
  }

  /** The next event line of a watch, skipping the whitespace heartbeats; bounded. */
  private static String next(BufferedReader lines) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        String line;
        do {
          line = lines.readLine();
        } while (line != null && line.isBlank());
        return line;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).get(30, TimeUnit.SECONDS);
  }

  @Test
  void aWatchWithoutVersionStartsWithEveryMatchingObject() throws Exception {
    send("POST", AGENTS, AGENT.formatted("a"), "application/json", null);
    send("POST", AGENTS, AGENT.formatted("b"), "application/json", null);

    HttpRequest watch = HttpRequest.newBuilder(api.resolve(AGENTS + "?watch=true&fieldSelector=metadata.name%3Db"))
        .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").build();
    HttpResponse<java.io.InputStream> stream = http.send(watch, HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
    JsonNode first = MAPPER.readTree(next(lines));

    assertEquals("ADDED", first.path("type").asText());
    assertEquals("Table", first.path("object").path("kind").asText());
    assertEquals("b", first.path("object").path("rows").path(0).path("cells").path(0).asText());
    stream.body().close();
  }

  @Test
  void builtInKindsGetStrictFieldValidationAndSecretStringData() throws Exception {
    String configMaps = "/api/v1/namespaces/default/configmaps";
    HttpResponse<String> strict = send("POST", configMaps + "?fieldValidation=Strict",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"datax\":{\"a\":\"b\"}}",
        "application/json", null);
    assertEquals(400, strict.statusCode());
    assertEquals("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown "
        + "field \"datax\"", MAPPER.readTree(strict.body()).path("message").asText());

    HttpResponse<String> warned = send("POST", configMaps,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"labelz\":{}},"
            + "\"data\":{\"a\":\"b\"}}", "application/json", null);
    assertEquals(201, warned.statusCode(), warned.body());
    assertEquals("299 - \"unknown field \\\"metadata.labelz\\\"\"", warned.headers().firstValue("Warning")
        .orElse(""));
    assertFalse(kube.client().configMaps().inNamespace("default").withName("c").get().getAdditionalProperties()
        .containsKey("datax"));

    send("POST", "/api/v1/namespaces/default/secrets", "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":"
        + "{\"name\":\"s\"},\"stringData\":{\"token\":\"t0k\"}}", "application/json", null);
    var secret = kube.client().secrets().inNamespace("default").withName("s").get();
    assertEquals("t0k", new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8));
    assertTrue(secret.getStringData() == null || secret.getStringData().isEmpty());
    assertEquals("Opaque", secret.getType(), "the server's default type");
    send("POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":"
        + "\"team-a\"}}", "application/json", null);
    assertEquals("Active", kube.client().namespaces().withName("team-a").get().getStatus().getPhase());

    HttpResponse<String> smp = send("PATCH", configMaps + "/c", "{\"data\":{\"a\":\"c\"}}",
        "application/strategic-merge-patch+json", null);
    assertEquals(200, smp.statusCode(), smp.body());
    assertEquals("c", kube.client().configMaps().inNamespace("default").withName("c").get().getData().get("a"));

    HttpResponse<String> removed = send("PATCH", configMaps + "/c", "{\"data\":{\"a\":null,\"b\":\"2\"}}",
        "application/merge-patch+json", null);
    assertEquals(200, removed.statusCode(), removed.body());
    assertEquals(java.util.Map.of("b", "2"), kube.client().configMaps().inNamespace("default").withName("c").get()
        .getData(), "null removes a field (RFC 7386)");
  }

  @Test
  void errorsAreStatusObjectsAsTheServerSendsThem() throws Exception {
    HttpResponse<String> missing = send("GET", AGENTS + "/nope", null, null, null);
    assertEquals(404, missing.statusCode());
    assertEquals("tradingagents.e2b.neuraltrader.io \"nope\" not found", MAPPER.readTree(missing.body())
        .path("message").asText());

    HttpResponse<String> noNamespace = send("POST", "/apis/e2b.neuraltrader.io/v1alpha1/namespaces/ghost/"
        + "tradingagents", AGENT.formatted("a"), "application/json", null);
    assertEquals(404, noNamespace.statusCode());
    assertEquals("namespaces \"ghost\" not found", MAPPER.readTree(noNamespace.body()).path("message").asText());

    HttpResponse<String> unknown = send("GET", "/apis/apps/v1/namespaces/default/deployments", null, null, null);
    assertEquals(404, unknown.statusCode());
    assertEquals("NotFound", MAPPER.readTree(unknown.body()).path("reason").asText());

    HttpResponse<String> badField = send("GET", AGENTS + "?fieldSelector=spec.strategy%3Dx", null, null, null);
    assertEquals(400, badField.statusCode());
  }
}
