package io.neuraltrader.e2b.client.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.client.Api;
import io.neuraltrader.e2b.client.AuthException;
import io.neuraltrader.e2b.client.CircuitBreaker;
import io.neuraltrader.e2b.client.ExecuteRequest;
import io.neuraltrader.e2b.client.ExecutionError;
import io.neuraltrader.e2b.client.ExecutionListener;
import io.neuraltrader.e2b.client.ExecutionResult;
import io.neuraltrader.e2b.client.ExecutionStreamBrokenException;
import io.neuraltrader.e2b.client.E2BTimeoutException;
import io.neuraltrader.e2b.client.HttpE2BClient;
import io.neuraltrader.e2b.client.NewSandbox;
import io.neuraltrader.e2b.client.NotFoundException;
import io.neuraltrader.e2b.client.OutputMessage;
import io.neuraltrader.e2b.client.RichResult;
import io.neuraltrader.e2b.client.Sandbox;
import io.neuraltrader.e2b.client.SandboxEndpoint;
import io.neuraltrader.e2b.client.SandboxNotFoundException;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Python, run by the local runtime, through the real client's execute and context calls. */
class ExecutionIntegrationTest {
  /** A safety net only: a broken stream fails the test with E2BTimeoutException instead of hanging it. */
  private static final Duration SAFETY = Duration.ofSeconds(60);

  private Harness h;
  private HttpE2BClient client;

  @BeforeEach
  void start() {
    h = new Harness();
    client = h.client();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private Sandbox sandbox() {
    return client.create(NewSandbox.builder(Harness.TEMPLATE).timeoutSeconds(600).build());
  }

  private ExecutionResult run(SandboxEndpoint sb, String code) {
    return client.execute(sb, ExecuteRequest.of(code).withTimeout(SAFETY), null);
  }

  /** Records every callback, and whether execute had already returned when it came. */
  private static final class Recorder implements ExecutionListener {
    final List<String> events = new ArrayList<>();
    final List<OutputMessage> stdout = new ArrayList<>();
    final AtomicBoolean returned = new AtomicBoolean();
    int callbacksAfterReturn;

    private void seen(String e) {
      events.add(e);
      if (returned.get()) {
        callbacksAfterReturn++;
      }
    }

    @Override
    public void onStdout(OutputMessage m) {
      stdout.add(m);
      seen("stdout:" + m.text());
    }

    @Override
    public void onStderr(OutputMessage m) {
      seen("stderr:" + m.text());
    }

    @Override
    public void onResult(RichResult r) {
      seen("result:" + r.text().orElse(""));
    }

    @Override
    public void onError(ExecutionError e) {
      seen("error:" + e.name());
    }

    @Override
    public void onExecutionCount(int n) {
      seen("count:" + n);
    }
  }

  @Test
  void variablesPersistBetweenExecutionsAndTheLastExpressionIsTheResult() {
    SandboxEndpoint sb = sandbox().endpoint();
    ExecutionResult first = run(sb, "x = 41\nprint('set')");
    assertEquals("set\n", first.stdoutText());
    assertFalse(first.failed());
    assertEquals(1, first.executionCount());
    assertTrue(first.text().isEmpty());

    ExecutionResult second = run(sb, "y = x + 1\ny");
    assertEquals("42", second.text().orElseThrow());
    assertEquals(2, second.executionCount());
    assertTrue(second.results().get(0).isMainResult());

    assertEquals("[41, 42]", run(sb, "[x, y]").text().orElseThrow());
    assertEquals(3, h.count(ServedOperation.EXECUTE));
    assertEquals(1, h.runtime.liveProcessCount(), "one kernel for the default context");
  }

  @Test
  void aLoopsFlushedLinesArriveAsSeparateStdoutMessagesWhileItRuns() {
    SandboxEndpoint sb = sandbox().endpoint();
    String code = "import sys, time\n"
        + "for i in range(5):\n"
        + "    print(f'line {i}', flush=True)\n"
        + "    time.sleep(0.05)\n"
        + "print('warn', file=sys.stderr)\n"
        + "'done'";
    Recorder rec = new Recorder();
    ExecutionResult r = client.execute(sb, ExecuteRequest.of(code).withTimeout(SAFETY), rec);
    rec.returned.set(true);

    assertTrue(rec.stdout.size() >= 2, "several onStdout calls: " + rec.events);
    assertEquals(0, rec.callbacksAfterReturn);
    assertEquals(5, rec.stdout.size(), rec.events.toString());
    for (int i = 0; i < 5; i++) {
      assertEquals("line " + i + "\n", rec.stdout.get(i).text());
      assertFalse(rec.stdout.get(i).stderr());
      assertTrue(rec.stdout.get(i).timestamp() != null, "ISO timestamps are read");
      assertTrue(i == 0 || !rec.stdout.get(i).timestamp().isBefore(rec.stdout.get(i - 1).timestamp()));
    }
    assertEquals(List.of("count:1", "stdout:line 0\n", "stdout:line 1\n", "stdout:line 2\n", "stdout:line 3\n",
        "stdout:line 4\n", "stderr:warn\n", "result:'done'"), rec.events, "callbacks in wire order");
    assertEquals("line 0\nline 1\nline 2\nline 3\nline 4\n", r.stdoutText());
    assertEquals(List.of("warn\n"), r.stderr());
    assertEquals("'done'", r.text().orElseThrow());
  }

  /**
   * The code only goes on once the listener has seen its first line (it creates a file the code waits for),
   * so an execution that buffered its output until the end would never finish: streaming, shown without
   * any timing assumption.
   */
  @Test
  void theListenerSeesOutputBeforeTheCodeHasFinished(@TempDir Path dir) {
    SandboxEndpoint sb = sandbox().endpoint();
    Path go = dir.resolve("go");
    String p = "'" + go.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    String code = "import os, time\n"
        + "print('waiting', flush=True)\n"
        + "deadline = time.time() + 30\n"
        + "while not os.path.exists(" + p + ") and time.time() < deadline:\n"
        + "    time.sleep(0.01)\n"
        + "print('released' if os.path.exists(" + p + ") else 'never released')\n";
    List<String> seen = new ArrayList<>();
    ExecutionResult r = client.execute(sb, ExecuteRequest.of(code).withTimeout(SAFETY), new ExecutionListener() {
      @Override
      public void onStdout(OutputMessage m) {
        seen.add(m.text());
        if (m.text().equals("waiting\n")) {
          try {
            Files.writeString(go, "go");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    });
    assertEquals(List.of("waiting\n", "released\n"), seen);
    assertEquals("waiting\nreleased\n", r.stdoutText());
  }

  @Test
  void anExceptionIsTheResultsErrorNotAClientFailure() {
    SandboxEndpoint sb = sandbox().endpoint();
    Recorder rec = new Recorder();
    ExecutionResult r = client.execute(sb,
        ExecuteRequest.of("print('before')\ndef f():\n    return 1 / 0\nf()").withTimeout(SAFETY), rec);
    assertTrue(r.failed());
    ExecutionError e = r.error();
    assertEquals("ZeroDivisionError", e.name());
    assertEquals("division by zero", e.value());
    assertTrue(e.traceback().contains("ZeroDivisionError"), e.traceback());
    assertTrue(e.traceback().contains("in f"), e.traceback());
    assertEquals("before\n", r.stdoutText(), "output before the exception is kept");
    assertTrue(rec.events.contains("error:ZeroDivisionError"));

    ExecutionResult custom = run(sb, "class TradeRejected(Exception):\n    pass\nraise TradeRejected('limit 5')");
    assertEquals("TradeRejected", custom.error().name());
    assertEquals("limit 5", custom.error().value());

    assertEquals("SyntaxError", run(sb, "def broken(:").error().name());
    assertEquals("42", run(sb, "40 + 2").text().orElseThrow(), "the context survives errors");
    assertEquals(0, h.attempts("execute", "server_error") + h.attempts("execute", "bad_request"));
  }

  @Test
  void envVarsOfTheSandboxAndOfOneExecutionAreVisibleToTheCode() {
    Sandbox sb = client.create(NewSandbox.builder(Harness.TEMPLATE).timeoutSeconds(600)
        .envVars(Map.of("SANDBOX_LEVEL", "from-create", "SYMBOL", "AAPL")).build());
    String code = "import os\n(os.environ.get('SANDBOX_LEVEL'), os.environ.get('SYMBOL'), os.environ.get('RUN'))";
    assertEquals("('from-create', 'AAPL', None)", run(sb.endpoint(), code).text().orElseThrow());

    ExecutionResult withEnv = client.execute(sb.endpoint(), ExecuteRequest.of(code).withTimeout(SAFETY)
        .withEnvVars(Map.of("RUN", "r-7", "SYMBOL", "MSFT")), null);
    assertEquals("('from-create', 'MSFT', 'r-7')", withEnv.text().orElseThrow());
    assertEquals("('from-create', 'AAPL', None)", run(sb.endpoint(), code).text().orElseThrow(),
        "execution env vars last for that execution only");
  }

  @Test
  void contextsCanBeCreatedRestartedAndDeleted() {
    SandboxEndpoint sb = sandbox().endpoint();
    String ctx = client.createContext(sb, null, null);
    assertNotNull(ctx);
    String other = client.createContext(sb, "python", "/tmp");
    assertNotEquals(ctx, other);

    client.execute(sb, ExecuteRequest.of("secret = 7").inContext(ctx).withTimeout(SAFETY), null);
    assertEquals("7", client.execute(sb, ExecuteRequest.of("secret").inContext(ctx).withTimeout(SAFETY), null)
        .text().orElseThrow());
    assertEquals("NameError", run(sb, "secret").error().name(), "the default context is another interpreter");
    assertEquals("NameError", client.execute(sb, ExecuteRequest.of("secret").inContext(other).withTimeout(SAFETY),
        null).error().name());
    assertEquals("'/tmp'", client.execute(sb, ExecuteRequest.of("import os\nos.getcwd()").inContext(other)
        .withTimeout(SAFETY), null).text().orElseThrow());

    client.restartContext(sb, ctx);
    ExecutionResult afterRestart =
        client.execute(sb, ExecuteRequest.of("secret").inContext(ctx).withTimeout(SAFETY), null);
    assertEquals("NameError", afterRestart.error().name(), "a restart forgets variables");
    assertEquals(1, afterRestart.executionCount(), "a fresh interpreter");

    client.deleteContext(sb, ctx);
    NotFoundException gone = assertThrows(NotFoundException.class,
        () -> client.execute(sb, ExecuteRequest.of("1").inContext(ctx).withTimeout(SAFETY), null));
    assertFalse(gone instanceof SandboxNotFoundException, "the sandbox is fine, only the context is gone");
    assertEquals(404, gone.status());
    assertThrows(NotFoundException.class, () -> client.deleteContext(sb, ctx));
    assertThrows(NotFoundException.class, () -> client.restartContext(sb, ctx));
    assertEquals("1", client.execute(sb, ExecuteRequest.of("1").inContext(other).withTimeout(SAFETY), null)
        .text().orElseThrow());
  }

  @Test
  void aSecureSandboxRunsCodeWithItsTokenAndRefusesItWithout() {
    Sandbox secure = client.create(NewSandbox.builder(Harness.TEMPLATE).secure(true).timeoutSeconds(600).build());
    assertNotNull(secure.envdAccessToken());
    assertEquals("3", run(secure.endpoint(), "1 + 2").text().orElseThrow());
    String ctx = client.createContext(secure.endpoint(), null, null);
    client.deleteContext(secure.endpoint(), ctx);

    // The endpoint from get() carries the token too.
    assertEquals("4", run(client.get(secure.sandboxID()).endpoint(), "2 + 2").text().orElseThrow());

    AuthException noToken = assertThrows(AuthException.class, () -> run(SandboxEndpoint.of(secure.sandboxID()), "1"));
    assertEquals(401, noToken.status());
    assertThrows(AuthException.class,
        () -> run(new SandboxEndpoint(secure.sandboxID(), null, "0".repeat(40)), "1"));
    assertThrows(AuthException.class, () -> client.createContext(SandboxEndpoint.of(secure.sandboxID()), null, null));
    assertEquals(CircuitBreaker.State.CLOSED, client.circuitState(Api.EXECUTE), "4xx do not count as failures");
  }

  @Test
  void executingInAKilledSandboxIsSandboxNotFound() {
    Sandbox a = sandbox();
    Sandbox b = sandbox();
    assertEquals("1", run(a.endpoint(), "1").text().orElseThrow());
    assertEquals("1", run(b.endpoint(), "1").text().orElseThrow());
    assertEquals(2, h.runtime.liveProcessCount());

    assertTrue(client.kill(a.sandboxID()));
    SandboxNotFoundException viaClient = assertThrows(SandboxNotFoundException.class, () -> run(a.endpoint(), "1"));
    assertEquals(502, viaClient.status(), "the sandbox proxy's 'sandbox was not found'");
    assertThrows(SandboxNotFoundException.class, () -> client.createContext(a.endpoint(), null, null));

    assertTrue(h.runtime.kill(b.sandboxID()), "killed behind the client's back");
    assertThrows(SandboxNotFoundException.class, () -> run(b.endpoint(), "1"));
    assertEquals(0, h.runtime.liveProcessCount());

    assertThrows(SandboxNotFoundException.class, () -> run(SandboxEndpoint.of("inosuchsandbox"), "1"));
    assertTrue(h.sleeps.isEmpty(), "executions are never retried");
  }

  private static String waitForFile(Path file, String before, String after) {
    String p = "'" + file.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    return "import os, time\n"
        + "print('" + before + "', flush=True)\n"
        + "deadline = time.time() + 30\n"
        + "while not os.path.exists(" + p + ") and time.time() < deadline:\n"
        + "    time.sleep(0.01)\n"
        + "print('" + after + "', flush=True)\n";
  }

  @Test
  void aSandboxKilledWhileItsCodeRunsBreaksTheStream(@TempDir Path dir) {
    Sandbox sb = sandbox();
    List<String> seen = new ArrayList<>();
    ExecutionListener killOnFirstLine = new ExecutionListener() {
      @Override
      public void onStdout(OutputMessage m) {
        seen.add(m.text());
        assertTrue(h.runtime.kill(sb.sandboxID()));
      }
    };
    ExecutionStreamBrokenException broken = assertThrows(ExecutionStreamBrokenException.class,
        () -> client.execute(sb.endpoint(), ExecuteRequest.of(waitForFile(dir.resolve("never"), "started", "end"))
            .withTimeout(SAFETY), killOnFirstLine));
    assertEquals(List.of("started\n"), seen, "output before the kill was delivered");
    assertEquals(0, broken.status());
    assertEquals(0, h.runtime.liveProcessCount());
    assertThrows(SandboxNotFoundException.class, () -> run(sb.endpoint(), "1"));
    assertTrue(h.sleeps.isEmpty(), "an execution is never retried");
  }

  @Test
  void anExecutionPastItsTimeoutIsATimeoutAndItsLateOutputNeverReachesTheNextOne(@TempDir Path dir) {
    SandboxEndpoint sb = sandbox().endpoint();
    assertEquals("1", run(sb, "1").text().orElseThrow(), "kernel started, so 'started' comes at once");
    Path release = dir.resolve("release");
    List<String> seen = new ArrayList<>();
    E2BTimeoutException timeout = assertThrows(E2BTimeoutException.class,
        () -> client.execute(sb, ExecuteRequest.of(waitForFile(release, "started", "late"))
            .withTimeout(Duration.ofSeconds(2)), new ExecutionListener() {
              @Override
              public void onStdout(OutputMessage m) {
                seen.add(m.text());
              }
            }));
    assertEquals(List.of("started\n"), seen);
    assertFalse(timeout.serviceFault(), "the code outlived its own deadline: not the service's fault");
    assertEquals(CircuitBreaker.State.CLOSED, client.circuitState(Api.EXECUTE));

    try {
      Files.writeString(release, "go");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ExecutionResult next = run(sb, "'next'");
    assertEquals("'next'", next.text().orElseThrow());
    assertEquals(List.of(), next.stdout(), "the previous execution's 'late' line is not delivered here");
    assertEquals(3, next.executionCount());
  }

  @Test
  void aSandboxThatExpiresIsSandboxNotFoundForExecution() {
    Sandbox sb = client.create(NewSandbox.builder(Harness.TEMPLATE).timeoutSeconds(60).build());
    assertEquals("1", run(sb.endpoint(), "1").text().orElseThrow());
    h.serverClock.advance(Duration.ofSeconds(60));
    assertInstanceOf(SandboxNotFoundException.class,
        assertThrows(RuntimeException.class, () -> run(sb.endpoint(), "1")));
    assertNull(h.runtime.sandboxes().stream().filter(s -> s.sandboxId().equals(sb.sandboxID())).findAny()
        .orElse(null));
  }
}
