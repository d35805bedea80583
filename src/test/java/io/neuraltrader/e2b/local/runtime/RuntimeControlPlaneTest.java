package io.neuraltrader.e2b.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.neuraltrader.e2b.local.SimulatedClock;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RuntimeControlPlaneTest {

  private static final Instant T0 = Instant.parse("2025-03-03T14:30:00Z");

  private SimulatedClock clock;
  private LocalSandboxRuntime runtime;
  private TestApi api;

  @BeforeEach
  void start() {
    clock = SimulatedClock.frozenAt(T0);
    runtime = LocalSandboxRuntime.start(RuntimeConfig.builder().apiKey("e2b_test").clock(clock).seed(7).build());
    api = new TestApi(runtime);
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  private static void assertError(TestApi.Reply r, int status, String messagePart) {
    assertEquals(status, r.code(), r.body());
    JsonNode body = r.json();
    assertEquals(status, body.get("code").asInt());
    assertTrue(body.get("message").asText().contains(messagePart), body.toString());
  }

  @Test
  void requiresTheApiKey() throws Exception {
    assertError(api.call("GET", "/v2/sandboxes", null, null), 401, "Missing");
    assertError(api.call("GET", "/v2/sandboxes", null, "e2b_wrong"), 401, "Invalid API key");
    assertError(api.call("POST", "/sandboxes", Map.of("templateID", "base"), "e2b_wrong"), 401, "Invalid");
    assertEquals(0, runtime.sandboxCount());
  }

  @Test
  void createReturnsTheSandbox() throws Exception {
    TestApi.Reply r = api.call("POST", "/sandboxes", Map.of("templateID", "code-interpreter", "timeout", 300));
    assertEquals(201, r.code(), r.body());
    JsonNode sb = r.json();
    assertEquals("code-interpreter-v1", sb.get("templateID").asText());
    assertEquals("code-interpreter", sb.get("alias").asText());
    assertTrue(sb.get("sandboxID").asText().matches("i[a-z0-9]{19}"), sb.toString());
    assertNotNull(sb.get("clientID"));
    assertEquals("0.2.0", sb.get("envdVersion").asText());
    assertEquals(runtime.domain(), sb.get("domain").asText());
    assertNull(sb.get("envdAccessToken"));

    JsonNode secure = api.create(Map.of("templateID", "base", "secure", true));
    assertTrue(secure.get("envdAccessToken").asText().length() >= 32);
    assertEquals(2, runtime.sandboxCount());
  }

  @Test
  void createValidatesLikeE2b() throws Exception {
    assertError(api.call("POST", "/sandboxes", Map.of()), 400, "templateID");
    assertError(api.call("POST", "/sandboxes", Map.of("templateID", "  ")), 400, "templateID");
    assertError(api.call("POST", "/sandboxes", Map.of("templateID", 12)), 400, "templateID");
    assertError(api.call("POST", "/sandboxes", Map.of("templateID", "base", "timeout", "60")), 400, "timeout");
    assertError(api.call("POST", "/sandboxes", Map.of("templateID", "base", "timeout", -1)), 400, "timeout");
    assertError(api.call("POST", "/sandboxes", Map.of("templateID", "base", "secure", "yes")), 400, "secure");
    assertError(api.call("POST", "/sandboxes", Map.of("templateID", "base", "metadata", Map.of("a", 1))), 400,
        "metadata");
    assertError(api.call("POST", "/sandboxes", "{not json"), 400, "JSON");
    assertError(api.call("POST", "/sandboxes", "[1]"), 400, "object");
    assertError(api.call("POST", "/sandboxes", Map.of("templateID", "nope")), 404, "template 'nope' not found");
    assertError(api.call("POST", "/sandboxes", Map.of("templateID", "base", "timeout", 3601)), 400, "Timeout");
    assertEquals(0, runtime.sandboxCount());
  }

  @Test
  void getReturnsTheDetail() throws Exception {
    String id = api.createId(Map.of("templateID", "code-interpreter-v1", "timeout", 120,
        "metadata", Map.of("agent", "momentum")));
    JsonNode d = api.call("GET", "/sandboxes/" + id, null).json();
    assertEquals(id, d.get("sandboxID").asText());
    assertEquals("running", d.get("state").asText());
    assertEquals(T0.toString(), d.get("startedAt").asText());
    assertEquals(T0.plusSeconds(120).toString(), d.get("endAt").asText());
    assertEquals(2, d.get("cpuCount").asInt());
    assertEquals(1024, d.get("memoryMB").asInt());
    assertTrue(d.get("diskSizeMB").asInt() > 0);
    assertEquals("momentum", d.get("metadata").get("agent").asText());
    assertEquals("0.2.0", d.get("envdVersion").asText());
    assertError(api.call("GET", "/sandboxes/iunknown", null), 404, "iunknown");
  }

  @Test
  void createWithoutTimeoutUsesTheServerDefault() throws Exception {
    String id = api.createId(Map.of("templateID", "base"));
    assertEquals(T0.plusSeconds(15).toString(), api.call("GET", "/sandboxes/" + id, null).json().get("endAt").asText());
    JsonNode base = api.call("GET", "/sandboxes/" + id, null).json();
    assertEquals(512, base.get("memoryMB").asInt());
  }

  @Test
  void killAnswers204ThenNotFound() throws Exception {
    String id = api.createId(Map.of("templateID", "base", "timeout", 60));
    assertEquals(204, api.call("DELETE", "/sandboxes/" + id, null).code());
    assertError(api.call("GET", "/sandboxes/" + id, null), 404, id);
    assertError(api.call("DELETE", "/sandboxes/" + id, null), 404, id);
    assertEquals(0, runtime.sandboxCount());
  }

  @Test
  void setTimeoutMovesTheEndTime() throws Exception {
    String id = api.createId(Map.of("templateID", "base", "timeout", 60));
    clock.advance(Duration.ofSeconds(30));
    assertEquals(204, api.call("POST", "/sandboxes/" + id + "/timeout", Map.of("timeout", 10)).code());
    assertEquals(T0.plusSeconds(40).toString(), runtime.sandboxes().get(0).endAt().toString());
    assertError(api.call("POST", "/sandboxes/" + id + "/timeout", Map.of()), 400, "timeout");
    assertError(api.call("POST", "/sandboxes/" + id + "/timeout", Map.of("timeout", 99999)), 400, "Timeout");
    assertError(api.call("POST", "/sandboxes/inope/timeout", Map.of("timeout", 10)), 404, "inope");
    assertEquals(204, api.call("POST", "/sandboxes/" + id + "/pause", null).code());
    assertError(api.call("POST", "/sandboxes/" + id + "/timeout", Map.of("timeout", 10)), 409, "paused");
  }

  @Test
  void pauseConnectAndResume() throws Exception {
    String id = api.createId(Map.of("templateID", "base", "timeout", 60));
    assertEquals(204, api.call("POST", "/sandboxes/" + id + "/pause", null).code());
    assertEquals("paused", api.call("GET", "/sandboxes/" + id, null).json().get("state").asText());
    assertError(api.call("POST", "/sandboxes/" + id + "/pause", null), 409, "already paused");

    TestApi.Reply resumed = api.call("POST", "/sandboxes/" + id + "/connect", Map.of("timeout", 300));
    assertEquals(201, resumed.code(), resumed.body());
    assertEquals(id, resumed.json().get("sandboxID").asText());
    assertEquals("running", api.call("GET", "/sandboxes/" + id, null).json().get("state").asText());
    assertEquals(T0.plusSeconds(300), runtime.sandboxes().get(0).endAt());

    TestApi.Reply connected = api.call("POST", "/sandboxes/" + id + "/connect", Map.of("timeout", 30));
    assertEquals(200, connected.code());
    assertEquals(T0.plusSeconds(300), runtime.sandboxes().get(0).endAt(), "connect never shortens");
    assertError(api.call("POST", "/sandboxes/" + id + "/connect", Map.of()), 400, "timeout");
    assertError(api.call("POST", "/sandboxes/inope/connect", Map.of("timeout", 30)), 404, "inope");

    assertError(api.call("POST", "/sandboxes/" + id + "/resume", Map.of("timeout", 30)), 409, "already running");
    api.call("POST", "/sandboxes/" + id + "/pause", null);
    assertEquals(201, api.call("POST", "/sandboxes/" + id + "/resume", Map.of("timeout", 30)).code());
    assertEquals(HostedState.RUNNING, runtime.sandboxes().get(0).state());
  }

  @Test
  void listsAllSandboxesPageByPage() throws Exception {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      created.add(api.createId(Map.of("templateID", "base", "timeout", 600)));
    }
    List<String> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String token = null;
    do {
      String path = "/v2/sandboxes?limit=100" + (token == null ? "" : "&nextToken=" + token);
      TestApi.Reply r = api.call("GET", path, null);
      assertEquals(200, r.code(), r.body());
      r.json().forEach(n -> seen.add(n.get("sandboxID").asText()));
      pageSizes.add(r.json().size());
      token = r.header("X-Next-Token");
    } while (token != null);
    assertEquals(List.of(100, 100, 50), pageSizes);
    assertEquals(created, seen, "stable creation order, no duplicates, nothing missing");

    JsonNode first = api.call("GET", "/v2/sandboxes", null).json();
    assertEquals(100, first.size(), "default limit is 100");
    JsonNode listed = first.get(0);
    for (String field : List.of("templateID", "sandboxID", "clientID", "startedAt", "endAt", "cpuCount", "memoryMB",
        "diskSizeMB", "state", "envdVersion", "metadata")) {
      assertNotNull(listed.get(field), field);
    }
    assertError(api.call("GET", "/v2/sandboxes?limit=0", null), 400, "limit");
    assertError(api.call("GET", "/v2/sandboxes?limit=101", null), 400, "limit");
    assertError(api.call("GET", "/v2/sandboxes?limit=ten", null), 400, "limit");
    assertError(api.call("GET", "/v2/sandboxes?nextToken=garbage", null), 400, "nextToken");
  }

  @Test
  void paginationSurvivesKillsBetweenPages() throws Exception {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(api.createId(Map.of("templateID", "base", "timeout", 600)));
    }
    TestApi.Reply page1 = api.call("GET", "/v2/sandboxes?limit=2", null);
    String token = page1.header("X-Next-Token");
    runtime.kill(created.get(2));
    JsonNode page2 = api.call("GET", "/v2/sandboxes?limit=2&nextToken=" + token, null).json();
    assertEquals(List.of(created.get(3), created.get(4)),
        List.of(page2.get(0).get("sandboxID").asText(), page2.get(1).get("sandboxID").asText()));
  }

  @Test
  void filtersByMetadataAndState() throws Exception {
    String a = api.createId(Map.of("templateID", "base", "timeout", 600,
        "metadata", Map.of("team", "alpha beta", "env", "prod")));
    String b = api.createId(Map.of("templateID", "base", "timeout", 600,
        "metadata", Map.of("team", "alpha beta", "env", "dev")));
    String c = api.createId(Map.of("templateID", "base", "timeout", 600, "metadata", Map.of("team", "gamma")));
    api.call("POST", "/sandboxes/" + b + "/pause", null);

    assertEquals(Set.of(a, b), ids(api.call("GET", "/v2/sandboxes?metadata=" + metadata("team=alpha+beta"), null)));
    assertEquals(Set.of(a), ids(api.call("GET", "/v2/sandboxes?metadata="
        + metadata("team=alpha%20beta&env=prod"), null)));
    assertEquals(Set.of(), ids(api.call("GET", "/v2/sandboxes?metadata=" + metadata("team=gamma&env=prod"), null)));
    assertEquals(Set.of(b), ids(api.call("GET", "/v2/sandboxes?state=paused", null)));
    assertEquals(Set.of(a, c), ids(api.call("GET", "/v2/sandboxes?state=running", null)));
    assertEquals(Set.of(a, b, c), ids(api.call("GET", "/v2/sandboxes?state=running,paused", null)));
    assertEquals(Set.of(a, b, c), ids(api.call("GET", "/v2/sandboxes?state=running&state=paused", null)));
    assertEquals(Set.of(b), ids(api.call("GET", "/v2/sandboxes?state=paused&metadata="
        + metadata("team=alpha%20beta"), null)));
    assertError(api.call("GET", "/v2/sandboxes?state=sleeping", null), 400, "state");
    assertError(api.call("GET", "/v2/sandboxes?metadata=" + metadata("justakey"), null), 400, "metadata");

    assertEquals(Set.of(a, c), ids(api.call("GET", "/sandboxes", null)), "v1 lists running sandboxes only");
    assertEquals(Set.of(c), ids(api.call("GET", "/sandboxes?metadata=" + metadata("team=gamma"), null)));
  }

  private static String metadata(String query) {
    return URLEncoder.encode(query, StandardCharsets.UTF_8);
  }

  private static Set<String> ids(TestApi.Reply r) {
    assertEquals(200, r.code(), r.body());
    Set<String> out = new HashSet<>();
    r.json().forEach(n -> out.add(n.get("sandboxID").asText()));
    return out;
  }

  @Test
  void timeoutExpiresOnTheClock() throws Exception {
    String id = api.createId(Map.of("templateID", "base", "timeout", 60));
    String paused = api.createId(Map.of("templateID", "base", "timeout", 60, "autoPause", true));
    clock.advance(Duration.ofSeconds(59));
    assertEquals(200, api.call("GET", "/sandboxes/" + id, null).code());
    clock.advance(Duration.ofSeconds(2));
    assertError(api.call("GET", "/sandboxes/" + id, null), 404, id);
    assertEquals("paused", api.call("GET", "/sandboxes/" + paused, null).json().get("state").asText());
    assertEquals(1, runtime.sandboxCount());
    clock.advance(Duration.ofHours(5));
    assertEquals(HostedState.PAUSED, runtime.sandboxes().get(0).state(), "a paused sandbox does not expire");
  }

  @Test
  void metricsForSeveralSandboxes() throws Exception {
    String a = api.createId(Map.of("templateID", "code-interpreter-v1", "timeout", 600));
    String b = api.createId(Map.of("templateID", "base", "timeout", 600));
    api.execute(a, "x = [0] * 1000000");
    TestApi.Reply r = api.call("GET", "/sandboxes/metrics?sandbox_ids=" + a + "," + b + ",inope", null);
    assertEquals(200, r.code(), r.body());
    JsonNode all = r.json().get("sandboxes");
    assertEquals(2, all.size());
    JsonNode ma = all.get(a);
    assertTrue(ma.get("memUsed").asLong() > 1_000_000, ma.toString());
    assertEquals(1024L * 1024 * 1024, ma.get("memTotal").asLong());
    assertEquals(2, ma.get("cpuCount").asInt());
    assertTrue(ma.get("cpuUsedPct").asDouble() >= 0);
    assertEquals(T0.getEpochSecond(), ma.get("timestampUnix").asLong());
    for (String field : List.of("timestamp", "memCache", "diskUsed", "diskTotal")) {
      assertNotNull(ma.get(field), field);
    }
    assertEquals(0, all.get(b).get("memUsed").asLong(), "no process, no memory");
    assertEquals(512L * 1024 * 1024, all.get(b).get("memTotal").asLong());

    List<String> many = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      many.add("i" + i);
    }
    assertError(api.call("GET", "/sandboxes/metrics?sandbox_ids=" + String.join(",", many), null), 400, "100");
    assertError(api.call("GET", "/sandboxes/metrics", null), 400, "sandbox_ids");

    JsonNode single = api.call("GET", "/sandboxes/" + a + "/metrics", null).json();
    assertTrue(single.isArray());
    assertTrue(single.get(0).get("memUsed").asLong() > 0);
    assertError(api.call("GET", "/sandboxes/inope/metrics", null), 404, "inope");
  }

  @Test
  void logsRecordTheLifecycle() throws Exception {
    String id = api.createId(Map.of("templateID", "base", "timeout", 60));
    api.call("POST", "/sandboxes/" + id + "/pause", null);
    api.call("POST", "/sandboxes/" + id + "/connect", Map.of("timeout", 60));
    api.call("DELETE", "/sandboxes/" + id, null);
    TestApi.Reply r = api.call("GET", "/v2/sandboxes/" + id + "/logs", null);
    assertEquals(200, r.code(), r.body());
    List<String> messages = new ArrayList<>();
    r.json().get("logs").forEach(n -> messages.add(n.get("message").asText()));
    assertEquals(4, messages.size(), messages.toString());
    assertTrue(messages.get(0).startsWith("Sandbox created"), messages.toString());
    assertTrue(messages.get(1).startsWith("Sandbox paused"));
    assertTrue(messages.get(2).startsWith("Sandbox resumed"));
    assertTrue(messages.get(3).startsWith("Sandbox killed"));
    JsonNode entry = r.json().get("logs").get(0);
    assertEquals("info", entry.get("level").asText());
    assertEquals(id, entry.get("fields").get("sandboxID").asText());
    assertEquals(T0.toString(), entry.get("timestamp").asText());

    JsonNode backward = api.call("GET", "/v2/sandboxes/" + id + "/logs?direction=backward&limit=1", null).json();
    assertTrue(backward.get("logs").get(0).get("message").asText().startsWith("Sandbox killed"));
    JsonNode searched = api.call("GET", "/v2/sandboxes/" + id + "/logs?search=paused", null).json();
    assertEquals(1, searched.get("logs").size());
    assertEquals(4, api.call("GET", "/sandboxes/" + id + "/logs", null).json().get("logs").size());
    assertError(api.call("GET", "/v2/sandboxes/inope/logs", null), 404, "inope");
    assertError(api.call("GET", "/v2/sandboxes/" + id + "/logs?limit=5000", null), 400, "limit");
  }

  @Test
  void countsEveryRequestPerOperation() throws Exception {
    String id = api.createId(Map.of("templateID", "base", "timeout", 60));
    api.call("POST", "/sandboxes", Map.of());
    api.call("GET", "/v2/sandboxes", null);
    api.call("GET", "/sandboxes", null, "e2b_wrong");
    api.call("GET", "/sandboxes/" + id, null);
    api.call("POST", "/sandboxes/" + id + "/timeout", Map.of("timeout", 30));
    api.call("DELETE", "/sandboxes/" + id, null);
    Map<ServedOperation, Long> counts = runtime.requestCounts();
    assertEquals(2L, counts.get(ServedOperation.CREATE));
    assertEquals(2L, counts.get(ServedOperation.LIST), "unauthorized requests count too");
    assertEquals(1L, counts.get(ServedOperation.GET));
    assertEquals(1L, counts.get(ServedOperation.SET_TIMEOUT));
    assertEquals(1L, counts.get(ServedOperation.KILL));
    assertEquals(0L, counts.get(ServedOperation.PAUSE));
    runtime.resetCounts();
    assertTrue(runtime.requestCounts().values().stream().allMatch(v -> v == 0));
    api.call("GET", "/v2/sandboxes", null);
    assertEquals(1L, runtime.requestCount(ServedOperation.LIST));
  }

  @Test
  void unknownRoutesAnswer404WithAnErrorBody() throws Exception {
    assertError(api.call("GET", "/nothing/here", null), 404, "no route");
    assertError(api.call("PUT", "/sandboxes", Map.of()), 404, "no route");
    assertFalse(runtime.requestCounts().values().stream().anyMatch(v -> v > 0));
  }
}
