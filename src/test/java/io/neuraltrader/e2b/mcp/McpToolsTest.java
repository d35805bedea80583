package io.neuraltrader.e2b.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tools against the operator as it runs (in-memory API, local E2B runtime, simulated clock), under the
 * operator's recorded client, so RbacIT sees every request the MCP server makes.
 */
@SuppressWarnings("unchecked")
class McpToolsTest {
  private OperatorHarness harness;
  private Map<String, Tool> tools;
  private Caller caller;

  @BeforeEach
  void start() {
    harness = OperatorHarness.start();
    McpSettings settings = new McpSettings(false, "127.0.0.1", 0, null, false, false, Duration.ofMinutes(1));
    tools = new java.util.LinkedHashMap<>();
    McpEndpoints.tools(McpBackend.of(harness.operator()), settings).forEach(t -> tools.put(t.name(), t));
    caller = new Caller("test", Set.of(), false, harness.namespace());
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
    return E2BMcpServer.call(tools.get(tool), caller, args);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> ok(String tool, Map<String, Object> args) {
    McpSchema.CallToolResult r = call(tool, args);
    assertFalse(r.isError(), tool + ": " + text(r));
    return (Map<String, Object>) r.structuredContent();
  }

  private static String text(McpSchema.CallToolResult r) {
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }

  @Test
  void executionRunsInTheSandboxCountsAsActivityAndIsCachedForItsTtl() {
    Map<String, Object> created = ok("create_e2b_sandbox", Map.of("name", "work", "wait", 60));
    assertEquals("Running", created.get("phase"));
    String id = (String) created.get("sandboxId");
    assertNotNull(id);
    Map<String, Object> args = Map.of("name", "work", "code", "import os\nprint(os.environ['Q'])\n6*7",
        "env_vars", Map.of("Q", "it's \"x\"\n"));
    Map<String, Object> first = ok("execute_e2b_process", args);
    assertEquals(false, first.get("cached"));
    assertEquals("it's \"x\"\n\n", first.get("stdout"));
    assertEquals("42", ((List<Map<String, Object>>) (List<?>) first.get("results")).get(0).get("text"));
    long executions = harness.operator().activity().stats(id).orElseThrow().executions();
    assertTrue(executions >= 2, "the env cell and the code are executions: " + executions);

    Map<String, Object> again = ok("execute_e2b_process", args);
    assertEquals(true, again.get("cached"));
    assertEquals(first.get("stdout"), again.get("stdout"));
    assertEquals(executions, harness.operator().activity().stats(id).orElseThrow().executions(),
        "a cached answer executes nothing");

    Map<String, Object> optOut = ok("execute_e2b_process", withEntry(args, "useCache", false));
    assertEquals(false, optOut.get("cached"));
    // Less than the sandbox's E2B timeout (300 s): keep-alive renews it meanwhile.
    harness.advance(Duration.ofSeconds(61));
    assertEquals(false, ok("execute_e2b_process", args).get("cached"), "the TTL has passed");
    assertTrue(harness.operator().activity().stats(id).orElseThrow().executions() > executions);
  }

  @Test
  void aBatchStopsAtTheFirstErrorWithItsTraceback() {
    ok("create_e2b_sandbox", Map.of("name", "batch", "wait", 60));
    Map<String, Object> r = ok("execute_e2b_process", Map.of("name", "batch",
        "codeBlocks", List.of("x = 21", "print(x * 2)", "1/0", "print('never')")));
    assertEquals(false, r.get("success"));
    assertEquals(1, r.get("skippedBlocks"));
    List<Map<String, Object>> blocks = (List<Map<String, Object>>) (List<?>) r.get("blocks");
    assertEquals(3, blocks.size());
    assertEquals("42\n", blocks.get(1).get("stdout"));
    Map<String, Object> error = (Map<String, Object>) blocks.get(2).get("error");
    assertEquals("ZeroDivisionError", error.get("name"));
    assertTrue(((String) error.get("traceback")).contains("ZeroDivisionError"));
  }

  @Test
  void badArgumentsCreateNothing() {
    McpSchema.CallToolResult hostile = call("run_e2b_agent", Map.of("agentType", "momentum", "name", "a1",
        "symbols", List.of("AAPL\"; import os")));
    assertTrue(hostile.isError());
    assertTrue(text(hostile).contains("symbol"), text(hostile));
    McpSchema.CallToolResult env = call("create_e2b_sandbox", Map.of("name", "s1", "env_vars", Map.of("A", "it's")));
    assertTrue(env.isError());
    assertTrue(text(env).startsWith("invalid argument 'env_vars'"), text(env));
    McpSchema.CallToolResult unknown = call("get_e2b_sandbox_status", Map.of("name", "nope"));
    assertTrue(text(unknown).startsWith("invalid argument 'name': no E2BSandbox"), text(unknown));
    assertTrue(harness.client().resources(TradingAgent.class).inNamespace(harness.namespace()).list().getItems()
        .isEmpty());
    assertTrue(harness.client().resources(E2BSandbox.class).inNamespace(harness.namespace()).list().getItems()
        .isEmpty());
  }

  @Test
  void terminateReturnsOnceTheFinalizerVerifiedTheSandboxGone() {
    String id = (String) ok("create_e2b_sandbox", Map.of("name", "gone", "wait", 60)).get("sandboxId");
    Map<String, Object> r = ok("terminate_e2b_sandbox", Map.of("sandboxId", id));
    assertEquals(true, r.get("terminated"));
    assertEquals(null, harness.get(E2BSandbox.class, "gone"));
    assertTrue(harness.runtime().sandboxes().stream().noneMatch(s -> s.sandboxId().equals(id)),
        "the E2B sandbox is gone");
  }

  @Test
  void runAgentCreatesATradingAgentInTheGivenSandbox() {
    ok("create_e2b_sandbox", Map.of("name", "host", "wait", 60));
    String id = (String) ok("get_e2b_sandbox_status", Map.of("name", "host")).get("sandboxId");
    Map<String, Object> agent = ok("run_e2b_agent", Map.of("agentType", "mean_reversion", "name", "mr",
        "symbols", List.of("AAPL"), "sandboxId", id, "capital", 25000, "interval", "30s"));
    assertEquals("mr", agent.get("name"));
    TradingAgent stored = harness.get(TradingAgent.class, "mr");
    assertEquals("host", stored.getSpec().getSandbox().getSandboxRef().getName());
    assertEquals(25000.0, stored.getSpec().getCapital());
    assertEquals("test", stored.getMetadata().getAnnotations().get(SandboxTools.ANNOTATION_CREATED_BY));
  }

  @Test
  void scalePinsInsideAWindowAndAutoScaleReturnsToTheSchedule() {
    // OperatorHarness.START is Monday 09:00 in New York: the window below is active.
    harness.apply(McpFixtures.deployment("""
        schedules:
          - name: session
            timezone: America/New_York
            days: [Mon-Fri]
            start: "08:00"
            end: "16:00"
            replicas: 2
        """));
    harness.awaitResource(E2BDeployment.class, "fleet", d -> d.getStatus() != null
        && Integer.valueOf(2).equals(d.getStatus().getDesiredReplicas()));
    ok("scale_e2b_deployment", Map.of("deploymentId", "fleet", "targetAgents", 3));
    harness.awaitResource(E2BDeployment.class, "fleet", d -> d.getStatus().getManualOverride() != null
        && Integer.valueOf(3).equals(d.getStatus().getDesiredReplicas()));
    ok("scale_e2b_deployment", Map.of("deploymentId", "fleet", "targetAgents", 3, "autoScale", true));
    E2BDeployment back = harness.awaitResource(E2BDeployment.class, "fleet",
        d -> d.getStatus().getManualOverride() == null && Integer.valueOf(2).equals(d.getStatus().getDesiredReplicas()));
    assertEquals(3, back.getSpec().getReplicas(), "targetAgents is the baseline outside the window");
    McpSchema.CallToolResult tooMany = call("scale_e2b_deployment", Map.of("deploymentId", "fleet",
        "targetAgents", 101));
    assertTrue(text(tooMany).startsWith("invalid argument 'targetAgents'"), text(tooMany));
  }

  @Test
  void templatesDeployExportAndTheFleetReportsItsHealth() {
    Map<String, Object> deployed = ok("deploy_e2b_template", Map.of("templateName", "momentum-trading",
        "overrides", Map.of("name", "mom", "capital", 20000)));
    assertEquals("TradingAgent", deployed.get("kind"));
    assertEquals("mom", deployed.get("name"));
    assertEquals(20000.0, harness.get(TradingAgent.class, "mom").getSpec().getCapital());
    McpSchema.CallToolResult missing = call("deploy_e2b_template", Map.of());
    assertTrue(text(missing).startsWith("invalid argument 'templateName': is required; the catalog of "),
        text(missing));
    assertTrue(text(missing).contains("momentum-trading"), text(missing));
    McpSchema.CallToolResult unknown = call("deploy_e2b_template", Map.of("templateName", "scalping"));
    assertTrue(unknown.isError() && text(unknown).contains("scalping"), text(unknown));

    Map<String, Object> exported = ok("export_e2b_template", Map.of("agentName", "mom", "templateName", "mine"));
    assertEquals("1.0.0", exported.get("version"));
    assertTrue(((String) exported.get("yaml")).contains("ConfigMap"), (String) exported.get("yaml"));
    assertEquals("1.0.1", ok("export_e2b_template", Map.of("agentName", "mom", "templateName", "mine"))
        .get("version"));
    assertTrue(text(call("export_e2b_template", Map.of())).startsWith("invalid argument 'agentName'"));

    Map<String, Object> health = ok("monitor_e2b_health", Map.of());
    assertEquals(harness.namespace(), health.get("namespace"));
    assertTrue(List.of("ok", "warning", "critical").contains(health.get("status")), health.toString());
    assertEquals(5, ((List<?>) health.get("thresholds")).size());
  }

  private static Map<String, Object> withEntry(Map<String, Object> m, String k, Object v) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>(m);
    copy.put(k, v);
    return copy;
  }
}
