package io.neuraltrader.e2b.local.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.neuraltrader.e2b.local.SimulatedClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeExecutionTest {

  private SimulatedClock clock;
  private LocalSandboxRuntime runtime;
  private TestApi api;

  @BeforeEach
  void start() {
    clock = SimulatedClock.frozenAt(Instant.parse("2025-03-03T14:30:00Z"));
    runtime = LocalSandboxRuntime.start(RuntimeConfig.builder().clock(clock)
        .keepaliveInterval(Duration.ofMillis(100)).build());
    api = new TestApi(runtime);
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  private String sandbox() throws Exception {
    return api.createId(Map.of("templateID", "code-interpreter-v1", "timeout", 600));
  }

  private static List<String> types(List<JsonNode> lines) {
    List<String> out = new ArrayList<>();
    lines.forEach(n -> out.add(n.get("type").asText()));
    return out;
  }

  @Test
  void variablesPersistAndTheTrailingExpressionIsTheResult() throws Exception {
    String id = sandbox();
    List<JsonNode> first = api.execute(id, "x = 41\nprint('set')");
    assertEquals("set\n", TestApi.stdout(first));
    assertEquals("end_of_execution", first.get(first.size() - 1).get("type").asText());
    assertEquals(1, TestApi.first(first, "number_of_executions").get("execution_count").asInt());

    List<JsonNode> second = api.execute(id, "y = x + 1\ny");
    JsonNode result = TestApi.first(second, "result");
    assertNotNull(result, second.toString());
    assertEquals("42", result.get("text").asText());
    assertTrue(result.get("is_main_result").asBoolean());
    assertEquals(2, TestApi.first(second, "number_of_executions").get("execution_count").asInt());
    assertEquals("end_of_execution", second.get(second.size() - 1).get("type").asText());

    assertEquals("'abc'", TestApi.first(api.execute(id, "'abc'"), "result").get("text").asText());
    assertEquals(null, TestApi.first(api.execute(id, "None"), "result"), "None is no result");
  }

  /** Sandbox code runs on E2B's machines, not the operator's: here it gets the lowest CPU priority. */
  @Test
  void theKernelRunsAtTheLowestCpuPriority() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(Path.of("/usr/bin/nice")),
        "coreutils' nice is on every Linux machine this project supports");
    String id = sandbox();
    List<JsonNode> lines = api.execute(id, "import os\nos.nice(0)");
    JsonNode result = TestApi.first(lines, "result");
    assertNotNull(result, lines.toString());
    assertEquals("19", result.get("text").asText());
  }

  @Test
  void printedLinesStreamAsSeparateMessages() throws Exception {
    String id = sandbox();
    String code = "import time, sys\n"
        + "for i in range(4):\n"
        + "    print('line', i, flush=True)\n"
        + "    time.sleep(0.05)\n"
        + "print('oops', file=sys.stderr)\n";
    List<JsonNode> lines = api.execute(id, code);
    List<JsonNode> stdout = lines.stream().filter(n -> n.get("type").asText().equals("stdout")).toList();
    assertEquals(4, stdout.size(), lines.toString());
    for (int i = 0; i < 4; i++) {
      assertEquals("line " + i + "\n", stdout.get(i).get("text").asText());
      // E2B sends the Jupyter message date as an ISO-8601 string, not a number.
      assertTrue(stdout.get(i).get("timestamp").isTextual(), stdout.get(i).toString());
      java.time.OffsetDateTime.parse(stdout.get(i).get("timestamp").asText());
    }
    JsonNode stderr = TestApi.first(lines, "stderr");
    assertEquals("oops\n", stderr.get("text").asText());
    List<String> types = types(lines);
    assertTrue(types.lastIndexOf("stdout") < types.indexOf("end_of_execution"));
  }

  /** The code only continues after the test has seen its first line, so buffering until the end would hang. */
  @Test
  void outputArrivesWhileTheCodeRuns(@TempDir Path dir) throws Exception {
    String id = sandbox();
    Path go = dir.resolve("go");
    String code = "import os, time\n"
        + "print('waiting', flush=True)\n"
        + "deadline = time.time() + 20\n"
        + "while not os.path.exists(" + pyString(go) + ") and time.time() < deadline:\n"
        + "    time.sleep(0.01)\n"
        + "print('released' if os.path.exists(" + pyString(go) + ") else 'never released')\n";
    List<JsonNode> seen = new CopyOnWriteArrayList<>();
    List<JsonNode> lines = api.execute(id, Map.of("code", code), null, n -> {
      seen.add(n);
      if (n.path("text").asText().equals("waiting\n")) {
        try {
          Files.writeString(go, "1");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });
    assertEquals("waiting\nreleased\n", TestApi.stdout(lines));
  }

  private static String pyString(Path p) {
    return "'" + p.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  @Test
  void longExecutionsSendKeepalives() throws Exception {
    String id = sandbox();
    List<JsonNode> lines = api.execute(id, "import time\ntime.sleep(0.6)\n'done'");
    assertTrue(types(lines).contains("keepalive"), lines.toString());
    assertEquals("'done'", TestApi.first(lines, "result").get("text").asText());
    assertEquals("end_of_execution", lines.get(lines.size() - 1).get("type").asText());
  }

  @Test
  void exceptionsArriveAsErrors() throws Exception {
    String id = sandbox();
    List<JsonNode> lines = api.execute(id, "print('before')\ndef f():\n    return 1 / 0\nf()");
    assertEquals("before\n", TestApi.stdout(lines));
    JsonNode error = TestApi.first(lines, "error");
    assertNotNull(error, lines.toString());
    assertEquals("ZeroDivisionError", error.get("name").asText());
    assertEquals("division by zero", error.get("value").asText());
    String tb = error.get("traceback").asText();
    assertTrue(tb.contains("ZeroDivisionError") && tb.contains("in f"), tb);
    assertFalse(tb.contains("_run"), "kernel frames are hidden: " + tb);
    assertEquals("end_of_execution", lines.get(lines.size() - 1).get("type").asText());

    JsonNode syntax = TestApi.first(api.execute(id, "def broken(:"), "error");
    assertEquals("SyntaxError", syntax.get("name").asText());
    assertEquals("42", TestApi.first(api.execute(id, "40 + 2"), "result").get("text").asText(),
        "the context survives errors");
  }

  @Test
  void envVarsApplyToOneExecutionOnly() throws Exception {
    String id = api.createId(Map.of("templateID", "code-interpreter-v1", "timeout", 600,
        "envVars", Map.of("SANDBOX_LEVEL", "from-create")));
    String code = "import os\nprint(os.environ.get('STRATEGY'), os.environ.get('SANDBOX_LEVEL'))";
    List<JsonNode> with = api.execute(id, Map.of("code", code, "env_vars", Map.of("STRATEGY", "momentum",
        "SANDBOX_LEVEL", "overridden")), null, n -> { });
    assertEquals("momentum overridden\n", TestApi.stdout(with));
    assertEquals("None from-create\n", TestApi.stdout(api.execute(id, code)));
  }

  /** As E2B's code interpreter: env vars become {@code import os; os.environ['K'] = 'V'} in front of the cell. */
  @Test
  void envVarsAreSplicedIntoTheCellAsSourceUnescaped() throws Exception {
    String id = sandbox();
    JsonNode apostrophe = TestApi.first(api.execute(id, Map.of("code", "1", "env_vars",
        Map.of("NAME", "O'Brien")), null, n -> { }), "error");
    assertEquals("SyntaxError", apostrophe.get("name").asText(), apostrophe.toString());
    JsonNode newline = TestApi.first(api.execute(id, Map.of("code", "1", "env_vars",
        Map.of("CSV", "a,b\n1,2")), null, n -> { }), "error");
    assertEquals("SyntaxError", newline.get("name").asText());
    // An escaped quote is not data any more: Python reads the escape.
    List<JsonNode> escaped = api.execute(id, Map.of("code", "import os\nprint(len(os.environ['J']))",
        "env_vars", Map.of("J", "\\x41")), null, n -> { });
    assertEquals("1\n", TestApi.stdout(escaped), "four characters arrived as one");
    // A crafted value runs as code.
    List<JsonNode> injected = api.execute(id, Map.of("code", "print(pwned)", "env_vars",
        Map.of("X", "'; pwned = 'yes'; _ = '")), null, n -> { });
    assertEquals("yes\n", TestApi.stdout(injected));
  }

  @Test
  void sandboxEnvVarsReachEachContextAsSourceOnItsFirstExecution() throws Exception {
    String id = api.createId(Map.of("templateID", "code-interpreter-v1", "timeout", 600,
        "envVars", Map.of("BAD", "it's")));
    JsonNode first = TestApi.first(api.execute(id, "1 + 1"), "error");
    assertEquals("SyntaxError", first.get("name").asText(), "the first cell of the context carries them");
    assertEquals("2", TestApi.first(api.execute(id, "1 + 1"), "result").get("text").asText(),
        "only the first execution of a context");
    TestApi.Reply ctx = api.sandboxCall(id, "POST", "/contexts", Map.of("language", "python"), null);
    assertEquals("SyntaxError", TestApi.first(api.execute(id, Map.of("code", "1", "context_id",
        ctx.json().get("id").asText()), null, n -> { }), "error").get("name").asText(), "and each new context");
  }

  @Test
  void contextsAreSeparateAndRestartable() throws Exception {
    String id = sandbox();
    TestApi.Reply created = api.sandboxCall(id, "POST", "/contexts", Map.of("language", "python"), null);
    assertEquals(200, created.code(), created.body());
    String ctx = created.json().get("id").asText();
    assertEquals("python", created.json().get("language").asText());
    assertEquals("/home/user", created.json().get("cwd").asText());

    api.execute(id, Map.of("code", "secret = 7", "context_id", ctx), null, n -> { });
    assertEquals("7", TestApi.first(api.execute(id, Map.of("code", "secret", "context_id", ctx), null, n -> { }),
        "result").get("text").asText());
    assertEquals("NameError", TestApi.first(api.execute(id, "secret"), "error").get("name").asText(),
        "the default context is another process");
    assertEquals(2, api.sandboxCall(id, "GET", "/contexts", null, null).json().size());

    assertEquals(204, api.sandboxCall(id, "POST", "/contexts/" + ctx + "/restart", null, null).code());
    assertEquals("NameError", TestApi.first(api.execute(id, Map.of("code", "secret", "context_id", ctx), null,
        n -> { }), "error").get("name").asText(), "a restart forgets variables");

    assertEquals(204, api.sandboxCall(id, "DELETE", "/contexts/" + ctx, null, null).code());
    TestApi.ExecuteFailed gone = assertThrows(TestApi.ExecuteFailed.class,
        () -> api.execute(id, Map.of("code", "1", "context_id", ctx), null, n -> { }));
    assertEquals(404, gone.code);
    assertEquals(404, api.sandboxCall(id, "DELETE", "/contexts/" + ctx, null, null).code());
    assertEquals(404, api.sandboxCall(id, "POST", "/contexts/nope/restart", null, null).code());
    assertEquals(400, api.sandboxCall(id, "POST", "/contexts", Map.of("language", "cobol"), null).code());
  }

  @Test
  void executeValidatesItsRequest() throws Exception {
    String id = sandbox();
    TestApi.ExecuteFailed both = assertThrows(TestApi.ExecuteFailed.class,
        () -> api.execute(id, Map.of("code", "1", "context_id", "c", "language", "python"), null, n -> { }));
    assertEquals(400, both.code);
    assertTrue(both.body.contains("\"code\":400"), both.body);
    TestApi.ExecuteFailed unknown = assertThrows(TestApi.ExecuteFailed.class,
        () -> api.execute(id, Map.of("code", "1", "context_id", "nope"), null, n -> { }));
    assertEquals(404, unknown.code);
    TestApi.ExecuteFailed noCode = assertThrows(TestApi.ExecuteFailed.class,
        () -> api.execute(id, Map.of("language", "python"), null, n -> { }));
    assertEquals(400, noCode.code);
    assertEquals("3", TestApi.first(api.execute(id, Map.of("code", "1 + 2", "language", "python"), null, n -> { }),
        "result").get("text").asText());
  }

  @Test
  void goneOrPausedSandboxesAnswer502() throws Exception {
    TestApi.ExecuteFailed unknown = assertThrows(TestApi.ExecuteFailed.class, () -> api.execute("inope", "1"));
    assertEquals(502, unknown.code);
    assertTrue(unknown.body.contains("The sandbox was not found"), unknown.body);

    String paused = sandbox();
    api.call("POST", "/sandboxes/" + paused + "/pause", null);
    assertEquals(502, assertThrows(TestApi.ExecuteFailed.class, () -> api.execute(paused, "1")).code);
    assertEquals(502, api.sandboxCall(paused, "GET", "/health", null, null).code());

    String killed = sandbox();
    api.execute(killed, "1");
    runtime.kill(killed);
    assertEquals(502, assertThrows(TestApi.ExecuteFailed.class, () -> api.execute(killed, "1")).code);
  }

  @Test
  void pausedSandboxesKeepTheirMemory() throws Exception {
    String id = sandbox();
    api.execute(id, "kept = 'across pause'");
    api.call("POST", "/sandboxes/" + id + "/pause", null);
    assertEquals(201, api.call("POST", "/sandboxes/" + id + "/connect", Map.of("timeout", 60)).code());
    assertEquals("'across pause'", TestApi.first(api.execute(id, "kept"), "result").get("text").asText());
  }

  @Test
  void secureSandboxesNeedTheAccessToken() throws Exception {
    JsonNode sb = api.create(Map.of("templateID", "code-interpreter-v1", "timeout", 600, "secure", true));
    String id = sb.get("sandboxID").asText();
    String token = sb.get("envdAccessToken").asText();
    assertEquals(401, assertThrows(TestApi.ExecuteFailed.class, () -> api.execute(id, "1")).code);
    assertEquals(401, assertThrows(TestApi.ExecuteFailed.class,
        () -> api.execute(id, Map.of("code", "1"), "wrong", n -> { })).code);
    assertEquals(401, api.sandboxCall(id, "POST", "/contexts", Map.of(), null).code());
    assertEquals("1", TestApi.first(api.execute(id, Map.of("code", "1"), token, n -> { }), "result")
        .get("text").asText());
  }

  @Test
  void routesByHostHeader() throws Exception {
    String id = sandbox();
    Request health = new Request.Builder().url(runtime.baseUrl() + "/health")
        .header("Host", "49999-" + id + "." + runtime.domain()).build();
    try (Response r = api.http.newCall(health).execute()) {
      assertEquals(204, r.code());
    }
    Request envd = new Request.Builder().url(runtime.baseUrl() + "/health")
        .header("Host", "49983-" + id + ".e2b.local").build();
    try (Response r = api.http.newCall(envd).execute()) {
      assertEquals(204, r.code());
    }
    Request missing = new Request.Builder().url(runtime.baseUrl() + "/health")
        .header("Host", "49999-inope.e2b.local").build();
    try (Response r = api.http.newCall(missing).execute()) {
      assertEquals(502, r.code());
    }
  }

  @Test
  void aCrashedKernelIsReportedAndReplaced() throws Exception {
    String id = sandbox();
    api.execute(id, "a = 1");
    List<JsonNode> lines = api.execute(id, "import os\nos._exit(3)");
    JsonNode error = TestApi.first(lines, "error");
    assertEquals("KernelDiedError", error.get("name").asText(), lines.toString());
    assertTrue(error.get("value").asText().contains("3"));
    assertEquals("end_of_execution", lines.get(lines.size() - 1).get("type").asText());
    assertEquals("NameError", TestApi.first(api.execute(id, "a"), "error").get("name").asText());
  }

  @Test
  void expiryKillsTheSandboxAndItsProcess() throws Exception {
    String id = api.createId(Map.of("templateID", "code-interpreter-v1", "timeout", 30));
    long pid = Long.parseLong(TestApi.first(api.execute(id, "import os\nos.getpid()"), "result").get("text").asText());
    assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    assertEquals(1, runtime.liveProcessCount());
    clock.advance(Duration.ofSeconds(31));
    // nothing asks the API: the background sweeper must notice on its own
    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.sandboxes().isEmpty());
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    assertEquals(0, runtime.liveProcessCount());
    assertEquals(404, api.call("GET", "/sandboxes/" + id, null).code());
  }

  @Test
  void executionsInOneContextRunOneAtATime() throws Exception {
    String id = sandbox();
    api.execute(id, "import time\nlog = []");
    String code = "log.append('start'); time.sleep(0.1); log.append('end')";
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        try {
          api.execute(id, code);
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join(30_000);
    }
    assertTrue(failures.isEmpty(), failures.toString());
    assertEquals("['start', 'end', 'start', 'end', 'start', 'end', 'start', 'end']",
        TestApi.first(api.execute(id, "log"), "result").get("text").asText());
  }

  @Test
  void closeLeavesNoPythonProcessBehind() throws Exception {
    String a = sandbox();
    String b = sandbox();
    String spawn = "import os, subprocess\nchild = subprocess.Popen(['sleep', '300'])\nf'{os.getpid()} {child.pid}'";
    List<Long> pids = new ArrayList<>();
    for (String id : List.of(a, b)) {
      String text = TestApi.first(api.execute(id, spawn), "result").get("text").asText().replace("'", "");
      for (String p : text.split(" ")) {
        pids.add(Long.parseLong(p));
      }
    }
    assertEquals(2, runtime.liveProcessCount());
    for (long pid : pids) {
      assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid);
    }
    runtime.close();
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " survived");
    }
    assertEquals(0, runtime.liveProcessCount());
  }
}
