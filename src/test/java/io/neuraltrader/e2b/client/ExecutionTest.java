package io.neuraltrader.e2b.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecutionTest {
  private final Fixture fx = new Fixture();
  private final HttpE2BClient client = fx.client();
  private final SandboxEndpoint secure = new SandboxEndpoint("isb123", null, "tok-1");

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  static String line(String json) {
    return json + "\n";
  }

  static final String STREAM = line("{\"type\":\"number_of_executions\",\"execution_count\":3}")
      + line("{\"type\":\"stdout\",\"text\":\"hello\\n\",\"timestamp\":\"2025-01-02T10:00:00.123456+00:00\"}")
      + line("{\"type\":\"keepalive\"}")
      + line("{\"type\":\"stderr\",\"text\":\"warn\\n\",\"timestamp\":\"2025-01-02T10:00:00.5Z\"}")
      + line("{\"type\":\"result\",\"text\":\"42\",\"json\":{\"pnl\":1.5},\"png\":\"iVBOR\",\"is_main_result\":true}")
      + line("{\"type\":\"brand_new_type\",\"x\":1}")
      + line("{\"type\":\"end_of_execution\"}");

  /** Records every callback in arrival order. */
  static final class Recorder implements ExecutionListener {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onStdout(OutputMessage m) {
      events.add("stdout:" + m.text().strip());
    }

    @Override
    public void onStderr(OutputMessage m) {
      events.add("stderr:" + m.text().strip());
    }

    @Override
    public void onResult(RichResult r) {
      events.add("result:" + r.text().orElse(""));
    }

    @Override
    public void onError(ExecutionError e) {
      events.add("error:" + e.name());
    }

    @Override
    public void onExecutionCount(int n) {
      events.add("count:" + n);
    }

    @Override
    public void onKeepalive() {
      events.add("keepalive");
    }
  }

  /** E2B's code interpreter sends the Jupyter message date, an ISO-8601 string. */
  @Test
  void outputTimestampsAreReadAsTheIsoDatesTheInterpreterSends() {
    fx.server.enqueue(new MockResponse().setHeader("Content-Type", "application/x-ndjson").setBody(STREAM));
    List<OutputMessage> seen = Collections.synchronizedList(new ArrayList<>());
    client.execute(secure, ExecuteRequest.of("print('hello')"), new ExecutionListener() {
      @Override
      public void onStdout(OutputMessage m) {
        seen.add(m);
      }

      @Override
      public void onStderr(OutputMessage m) {
        seen.add(m);
      }
    });
    assertEquals(java.time.Instant.parse("2025-01-02T10:00:00.123456Z"), seen.get(0).timestamp());
    assertEquals(java.time.Instant.parse("2025-01-02T10:00:00.500Z"), seen.get(1).timestamp());
  }

  /** The sandbox proxy's not-found answers (502 in older proxies, 404 naming the sandbox in newer ones). */
  @Test
  void theProxysSandboxNotFoundIsALostSandboxNotAMissingContext() {
    fx.enqueue(404, "{\"sandboxId\":\"isb123\",\"message\":\"The sandbox was not found\"}");
    fx.enqueue(502, "{\"message\":\"Sandbox not found\",\"sandboxId\":\"isb123\",\"code\":0}");
    fx.enqueue(502, "{\"message\":\"The sandbox was not found: This error is likely due to sandbox timeout.\"}");
    fx.enqueue(404, "Context ctx-1 not found");
    for (int i = 0; i < 3; i++) {
      assertThrows(SandboxNotFoundException.class, () -> client.execute(secure, ExecuteRequest.of("1"), null));
    }
    NotFoundException context = assertThrows(NotFoundException.class,
        () -> client.execute(secure, ExecuteRequest.of("1").inContext("ctx-1"), null));
    assertFalse(context instanceof SandboxNotFoundException, "the code interpreter's own 404 is about the context");
  }

  @Test
  void trafficTokenGoesInItsOwnHeaderWhenTheSandboxHasOne() throws Exception {
    fx.server.enqueue(new MockResponse().setHeader("Content-Type", "application/x-ndjson").setBody(STREAM));
    client.execute(new SandboxEndpoint("isb123", null, "tok-1", "traffic-9"), ExecuteRequest.of("1"), null);
    RecordedRequest r = fx.server.takeRequest();
    assertEquals("traffic-9", r.getHeader("E2B-Traffic-Access-Token"));
    assertEquals("tok-1", r.getHeader("X-Access-Token"));
    fx.server.enqueue(new MockResponse().setHeader("Content-Type", "application/x-ndjson").setBody(STREAM));
    client.execute(secure, ExecuteRequest.of("1"), null);
    assertNull(fx.server.takeRequest().getHeader("E2B-Traffic-Access-Token"));
  }

  @Test
  void executeSendsBodyAndRoutingHeadersAndAggregates() throws Exception {
    fx.server.enqueue(new MockResponse().setHeader("Content-Type", "application/x-ndjson").setBody(STREAM));
    Recorder rec = new Recorder();

    ExecutionResult res = client.execute(secure,
        ExecuteRequest.of("print('hello')").inContext("ctx-1").withEnvVars(Map.of("MODE", "paper")), rec);

    assertEquals(List.of("count:3", "stdout:hello", "keepalive", "stderr:warn", "result:42"), rec.events);
    assertEquals(List.of("hello\n"), res.stdout());
    assertEquals(List.of("warn\n"), res.stderr());
    assertEquals(3, res.executionCount());
    assertNull(res.error());
    assertEquals("42", res.text().orElseThrow());
    RichResult main = res.results().get(0);
    assertTrue(main.isMainResult());
    assertEquals("iVBOR", main.png().orElseThrow());
    assertEquals(Map.of("pnl", 1.5), main.json().orElseThrow());

    RecordedRequest r = fx.server.takeRequest();
    assertEquals("POST", r.getMethod());
    assertEquals("/execute", r.getPath());
    assertEquals("isb123", r.getHeader("E2b-Sandbox-Id"));
    assertEquals("49999", r.getHeader("E2b-Sandbox-Port"));
    assertEquals("tok-1", r.getHeader("X-Access-Token"));
    assertNull(r.getHeader("X-API-Key"), "the API key never goes to a sandbox");
    JsonNode body = new ObjectMapper().readTree(r.getBody().readUtf8());
    assertEquals("print('hello')", body.get("code").asText());
    assertEquals("ctx-1", body.get("context_id").asText());
    assertEquals("paper", body.get("env_vars").get("MODE").asText());
    assertFalse(body.has("language"));
  }

  @Test
  void executeWithoutTokenSendsNoAccessHeaderAndLanguageWhenGiven() throws Exception {
    fx.server.enqueue(new MockResponse().setBody(line("{\"type\":\"end_of_execution\"}")));
    client.execute(SandboxEndpoint.of("isb9"), new ExecuteRequest("1", null, "python", Map.of(), null), null);
    RecordedRequest r = fx.server.takeRequest();
    assertNull(r.getHeader("X-Access-Token"));
    JsonNode body = new ObjectMapper().readTree(r.getBody().readUtf8());
    assertEquals("python", body.get("language").asText());
    assertFalse(body.has("context_id"));
    assertFalse(body.has("env_vars"));
  }

  @Test
  void chunkedBodyWithLinesSplitAcrossChunksParses() {
    // 7 bytes per chunk: nearly every line arrives in pieces.
    fx.server.enqueue(new MockResponse().setBody(STREAM).throttleBody(7, 1, TimeUnit.MILLISECONDS));
    Recorder rec = new Recorder();
    ExecutionResult res = client.execute(secure, ExecuteRequest.of("x"), rec);
    assertEquals(List.of("count:3", "stdout:hello", "keepalive", "stderr:warn", "result:42"), rec.events);
    assertEquals("42", res.text().orElseThrow());
  }

  @Test
  void listenerSeesStdoutBeforeTheStreamEnds() throws Exception {
    CountDownLatch firstStdoutSeen = new CountDownLatch(1);
    AtomicBoolean seenBeforeRestWasSent = new AtomicBoolean();
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        try (Socket s = ss.accept()) {
          BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
          int contentLength = 0;
          for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
            if (h.toLowerCase().startsWith("content-length:")) {
              contentLength = Integer.parseInt(h.substring(15).trim());
            }
          }
          in.skip(contentLength);
          OutputStream out = s.getOutputStream();
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nConnection: close\r\n\r\n"
              + line("{\"type\":\"stdout\",\"text\":\"tick 1\"}")).getBytes(StandardCharsets.UTF_8));
          out.flush();
          // The rest is only sent once the client has handled the first line.
          seenBeforeRestWasSent.set(firstStdoutSeen.await(20, TimeUnit.SECONDS));
          out.write((line("{\"type\":\"stdout\",\"text\":\"tick 2\"}") + line("{\"type\":\"end_of_execution\"}"))
              .getBytes(StandardCharsets.UTF_8));
          out.flush();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      server.start();
      HttpE2BClient local = fx.client(b -> b.sandboxUrlOverride("http://127.0.0.1:" + ss.getLocalPort()));
      List<String> seen = new ArrayList<>();
      ExecutionResult res = local.execute(SandboxEndpoint.of("isb1"), ExecuteRequest.of("loop()"),
          new ExecutionListener() {
            @Override
            public void onStdout(OutputMessage m) {
              seen.add(m.text());
              firstStdoutSeen.countDown();
            }
          });
      server.join();
      assertTrue(seenBeforeRestWasSent.get(), "first stdout must reach the listener while the stream is open");
      assertEquals(List.of("tick 1", "tick 2"), seen);
      assertEquals(List.of("tick 1", "tick 2"), res.stdout());
    }
  }

  @Test
  void codeErrorIsAResultNotAnException() {
    fx.server.enqueue(new MockResponse().setBody(
        line("{\"type\":\"error\",\"name\":\"ZeroDivisionError\",\"value\":\"division by zero\","
            + "\"traceback\":\"Traceback...\\nZeroDivisionError\"}")
            + line("{\"type\":\"end_of_execution\"}")));
    Recorder rec = new Recorder();
    ExecutionResult res = client.execute(secure, ExecuteRequest.of("1/0"), rec);
    assertTrue(res.failed());
    assertEquals("ZeroDivisionError", res.error().name());
    assertEquals("division by zero", res.error().value());
    assertTrue(res.error().traceback().contains("Traceback"));
    assertEquals(List.of("error:ZeroDivisionError"), rec.events);
  }

  @Test
  void streamWithoutEndOfExecutionIsBroken() {
    fx.server.enqueue(new MockResponse().setBody(line("{\"type\":\"stdout\",\"text\":\"partial\"}")));
    Recorder rec = new Recorder();
    ExecutionStreamBrokenException e = assertThrows(ExecutionStreamBrokenException.class,
        () -> client.execute(secure, ExecuteRequest.of("x"), rec));
    assertTrue(e.getMessage().contains("end_of_execution"));
    assertEquals(List.of("stdout:partial"), rec.events);
    assertEquals(1, fx.timerCount("execute", "connection_error"));
  }

  @Test
  void executeIsNeverRetried() {
    fx.enqueue(503, Fixture.error(503, "unavailable"));
    fx.enqueue(200, line("{\"type\":\"end_of_execution\"}"));
    assertThrows(ServerException.class, () -> client.execute(secure, ExecuteRequest.of("x"), null));
    assertEquals(1, fx.server.getRequestCount());
    assertTrue(fx.sleeps.isEmpty());
  }

  @Test
  void executionDeadlineIsATimeout() {
    // Headers and the first line arrive, then the stream stalls (1 s) past the 300 ms deadline.
    String first = line("{\"type\":\"stdout\",\"text\":\"a\"}");
    fx.server.enqueue(new MockResponse().setBody(first + line("{\"type\":\"end_of_execution\"}"))
        .throttleBody(first.length(), 1, TimeUnit.SECONDS));
    E2BTimeoutException e = assertThrows(E2BTimeoutException.class,
        () -> client.execute(secure, ExecuteRequest.of("x").withTimeout(Duration.ofMillis(300)), null));
    assertEquals(Operation.EXECUTE, e.operation());
  }

  @Test
  void deadSandboxOnExecutionApiIsSandboxNotFound() {
    fx.enqueue(502, "{\"message\":\"The sandbox was not found\",\"code\":502}");
    fx.enqueue(502, "{\"message\":\"The sandbox was not found\",\"code\":502}");
    SandboxNotFoundException e = assertThrows(SandboxNotFoundException.class,
        () -> client.execute(secure, ExecuteRequest.of("x"), null));
    assertEquals(502, e.status());
    assertThrows(SandboxNotFoundException.class, () -> client.createContext(secure, "python", null));
    assertEquals(2, fx.server.getRequestCount(), "a dead sandbox is not retried");
  }

  @Test
  void unknownContextIsNotFound() {
    fx.enqueue(404, Fixture.error(404, "context ctx-x not found"));
    NotFoundException e = assertThrows(NotFoundException.class,
        () -> client.execute(secure, ExecuteRequest.of("x").inContext("ctx-x"), null));
    assertFalse(e instanceof SandboxNotFoundException);
  }

  @Test
  void contextsLifecycle() throws Exception {
    fx.enqueue(200, "{\"id\":\"ctx-7\",\"language\":\"python\",\"cwd\":\"/home/user\"}");
    fx.server.enqueue(new MockResponse().setResponseCode(204));
    fx.server.enqueue(new MockResponse().setResponseCode(204));

    assertEquals("ctx-7", client.createContext(secure, "python", "/home/user"));
    client.restartContext(secure, "ctx-7");
    client.deleteContext(secure, "ctx-7");

    RecordedRequest create = fx.server.takeRequest();
    assertEquals("POST", create.getMethod());
    assertEquals("/contexts", create.getPath());
    assertEquals("{\"language\":\"python\",\"cwd\":\"/home/user\"}", create.getBody().readUtf8());
    assertEquals("tok-1", create.getHeader("X-Access-Token"));
    assertEquals("isb123", create.getHeader("E2b-Sandbox-Id"));
    RecordedRequest restart = fx.server.takeRequest();
    assertEquals("POST", restart.getMethod());
    assertEquals("/contexts/ctx-7/restart", restart.getPath());
    RecordedRequest delete = fx.server.takeRequest();
    assertEquals("DELETE", delete.getMethod());
    assertEquals("/contexts/ctx-7", delete.getPath());
  }

  @Test
  void listenerFailureAbortsAndPropagates() {
    fx.server.enqueue(new MockResponse().setBody(STREAM));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> client.execute(secure, ExecuteRequest.of("x"), new ExecutionListener() {
          @Override
          public void onStdout(OutputMessage m) {
            throw new IllegalStateException("consumer gave up");
          }
        }));
    assertEquals("consumer gave up", e.getMessage());
    assertEquals(CircuitBreaker.State.CLOSED, client.circuitState(Api.EXECUTE));
  }
}
