package io.neuraltrader.e2b.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

  private LocalSandboxRuntime runtime;
  private TestApi api;

  @BeforeEach
  void start() {
    runtime = LocalSandboxRuntime.start(RuntimeConfig.builder().seed(11).build());
    api = new TestApi(runtime);
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  @Test
  void errorRateAnswersServerErrorsForThatOperationOnly() throws Exception {
    runtime.faults().set(ServedOperation.LIST, FaultPlan.none().withErrorRate(1.0));
    Set<Integer> statuses = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      TestApi.Reply r = api.call("GET", "/v2/sandboxes", null);
      statuses.add(r.code());
      assertEquals(r.code(), r.json().get("code").asInt());
    }
    assertEquals(Set.of(500, 502, 503), statuses);
    assertEquals(201, api.call("POST", "/sandboxes", Map.of("templateID", "base")).code());
    assertEquals(30L, runtime.requestCount(ServedOperation.LIST), "faulted requests are counted");
  }

  @Test
  void rateLimitAnswers429WithRetryAfter() throws Exception {
    runtime.faults().set("create", FaultPlan.none().withRateLimitRate(1.0).withRetryAfterSeconds(7));
    TestApi.Reply r = api.call("POST", "/sandboxes", Map.of("templateID", "base"));
    assertEquals(429, r.code());
    assertEquals("7", r.header("Retry-After"));
    assertEquals(429, r.json().get("code").asInt());
    assertEquals(0, runtime.sandboxCount());
  }

  @Test
  void connectionResetGivesTheClientAnIoException() throws Exception {
    String id = api.createId(Map.of("templateID", "base", "timeout", 60));
    runtime.faults().set(ServedOperation.GET, FaultPlan.none().withConnectionResetRate(1.0));
    assertThrows(IOException.class, () -> api.call("GET", "/sandboxes/" + id, null));
    runtime.faults().clear();
    assertEquals(200, api.call("GET", "/sandboxes/" + id, null).code());
  }

  @Test
  void lostCreateResponseStillCreatesTheSandbox() throws Exception {
    runtime.faults().set(ServedOperation.CREATE, FaultPlan.none().withLostCreateResponseRate(1.0));
    assertThrows(IOException.class, () -> api.call("POST", "/sandboxes",
        Map.of("templateID", "base", "timeout", 60, "metadata", Map.of("claim", "c-1"))));
    assertEquals(1, runtime.sandboxCount());
    assertEquals("c-1", runtime.sandboxes().get(0).metadata().get("claim"));
    runtime.faults().clear();
    TestApi.Reply listed = api.call("GET", "/v2/sandboxes?metadata=claim%3Dc-1", null);
    assertEquals(1, listed.json().size(), "the client can find the sandbox it never heard about");
  }

  @Test
  void lostCreateResponseDoesNotCreateOnInvalidRequests() throws Exception {
    runtime.faults().set(ServedOperation.CREATE, FaultPlan.none().withLostCreateResponseRate(1.0));
    assertEquals(404, api.call("POST", "/sandboxes", Map.of("templateID", "nope")).code());
    assertEquals(0, runtime.sandboxCount());
  }

  @Test
  void latencyDelaysTheAnswer() throws Exception {
    runtime.faults().set(ServedOperation.LIST, FaultPlan.none().withLatency(Duration.ofMillis(300)));
    long start = System.nanoTime();
    assertEquals(200, api.call("GET", "/v2/sandboxes", null).code());
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos(), "the latency was not added");
  }

  @Test
  void defaultPlanAppliesToEveryOperationWithoutItsOwn() throws Exception {
    String id = api.createId(Map.of("templateID", "code-interpreter-v1", "timeout", 600));
    runtime.faults().setDefault(FaultPlan.none().withRateLimitRate(1.0));
    runtime.faults().set(ServedOperation.GET, FaultPlan.none());
    assertEquals(429, api.call("GET", "/v2/sandboxes", null).code());
    assertEquals(429, api.call("POST", "/sandboxes/" + id + "/pause", null).code());
    assertEquals(429, api.sandboxCall(id, "POST", "/contexts", Map.of(), null).code());
    assertEquals(429, assertThrows(TestApi.ExecuteFailed.class, () -> api.execute(id, "1")).code);
    assertEquals(200, api.call("GET", "/sandboxes/" + id, null).code());
    runtime.faults().clear();
    assertEquals(200, api.call("GET", "/v2/sandboxes", null).code());
  }

  @Test
  void executeFaultsHappenBeforeAnyOutput() throws Exception {
    String id = api.createId(Map.of("templateID", "code-interpreter-v1", "timeout", 600));
    runtime.faults().set(ServedOperation.EXECUTE, FaultPlan.none().withConnectionResetRate(1.0));
    assertThrows(IOException.class, () -> api.execute(id, "print('never')"));
    runtime.faults().set(ServedOperation.EXECUTE, FaultPlan.none().withErrorRate(1.0));
    int code = assertThrows(TestApi.ExecuteFailed.class, () -> api.execute(id, "1")).code;
    assertTrue(code == 500 || code == 502 || code == 503, "status " + code);
    assertEquals(0, runtime.liveProcessCount(), "no execution ran");
  }

  @Test
  void theSameSeedGivesTheSameFaults() throws Exception {
    List<String> first = outcomes(11);
    List<String> again = outcomes(11);
    assertEquals(first, again);
    assertTrue(first.contains("201") && first.stream().anyMatch(s -> !s.equals("201")), first.toString());
    assertNotEquals(first, outcomes(12));
  }

  /** Forty creates under mixed faults on a fresh runtime: statuses plus the ids that were created. */
  private static List<String> outcomes(long seed) throws Exception {
    try (LocalSandboxRuntime rt = LocalSandboxRuntime.start(RuntimeConfig.builder().seed(seed).build())) {
      TestApi client = new TestApi(rt);
      rt.faults().set(ServedOperation.CREATE, FaultPlan.none().withErrorRate(0.3).withRateLimitRate(0.2)
          .withConnectionResetRate(0.1));
      List<String> out = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        try {
          out.add(Integer.toString(client.call("POST", "/sandboxes", Map.of("templateID", "base")).code()));
        } catch (IOException e) {
          out.add("reset");
        }
      }
      rt.sandboxes().forEach(s -> out.add(s.sandboxId()));
      return out;
    }
  }

  @Test
  void plansRejectImpossibleRates() {
    assertThrows(IllegalArgumentException.class, () -> FaultPlan.none().withErrorRate(1.5));
    assertThrows(IllegalArgumentException.class, () -> FaultPlan.none().withErrorRate(0.6).withRateLimitRate(0.6));
    assertThrows(IllegalArgumentException.class, () -> FaultPlan.none().withLatency(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> runtime.faults().set("teleport", FaultPlan.none()));
  }
}
