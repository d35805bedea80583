package io.neuraltrader.e2b.mcp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neuraltrader.e2b.testing.JarProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MCP server as an agent meets it: the packaged jar in local mode, driven by the official TypeScript SDK
 * client ({@code src/test/mcp-client}, installed by the build with npm ci) over streamable HTTP (bearer tokens)
 * and over stdio ({@code mcp --local}), every tool called, plus the auth, read-only and bad-argument cases.
 */
class McpClientIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CLIENT_DIR = Path.of("src", "test", "mcp-client");
  private static final String WRITER = "writer-token-0123456789abcdef";
  private static final String READER = "reader-token-0123456789abcdef";
  private static final String TRADING_ONLY = "trading-token-0123456789abcd";
  /** The platform's ten tools. */
  static final Set<String> TOOLS = Set.of("create_e2b_sandbox", "execute_e2b_process", "list_e2b_sandboxes",
      "get_e2b_sandbox_status", "terminate_e2b_sandbox", "run_e2b_agent", "scale_e2b_deployment",
      "deploy_e2b_template", "export_e2b_template", "monitor_e2b_health");
  static final Set<String> READ_TOOLS = Set.of("list_e2b_sandboxes", "get_e2b_sandbox_status", "monitor_e2b_health");

  private static Path dir;
  private static JarProcess http;
  private static String url;

  @BeforeAll
  static void startLocalMode() throws Exception {
    dir = Files.createDirectories(Path.of("target", "mcp-it")).toAbsolutePath();
    Files.writeString(dir.resolve("fixtures.yaml"), """
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata:
          name: warm
        spec:
          replicas: 1
          maxSandboxes: 4
          template:
            spec:
              template: code-interpreter-v1
        ---
        """ + McpFixtures.deployment(""));
    Files.writeString(dir.resolve("tokens.yaml"), """
        tokens:
          - name: writer
            token: "%s"
          - name: reader
            token: "%s"
            readOnly: true
          - name: trading-desk
            token: "%s"
            namespaces: [trading]
        """.formatted(WRITER, READER, TRADING_ONLY));
    http = JarProcess.start(Map.of("MCP_PORT", "0", "MCP_TOKENS_FILE", dir.resolve("tokens.yaml").toString()),
        "--local", "--examples", dir.resolve("fixtures.yaml").toString(), "--metrics-port", "0",
        "--table-interval", "60000");
    String prefix = "MCP (streamable HTTP): ";
    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() ->
        !http.process().isAlive() || http.stdout().stream().anyMatch(l -> l.startsWith("applied ")));
    assertTrue(http.process().isAlive(), http.tail());
    url = http.stdout().stream().filter(l -> l.startsWith(prefix)).findFirst()
        .map(l -> l.substring(prefix.length()).trim()).orElseThrow(() -> new AssertionError(http.tail()));
    assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/mcp"), url);
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) {
      http.terminate();
      http.process().waitFor(60, TimeUnit.SECONDS);
      http.close();
      String all = String.join("\n", http.stdout()) + String.join("\n", http.stderr());
      for (String token : List.of(WRITER, READER, TRADING_ONLY)) {
        assertFalse(all.contains(token), "a token reached the operator's output");
      }
    }
  }

  @Test
  void everyToolOverStreamableHttp() throws Exception {
    JsonNode out = client(httpPlan(WRITER, everyToolCalls()));
    assertEveryTool(out);
  }

  @Test
  void everyToolOverStdio() throws Exception {
    assertEveryTool(client(stdioPlan(everyToolCalls())));
  }

  @Test
  void stdioReadOnlyServesOnlyTheReadTools() throws Exception {
    JsonNode out = client(stdioPlan(calls(call("create_e2b_sandbox", Map.of()), call("list_e2b_sandboxes", Map.of())),
        "--read-only"));
    assertEquals(READ_TOOLS, toolNames(out));
    JsonNode create = out.path("results").get(0);
    assertTrue(create.path("isError").asBoolean() || create.has("protocolError"), create.toString());
    assertFalse(out.path("results").get(1).path("isError").asBoolean(), out.toString());
  }

  @Test
  void httpRefusesMissingAndUnknownTokens() throws Exception {
    JsonNode none = client(httpPlan(null, calls()));
    assertEquals(401, none.path("connectErrorCode").asInt(), none.toString());
    assertTrue(none.path("connectError").asText().contains("a valid bearer token is required"), none.toString());
    JsonNode wrong = client(httpPlan("not-a-token-0123456789", calls()));
    assertEquals(401, wrong.path("connectErrorCode").asInt(), wrong.toString());
  }

  @Test
  void aReadOnlyTokenSeesAndCallsOnlyTheReadTools() throws Exception {
    JsonNode out = client(httpPlan(READER, calls(call("list_e2b_sandboxes", Map.of()),
        call("create_e2b_sandbox", Map.of("name", "ro")))));
    assertEquals(READ_TOOLS, toolNames(out));
    assertFalse(out.path("results").get(0).path("isError").asBoolean(), out.toString());
    JsonNode refused = out.path("results").get(1);
    assertTrue(refused.path("isError").asBoolean(), refused.toString());
    assertEquals("create_e2b_sandbox changes resources; reader is read-only", refused.path("text").asText());
  }

  @Test
  void aTokensNamespacesBoundItsCalls() throws Exception {
    JsonNode out = client(httpPlan(TRADING_ONLY, calls(
        call("list_e2b_sandboxes", Map.of("namespace", "default")),
        call("list_e2b_sandboxes", Map.of()))));
    JsonNode other = out.path("results").get(0);
    assertTrue(other.path("isError").asBoolean());
    assertEquals("namespace 'default' is not allowed for trading-desk", other.path("text").asText());
    JsonNode own = out.path("results").get(1);
    assertFalse(own.path("isError").asBoolean(), own.toString());
    assertEquals("trading", own.path("structured").path("namespace").asText());
  }

  /** Every tool once, plus bad arguments; names are fixed so later calls can refer to earlier results. */
  private static ArrayNode everyToolCalls() {
    return calls(
        call("create_e2b_sandbox", Map.of("name", "s1", "timeout", 900, "wait", 120)),
        call("execute_e2b_process", Map.of("name", "s1", "code", "import os\nprint(os.environ['Q'])\n6*7",
            "env_vars", Map.of("Q", "it's \"data\"; import os"))),
        call("execute_e2b_process", Map.of("name", "s1", "code", "import os\nprint(os.environ['Q'])\n6*7",
            "env_vars", Map.of("Q", "it's \"data\"; import os"))),
        call("execute_e2b_process", Map.of("name", "s1", "codeBlocks", List.of("x = 21", "print(x * 2)", "1/0",
            "print('never')"))),
        call("list_e2b_sandboxes", Map.of("filter", "running")),
        call("get_e2b_sandbox_status", Map.of("name", "s1")),
        call("create_e2b_sandbox", Map.of("fromPool", "warm", "wait", 120)),
        call("run_e2b_agent", Map.of("agentType", "momentum", "name", "a1", "symbols", List.of("AAPL", "MSFT"),
            "strategyParams", Map.of("period", 5), "capital", 50000)),
        call("scale_e2b_deployment", Map.of("deploymentId", "fleet", "targetAgents", 2)),
        call("create_e2b_sandbox", Map.of("timeout", "soon")),
        call("run_e2b_agent", Map.of("agentType", "scalping")),
        call("execute_e2b_process", Map.of("name", "s1", "code", "1", "colour", "blue")),
        call("terminate_e2b_sandbox", Map.of("name", "s1")),
        call("get_e2b_sandbox_status", Map.of("name", "s1")),
        call("deploy_e2b_template", Map.of("templateName", "pairs-trading", "replicas", 2,
            "overrides", Map.of("name", "pairs"))),
        call("export_e2b_template", Map.of("agentName", "a1", "templateName", "a1-tuned", "includeData", false)),
        call("monitor_e2b_health", Map.of()),
        call("deploy_e2b_template", Map.of("templateName", "momentum-trading", "replicas", 500)));
  }

  private static void assertEveryTool(JsonNode out) {
    assertFalse(out.has("connectError"), out.toString());
    assertEquals(TOOLS, toolNames(out));
    for (JsonNode t : out.path("tools")) {
      assertEquals("object", t.path("schema").path("type").asText(), t.toString());
      assertTrue(t.path("schema").path("properties").has("namespace"), t.path("name") + " takes namespace");
    }
    JsonNode r = out.path("results");
    JsonNode created = ok(r.get(0));
    assertEquals("s1", created.path("name").asText());
    assertEquals("Running", created.path("phase").asText(), created.toString());
    assertFalse(created.path("sandboxId").asText().isEmpty());

    JsonNode first = ok(r.get(1));
    assertEquals("it's \"data\"; import os\n", first.path("stdout").asText());
    assertEquals("42", first.path("results").get(0).path("text").asText());
    assertFalse(first.path("cached").asBoolean());
    assertTrue(first.path("durationMs").asLong() >= 0);
    JsonNode second = ok(r.get(2));
    assertTrue(second.path("cached").asBoolean(), "identical call within the TTL is cached: " + second);

    JsonNode batch = ok(r.get(3));
    assertFalse(batch.path("success").asBoolean());
    assertEquals(3, batch.path("blocks").size());
    assertEquals("42\n", batch.path("blocks").get(1).path("stdout").asText());
    assertEquals("ZeroDivisionError", batch.path("blocks").get(2).path("error").path("name").asText());
    assertTrue(batch.path("blocks").get(2).path("error").path("traceback").asText().contains("ZeroDivisionError"));

    JsonNode running = ok(r.get(4));
    List<String> names = new ArrayList<>();
    running.path("sandboxes").forEach(s -> names.add(s.path("name").asText()));
    assertTrue(names.contains("s1"), names.toString());
    JsonNode status = ok(r.get(5));
    assertEquals(created.path("sandboxId").asText(), status.path("sandboxId").asText());
    assertTrue(status.has("uptimeSeconds") && status.has("health") && status.has("estimatedCostUSD"),
        status.toString());

    JsonNode pooled = ok(r.get(6));
    assertTrue(pooled.path("fromPool").asBoolean());
    assertEquals("warm", pooled.path("pool").asText());
    assertEquals("claimed", pooled.path("poolState").asText());

    JsonNode agent = ok(r.get(7));
    assertEquals("a1", agent.path("name").asText());
    assertEquals("momentum", agent.path("strategy").asText());

    JsonNode scaled = ok(r.get(8));
    assertEquals(2, scaled.path("deployment").path("specReplicas").asInt(), scaled.toString());

    assertError(r.get(9), "invalid argument 'timeout'");
    assertError(r.get(10), "invalid argument 'agentType'");
    assertError(r.get(11), "invalid argument 'colour'");

    JsonNode terminated = ok(r.get(12));
    assertTrue(terminated.path("terminated").asBoolean(), terminated.toString());
    assertError(r.get(13), "invalid argument 'name': no E2BSandbox");

    JsonNode deployed = ok(r.get(14));
    assertEquals("E2BDeployment", deployed.path("kind").asText(), deployed.toString());
    assertEquals("pairs", deployed.path("name").asText());
    assertEquals(2, deployed.path("replicas").asInt());
    JsonNode exported = ok(r.get(15));
    assertEquals("a1-tuned", exported.path("name").asText(), exported.toString());
    assertEquals("1.0.0", exported.path("version").asText());
    assertTrue(exported.path("yaml").asText().contains("ConfigMap"), exported.toString());
    JsonNode health = ok(r.get(16));
    assertTrue(health.path("sandboxes").path("total").asInt() >= 2, health.toString());
    assertTrue(health.has("projectedMonthlyCostUSD") && health.has("thresholds"), health.toString());
    assertError(r.get(17), "invalid argument 'replicas'");
  }

  private static JsonNode ok(JsonNode result) {
    assertFalse(result.has("protocolError"), result.toString());
    assertFalse(result.path("isError").asBoolean(), result.toString());
    return result.path("structured");
  }

  private static void assertError(JsonNode result, String start) {
    assertTrue(result.path("isError").asBoolean(), result.toString());
    assertTrue(result.path("text").asText().startsWith(start), result.toString());
  }

  private static Set<String> toolNames(JsonNode out) {
    Set<String> names = new TreeSet<>();
    out.path("tools").forEach(t -> names.add(t.path("name").asText()));
    return names;
  }

  private static ObjectNode httpPlan(String token, ArrayNode calls) {
    ObjectNode plan = JSON.createObjectNode();
    plan.put("transport", "http");
    plan.put("url", url);
    if (token != null) {
      plan.put("token", token);
    }
    plan.set("calls", calls);
    return plan;
  }

  /** {@code java -jar e2b-operator.jar mcp --local [options]}, started by the client over stdio. */
  private static ObjectNode stdioPlan(ArrayNode calls, String... options) {
    ObjectNode plan = JSON.createObjectNode();
    plan.put("transport", "stdio");
    ArrayNode command = plan.putArray("command");
    List.of(java(), "-jar", JarProcess.JAR.toAbsolutePath().toString(), "mcp", "--local").forEach(command::add);
    List.of(options).forEach(command::add);
    command.add("--examples");
    command.add(dir.resolve("fixtures.yaml").toString());
    plan.set("env", JSON.valueToTree(minimalEnv()));
    plan.set("calls", calls);
    return plan;
  }

  private static ObjectNode call(String tool, Map<String, Object> args) {
    ObjectNode c = JSON.createObjectNode();
    c.put("tool", tool);
    c.set("args", JSON.valueToTree(args));
    return c;
  }

  private static ArrayNode calls(ObjectNode... calls) {
    ArrayNode a = JSON.createArrayNode();
    for (ObjectNode c : calls) {
      a.add(c);
    }
    return a;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** PATH and HOME only: no kubeconfig, E2B key or cluster variables reach the stdio server. */
  private static Map<String, String> minimalEnv() {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("PATH", System.getenv("PATH"));
    if (System.getenv("HOME") != null) {
      env.put("HOME", System.getenv("HOME"));
    }
    return env;
  }

  /** Runs the TypeScript client with a plan; its one line of JSON output. */
  private static JsonNode client(ObjectNode plan) throws IOException, InterruptedException {
    Process node = new ProcessBuilder("node", "client.mjs").directory(CLIENT_DIR.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("client-stderr.log").toFile())).start();
    node.getOutputStream().write(JSON.writeValueAsBytes(plan));
    node.getOutputStream().close();
    byte[] stdout = node.getInputStream().readAllBytes();
    assertTrue(node.waitFor(10, TimeUnit.MINUTES), "the client finishes");
    String text = new String(stdout, StandardCharsets.UTF_8).trim();
    assertEquals(0, node.exitValue(), text + "\n" + Files.readString(dir.resolve("client-stderr.log")));
    return JSON.readTree(text.substring(text.lastIndexOf('\n') + 1));
  }
}
