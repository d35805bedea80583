package io.neuraltrader.e2b.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlPlaneTest {
  private final Fixture fx = new Fixture();
  private final HttpE2BClient client = fx.client();
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  private RecordedRequest take() throws InterruptedException {
    return fx.server.takeRequest();
  }

  @Test
  void createSendsSpecFieldNamesAndParsesSandbox() throws Exception {
    fx.enqueue(201, Fixture.SANDBOX_JSON);
    NewSandbox req = NewSandbox.builder("code-interpreter-v1").timeoutSeconds(300).autoPause(true).secure(true)
        .allowInternetAccess(false).network(new NetworkConfig(List.of("8.8.8.8/32"), List.of("0.0.0.0/0"), false))
        .metadata(Map.of("owner", "ns/a")).envVars(Map.of("TOKEN", "s3cr3t")).build();

    Sandbox sb = client.create(req);

    assertEquals("isb123", sb.sandboxID());
    assertEquals("code-interpreter-v1", sb.templateID());
    assertEquals("ci", sb.alias());
    assertEquals("6532622b", sb.clientID());
    assertEquals("0.2.0", sb.envdVersion());
    assertEquals("tok-1", sb.envdAccessToken());
    assertEquals("e2b.app", sb.domain());
    assertFalse(sb.toString().contains("tok-1"), "access token is redacted in toString");
    assertFalse(req.toString().contains("s3cr3t"), "env var values are redacted in toString");

    RecordedRequest r = take();
    assertEquals("POST", r.getMethod());
    assertEquals("/sandboxes", r.getPath());
    assertEquals(Fixture.KEY, r.getHeader("X-API-Key"));
    JsonNode body = json.readTree(r.getBody().readUtf8());
    assertEquals("code-interpreter-v1", body.get("templateID").asText());
    assertEquals(300, body.get("timeout").asInt());
    assertTrue(body.get("autoPause").asBoolean());
    assertTrue(body.get("secure").asBoolean());
    assertFalse(body.get("allow_internet_access").asBoolean());
    assertEquals("8.8.8.8/32", body.get("network").get("allowOut").get(0).asText());
    assertEquals("0.0.0.0/0", body.get("network").get("denyOut").get(0).asText());
    assertFalse(body.get("network").get("allowPublicTraffic").asBoolean());
    assertEquals("ns/a", body.get("metadata").get("owner").asText());
    assertEquals("s3cr3t", body.get("envVars").get("TOKEN").asText());
  }

  @Test
  void createOmitsUnsetFields() throws Exception {
    fx.enqueue(201, Fixture.SANDBOX_JSON);
    client.create(NewSandbox.builder("base").build());
    JsonNode body = json.readTree(take().getBody().readUtf8());
    assertEquals(1, body.size(), body.toString());
  }

  @Test
  void newSandboxRequiresTemplate() {
    assertThrows(IllegalArgumentException.class, () -> NewSandbox.builder(" ").build());
  }

  @Test
  void listSendsFiltersAndReadsNextToken() throws Exception {
    fx.server.enqueue(Fixture.json(200, "[" + listed("a", "running") + "]").setHeader("X-Next-Token", "tok2"));
    Map<String, String> md = new LinkedHashMap<>();
    md.put("owner", "ns/a b");
    md.put("app", "e2b&op");

    Page<ListedSandbox> page = client.list(ListQuery.byMetadata(md)
        .withStates(Set.of(SandboxState.PAUSED, SandboxState.RUNNING)).withLimit(50).withNextToken("tok1"));

    assertEquals("tok2", page.nextToken());
    ListedSandbox s = page.items().get(0);
    assertEquals("a", s.sandboxID());
    assertEquals(SandboxState.RUNNING, s.state());
    assertEquals(Instant.parse("2025-01-02T09:00:00Z"), s.startedAt());
    assertEquals(Instant.parse("2025-01-02T10:00:00Z"), s.endAt());
    assertEquals(2, s.cpuCount());
    assertEquals(512, s.memoryMB());
    assertEquals(1024, s.diskSizeMB());
    assertEquals("x", s.metadata().get("k"));

    RecordedRequest r = take();
    assertEquals("GET", r.getMethod());
    assertEquals("/v2/sandboxes", r.getRequestUrl().encodedPath());
    // The parameter as E2B's API reads it after the URL decoding: pairs joined by & and =, each key and value
    // still escaped twice (the API unescapes the whole, splits, then unescapes each part).
    assertEquals("app=e2b%2526op&owner=ns%252Fa%2Bb", r.getRequestUrl().queryParameter("metadata"));
    assertEquals("running,paused", r.getRequestUrl().queryParameter("state"));
    assertEquals("50", r.getRequestUrl().queryParameter("limit"));
    assertEquals("tok1", r.getRequestUrl().queryParameter("nextToken"));
  }

  @Test
  void listAllFollowsPagesUntilNoToken() throws Exception {
    fx.server.enqueue(Fixture.json(200, "[" + listed("a", "running") + "," + listed("b", "paused") + "]")
        .setHeader("X-Next-Token", "p2"));
    fx.server.enqueue(Fixture.json(200, "[" + listed("c", "running") + "]").setHeader("X-Next-Token", "p3"));
    fx.enqueue(200, "[" + listed("d", "mystery") + "]");

    List<ListedSandbox> all = client.listAll(Map.of("owner", "x"), Set.of());

    List<String> ids = new ArrayList<>();
    all.forEach(s -> ids.add(s.sandboxID()));
    assertEquals(List.of("a", "b", "c", "d"), ids);
    assertEquals(SandboxState.PAUSED, all.get(1).state());
    assertEquals(SandboxState.UNKNOWN, all.get(3).state());
    RecordedRequest first = take();
    assertNull(first.getRequestUrl().queryParameter("nextToken"));
    assertEquals("100", first.getRequestUrl().queryParameter("limit"));
    assertNull(first.getRequestUrl().queryParameter("state"));
    assertEquals("owner=x", first.getRequestUrl().queryParameter("metadata"));
    assertEquals("p2", take().getRequestUrl().queryParameter("nextToken"));
    assertEquals("p3", take().getRequestUrl().queryParameter("nextToken"));
  }

  @Test
  void listAllRefusesAPaginationLoop() {
    fx.server.enqueue(Fixture.json(200, "[]").setHeader("X-Next-Token", "same"));
    fx.server.enqueue(Fixture.json(200, "[]").setHeader("X-Next-Token", "same"));
    assertThrows(ServerException.class, () -> client.listAll(Map.of(), Set.of()));
  }

  @Test
  void listRejectsOutOfRangeLimit() {
    assertThrows(IllegalArgumentException.class, () -> ListQuery.all().withLimit(101));
    assertThrows(IllegalArgumentException.class, () -> ListQuery.all().withLimit(0));
  }

  @Test
  void getParsesDetail() throws Exception {
    fx.enqueue(200, Fixture.DETAIL_JSON);
    SandboxDetail d = client.get("isb123");
    assertEquals("isb123", d.sandboxID());
    assertEquals(SandboxState.RUNNING, d.state());
    assertEquals(Instant.parse("2025-01-02T10:05:00.5Z"), d.endAt());
    assertEquals("ns/a", d.metadata().get("owner"));
    RecordedRequest r = take();
    assertEquals("GET", r.getMethod());
    assertEquals("/sandboxes/isb123", r.getPath());
    assertEquals(Fixture.KEY, r.getHeader("X-API-Key"));
  }

  @Test
  void killReturnsTrueOn204AndFalseWhenAlreadyGone() throws Exception {
    fx.server.enqueue(new okhttp3.mockwebserver.MockResponse().setResponseCode(204));
    fx.enqueue(404, Fixture.error(404, "sandbox not found"));
    assertTrue(client.kill("isb1"));
    assertFalse(client.kill("isb2"));
    RecordedRequest r = take();
    assertEquals("DELETE", r.getMethod());
    assertEquals("/sandboxes/isb1", r.getPath());
    assertEquals(1, fx.timerCount("kill", "not_found"));
  }

  @Test
  void setTimeoutPostsTimeoutField() throws Exception {
    fx.server.enqueue(new okhttp3.mockwebserver.MockResponse().setResponseCode(204));
    client.setTimeout("isb1", 600);
    RecordedRequest r = take();
    assertEquals("POST", r.getMethod());
    assertEquals("/sandboxes/isb1/timeout", r.getPath());
    assertEquals("{\"timeout\":600}", r.getBody().readUtf8());
  }

  @Test
  void pauseAndConflict() throws Exception {
    fx.server.enqueue(new okhttp3.mockwebserver.MockResponse().setResponseCode(204));
    fx.enqueue(409, Fixture.error(409, "sandbox is already paused"));
    client.pause("isb1");
    ConflictException e = assertThrows(ConflictException.class, () -> client.pause("isb1"));
    assertEquals(409, e.status());
    assertEquals("sandbox is already paused", e.e2bMessage().orElseThrow());
    RecordedRequest r = take();
    assertEquals("POST", r.getMethod());
    assertEquals("/sandboxes/isb1/pause", r.getPath());
  }

  /** The messages of E2B's API: a 409 is "already paused" only when it says so. */
  @Test
  void conflictsTellPausedFromTransitioning() {
    fx.enqueue(409, Fixture.error(409, "Error pausing sandbox - sandbox 'isb1' is already paused"));
    fx.enqueue(409, Fixture.error(409, "Sandbox 'isb1' cannot be paused while in 'pausing' state"));
    fx.enqueue(409, Fixture.error(409, "Sandbox 'isb1' cannot be paused while in 'killing' state"));
    fx.enqueue(409, Fixture.error(409, "Sandbox 'isb1' cannot be paused while in 'snapshotting' state"));
    fx.enqueue(409, Fixture.error(409, "Sandbox \"isb1\" is being killed (started at 2026-03-02T14:00:00Z via API request)"));
    fx.enqueue(409, Fixture.error(409, "Sandbox \"isb1\" is in killing state"));
    List<ConflictException.SandboxCondition> seen = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      seen.add(assertThrows(ConflictException.class, () -> client.pause("isb1")).sandboxCondition());
    }
    for (int i = 0; i < 2; i++) {
      seen.add(assertThrows(ConflictException.class, () -> client.connect("isb1", 60)).sandboxCondition());
    }
    assertEquals(List.of(ConflictException.SandboxCondition.PAUSED, ConflictException.SandboxCondition.PAUSING,
        ConflictException.SandboxCondition.KILLING, ConflictException.SandboxCondition.SNAPSHOTTING,
        ConflictException.SandboxCondition.KILLING, ConflictException.SandboxCondition.KILLING), seen);
  }

  @Test
  void metadataFilterDecodesOnTheServersThreeLayersToTheOriginalPairs() throws Exception {
    fx.enqueue(200, "[]");
    Map<String, String> md = Map.of("a+b", "1+1=2 & 50%", "k", "x&y=z");
    client.list(ListQuery.byMetadata(md));
    String param = take().getRequestUrl().queryParameter("metadata"); // the URL layer, decoded
    Map<String, String> decoded = new java.util.HashMap<>();
    for (String pair : java.net.URLDecoder.decode(param, java.nio.charset.StandardCharsets.UTF_8).split("&")) {
      String[] kv = pair.split("=");
      assertEquals(2, kv.length, pair);
      decoded.put(java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
    }
    assertEquals(md, decoded);
  }

  @Test
  void instanceIdsThatCannotBeATagAreRefusedAtStart() {
    assertEquals("e2b-operator", MetadataFilter.checkInstanceId("e2b-operator"));
    assertEquals("prod.eu_1", MetadataFilter.checkInstanceId("prod.eu_1"));
    for (String bad : new String[] {"", "a b", "x&y", "a=b", "50%", "-lead", "trail-", "a".repeat(64), "ü"}) {
      assertThrows(IllegalArgumentException.class, () -> MetadataFilter.checkInstanceId(bad), bad);
    }
    IllegalArgumentException atStart = assertThrows(IllegalArgumentException.class,
        () -> io.neuraltrader.e2b.OperatorConfig.fromEnvironment(Map.of("OPERATOR_INSTANCE_ID", "team a+b"), false));
    assertTrue(atStart.getMessage().contains("OPERATOR_INSTANCE_ID"), atStart.getMessage());
  }

  @Test
  void connectTellsRunningFromResumed() throws Exception {
    fx.enqueue(200, Fixture.SANDBOX_JSON);
    fx.enqueue(201, Fixture.SANDBOX_JSON);
    ConnectResult running = client.connect("isb123", 120);
    ConnectResult resumed = client.connect("isb123", 120);
    assertFalse(running.resumed());
    assertTrue(resumed.resumed());
    assertEquals("isb123", resumed.sandbox().sandboxID());
    RecordedRequest r = take();
    assertEquals("POST", r.getMethod());
    assertEquals("/sandboxes/isb123/connect", r.getPath());
    assertEquals("{\"timeout\":120}", r.getBody().readUtf8());
  }

  @Test
  void metricsBatchesByHundredAndMerges() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      ids.add("sb" + i);
    }
    fx.enqueue(200, "{\"sandboxes\":{\"sb0\":" + metric(10) + ",\"sb99\":" + metric(20) + "}}");
    fx.enqueue(200, "{\"sandboxes\":{\"sb149\":" + metric(30) + "}}");

    Map<String, SandboxMetric> m = client.metrics(ids);

    assertEquals(Set.of("sb0", "sb99", "sb149"), m.keySet());
    SandboxMetric s = m.get("sb149");
    assertEquals(30.0, s.cpuUsedPct());
    assertEquals(2, s.cpuCount());
    assertEquals(1000, s.memUsed());
    assertEquals(4000, s.memTotal());
    assertEquals(50, s.diskUsed());
    assertEquals(900, s.diskTotal());
    assertEquals(Instant.ofEpochSecond(1735812000), s.sampledAt());
    RecordedRequest first = take();
    assertEquals("/sandboxes/metrics", first.getRequestUrl().encodedPath());
    String[] batch1 = first.getRequestUrl().queryParameter("sandbox_ids").split(",");
    assertEquals(100, batch1.length);
    assertEquals("sb0", batch1[0]);
    String[] batch2 = take().getRequestUrl().queryParameter("sandbox_ids").split(",");
    assertEquals(50, batch2.length);
    assertEquals("sb100", batch2[0]);
  }

  @Test
  void metricsOfNothingMakesNoCall() {
    assertTrue(client.metrics(List.of()).isEmpty());
    assertEquals(0, fx.server.getRequestCount());
  }

  @Test
  void sandboxMetricsParsesList() throws Exception {
    fx.enqueue(200, "[" + metric(1) + "," + metric(2) + "]");
    List<SandboxMetric> list = client.sandboxMetrics("isb1");
    assertEquals(2, list.size());
    assertEquals(2.0, list.get(1).cpuUsedPct());
    assertEquals("/sandboxes/isb1/metrics", take().getPath());
  }

  @Test
  void rejectsSandboxIdsThatWouldChangeTheUrl() {
    assertThrows(IllegalArgumentException.class, () -> client.get("../teams"));
    assertThrows(IllegalArgumentException.class, () -> client.kill("a.evil.com"));
    assertEquals(0, fx.server.getRequestCount());
  }

  @Test
  void apiUrlDefaultsFromDomain() {
    E2BClientConfig c = E2BClientConfig.builder(ApiKey.of("k")).domain("e2b.example.org").build();
    assertEquals("https://api.e2b.example.org", c.apiUrl());
    assertEquals("https://api.e2b.app", E2BClientConfig.builder(ApiKey.of("k")).build().apiUrl());
    assertEquals("https://49999-isb1.e2b.example.org", HttpE2BClient.sandboxBaseUrl("isb1", "e2b.example.org"));
  }

  private static String listed(String id, String state) {
    return "{\"templateID\":\"t\",\"sandboxID\":\"" + id + "\",\"clientID\":\"c\","
        + "\"startedAt\":\"2025-01-02T09:00:00Z\",\"endAt\":\"2025-01-02T10:00:00Z\",\"cpuCount\":2,"
        + "\"memoryMB\":512,\"diskSizeMB\":1024,\"metadata\":{\"k\":\"x\"},\"state\":\"" + state + "\","
        + "\"envdVersion\":\"0.2.0\",\"volumeMounts\":[]}";
  }

  private static String metric(int cpu) {
    return "{\"timestamp\":\"2025-01-02T10:00:00Z\",\"timestampUnix\":1735812000,\"cpuCount\":2,\"cpuUsedPct\":"
        + cpu + ",\"memUsed\":1000,\"memTotal\":4000,\"memCache\":10,\"diskUsed\":50,\"diskTotal\":900}";
  }
}
