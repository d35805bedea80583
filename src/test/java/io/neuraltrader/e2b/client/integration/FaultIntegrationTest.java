package io.neuraltrader.e2b.client.integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.neuraltrader.e2b.client.Api;
import io.neuraltrader.e2b.client.BreakerSettings;
import io.neuraltrader.e2b.client.CircuitBreaker;
import io.neuraltrader.e2b.client.CircuitOpenException;
import io.neuraltrader.e2b.client.ConnectionFailureException;
import io.neuraltrader.e2b.client.CreateOutcomeUnknownException;
import io.neuraltrader.e2b.client.E2BMetrics;
import io.neuraltrader.e2b.client.ExecuteRequest;
import io.neuraltrader.e2b.client.HttpE2BClient;
import io.neuraltrader.e2b.client.ListQuery;
import io.neuraltrader.e2b.client.ListedSandbox;
import io.neuraltrader.e2b.client.NewSandbox;
import io.neuraltrader.e2b.client.Page;
import io.neuraltrader.e2b.client.RateLimitedException;
import io.neuraltrader.e2b.client.Sandbox;
import io.neuraltrader.e2b.client.ServerException;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The client's resilience against faults the runtime really injects on the wire: 429 with Retry-After,
 * 5xx bursts, sustained 5xx (circuit breaker), lost create answers and TCP resets. Retries never sleep:
 * the harness's sleeper records each wait and moves the client's clock instead.
 */
class FaultIntegrationTest {

  private Harness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private Sandbox create(HttpE2BClient client, Map<String, String> metadata) {
    return client.create(NewSandbox.builder(Harness.TEMPLATE).timeoutSeconds(600).metadata(metadata).build());
  }

  @Test
  void a429OnListIsRetriedAfterAtLeastRetryAfter() {
    h = new Harness();
    HttpE2BClient client = h.client();
    Sandbox sb = create(client, Map.of("k", "v"));
    h.runtime.faults().set(ServedOperation.LIST, FaultPlan.none().withRateLimitRate(1.0).withRetryAfterSeconds(3));
    h.afterSleep = n -> {
      if (n == 2) {
        h.runtime.faults().clear();
      }
    };

    Page<ListedSandbox> page = client.list(ListQuery.byMetadata(Map.of("k", "v")));

    assertEquals(List.of(sb.sandboxID()), page.items().stream().map(ListedSandbox::sandboxID).toList());
    assertEquals(2, h.sleeps.size(), "one wait per 429: " + h.sleeps);
    for (Duration d : h.sleeps) {
      assertTrue(d.compareTo(Duration.ofSeconds(3)) >= 0, "waited at least Retry-After: " + h.sleeps);
    }
    assertEquals(3, h.count(ServedOperation.LIST), "two 429s, then the answer");
    assertEquals(2, h.attempts("list", "rate_limited"));
    assertEquals(1, h.attempts("list", "success"));
    assertEquals(2.0, h.retries("list", "rate_limited"));
    assertEquals(CircuitBreaker.State.CLOSED, h.client().circuitState(Api.CONTROL));
  }

  @Test
  void aRetryAfterBeyondTheRetryBudgetIsNotWaitedFor() {
    h = new Harness();
    HttpE2BClient client = h.client();
    h.runtime.faults().set(ServedOperation.LIST, FaultPlan.none().withRateLimitRate(1.0).withRetryAfterSeconds(120));
    RateLimitedException e = assertThrows(RateLimitedException.class, () -> client.list(ListQuery.all()));
    assertEquals(Duration.ofSeconds(120), e.retryAfter().orElseThrow());
    assertEquals(429, e.status());
    assertTrue(h.sleeps.isEmpty(), "a wait past maxTotalTime (60 s) is not started: " + h.sleeps);
    assertEquals(1, h.count(ServedOperation.LIST));
  }

  @Test
  void a503BurstIsRiddenOutWithinTheRetryBudget() {
    long seed = Harness.seedWhoseErrorsAre(ServedOperation.GET, 3, s -> s == 503);
    h = new Harness(seed);
    HttpE2BClient client = h.client();
    Sandbox sb = create(client, Map.of());
    h.runtime.faults().set(ServedOperation.GET, FaultPlan.none().withErrorRate(1.0));
    h.afterSleep = n -> {
      if (n == 3) {
        h.runtime.faults().clear(); // the burst ends after three 503s
      }
    };

    List<Integer> statuses;
    try (StatusLog log = new StatusLog()) {
      assertEquals(sb.sandboxID(), client.get(sb.sandboxID()).sandboxID());
      statuses = log.statuses("get");
    }

    assertEquals(List.of(503, 503, 503, 200), statuses, "what the client saw on the wire");
    assertEquals(4, h.count(ServedOperation.GET));
    assertEquals(3, h.sleeps.size());
    assertEquals(3, h.attempts("get", "server_error"));
    assertEquals(3.0, h.retries("get", "server_error"));
    assertEquals(1, h.attempts("get", "success"));
    Duration total = h.sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    assertTrue(total.compareTo(Harness.RETRIES.maxTotalTime()) < 0, "within the budget: " + h.sleeps);
    for (int i = 0; i < 3; i++) {
      assertTrue(h.sleeps.get(i).compareTo(Harness.RETRIES.backoffCap(i)) <= 0, "jittered backoff " + h.sleeps);
    }
    assertEquals(CircuitBreaker.State.CLOSED, client.circuitState(Api.CONTROL), "3 failures < minimumCalls");
  }

  @Test
  void aBurstLongerThanMaxAttemptsSurfacesTheLastServerError() {
    long seed = Harness.seedWhoseErrorsAre(ServedOperation.GET, 5, s -> s == 503);
    assertArrayEquals(new int[] {503, 503, 503, 503, 503}, Harness.injectedErrorStatuses(seed, ServedOperation.GET, 5));
    h = new Harness(seed);
    HttpE2BClient client = h.client();
    Sandbox sb = create(client, Map.of());
    h.runtime.faults().set(ServedOperation.GET, FaultPlan.none().withErrorRate(1.0));

    ServerException e = assertThrows(ServerException.class, () -> client.get(sb.sandboxID()));

    assertEquals(503, e.status());
    assertEquals(Harness.RETRIES.maxAttempts(), h.count(ServedOperation.GET), "exactly maxAttempts requests");
    assertEquals(Harness.RETRIES.maxAttempts() - 1, h.sleeps.size());
  }

  @Test
  void sustained5xxOpenTheBreakerWhichHalfOpensAfterOpenDurationAndClosesOnSuccess() {
    h = new Harness();
    Duration openFor = Duration.ofSeconds(30);
    // Built first on purpose: with a shared registry only the first client's breaker gauge is registered
    // (see eachClientsOpenBreakerIsVisibleOnASharedRegistry), and this test reads that gauge.
    HttpE2BClient client = h.client(b -> b.breaker(new BreakerSettings(4, 4, 0.5, openFor)));
    // Set up with another client, so this client's breaker window holds only the GETs below.
    Sandbox sb = create(h.client(), Map.of());
    h.runtime.faults().set(ServedOperation.GET, FaultPlan.none().withErrorRate(1.0));

    CircuitOpenException open = null;
    for (int call = 0; call < 10 && open == null; call++) {
      try {
        client.get(sb.sandboxID());
      } catch (ServerException failed) {
        assertTrue(failed.status() >= 500, failed.toString());
      } catch (CircuitOpenException e) {
        open = e;
      }
    }
    assertTrue(open != null, "the breaker opened");
    assertEquals(Api.CONTROL, open.api());
    assertEquals(4, h.count(ServedOperation.GET), "the window (4 of 4 failed) opened it; the refused attempt sent nothing");
    assertEquals(CircuitBreaker.State.OPEN, client.circuitState(Api.CONTROL));
    assertEquals(2.0, gauge("control"));

    CircuitOpenException again = assertThrows(CircuitOpenException.class, () -> client.get(sb.sandboxID()));
    assertEquals(0, again.status());
    assertTrue(again.retryAfter().orElseThrow().compareTo(openFor) <= 0);
    assertEquals(4, h.count(ServedOperation.GET), "refused without a request");
    long creates = h.count(ServedOperation.CREATE);
    assertThrows(CircuitOpenException.class, () -> create(client, Map.of("while", "open")));
    assertEquals(creates, h.count(ServedOperation.CREATE), "a refused create is not even sent");
    assertEquals(1, h.runtime.sandboxCount());

    // The execution API has its own breaker.
    assertEquals(CircuitBreaker.State.CLOSED, client.circuitState(Api.EXECUTE));
    assertEquals("2", client.execute(sb.endpoint(), ExecuteRequest.of("1 + 1"), null).text().orElseThrow());

    // A failed trial re-opens it.
    h.clientClock.advance(openFor);
    assertEquals(CircuitBreaker.State.HALF_OPEN, client.circuitState(Api.CONTROL));
    assertEquals(1.0, gauge("control"));
    assertThrows(RuntimeException.class, () -> client.get(sb.sandboxID()));
    assertEquals(5, h.count(ServedOperation.GET), "exactly one trial request");
    assertEquals(CircuitBreaker.State.OPEN, client.circuitState(Api.CONTROL));

    // A successful trial closes it.
    h.clientClock.advance(openFor);
    assertEquals(CircuitBreaker.State.HALF_OPEN, client.circuitState(Api.CONTROL));
    h.runtime.faults().clear();
    assertEquals(sb.sandboxID(), client.get(sb.sandboxID()).sandboxID());
    assertEquals(6, h.count(ServedOperation.GET));
    assertEquals(CircuitBreaker.State.CLOSED, client.circuitState(Api.CONTROL));
    assertEquals(0.0, gauge("control"));
    assertEquals(1, client.listAll(Map.of(), Set.of()).size());
  }

  private double gauge(String api) {
    // Each client reports its own breaker (tag client); the other clients of the harness stay closed (0).
    return h.registry.get(E2BMetrics.CIRCUIT_STATE).tag(E2BMetrics.TAG_API, api).gauges().stream()
        .mapToDouble(g -> g.value()).max().orElseThrow();
  }

  @Test
  void aLostCreateAnswerIsOutcomeUnknownWithOneRequestAndTheSandboxIsFoundByMetadata() {
    h = new Harness();
    HttpE2BClient client = h.client();
    h.runtime.faults().set(ServedOperation.CREATE, FaultPlan.none().withLostCreateResponseRate(1.0));
    Map<String, String> claim = Map.of("claim", "ns/agent-7", "generation", "3");

    CreateOutcomeUnknownException unknown =
        assertThrows(CreateOutcomeUnknownException.class, () -> create(client, claim));

    assertInstanceOf(ConnectionFailureException.class, unknown.getCause());
    assertFalse(((ConnectionFailureException) unknown.getCause()).requestNotSent());
    assertEquals(1, h.count(ServedOperation.CREATE), "never sent twice");
    assertEquals(1, h.runtime.sandboxCount(), "the sandbox exists anyway");
    assertTrue(h.sleeps.isEmpty());
    assertEquals(1, h.attempts("create", "outcome_unknown"));

    // The caller's idempotent lookup before creating again.
    h.runtime.faults().clear();
    List<ListedSandbox> found = client.listAll(claim, Set.of());
    assertEquals(1, found.size());
    assertEquals(h.runtime.sandboxes().get(0).sandboxId(), found.get(0).sandboxID());
    assertEquals(claim, found.get(0).metadata());
    assertEquals(found.get(0).sandboxID(), client.get(found.get(0).sandboxID()).sandboxID());
    assertEquals(1, h.count(ServedOperation.CREATE));
  }

  @Test
  void aCreateAnswered5xxIsOutcomeUnknownAndNotRetried() {
    h = new Harness();
    HttpE2BClient client = h.client();
    h.runtime.faults().set(ServedOperation.CREATE, FaultPlan.none().withErrorRate(1.0));
    CreateOutcomeUnknownException unknown =
        assertThrows(CreateOutcomeUnknownException.class, () -> create(client, Map.of("claim", "c-5xx")));
    assertInstanceOf(ServerException.class, unknown.getCause());
    assertEquals(1, h.count(ServedOperation.CREATE));
    assertTrue(h.sleeps.isEmpty());
    h.runtime.faults().clear();
    assertTrue(client.listAll(Map.of("claim", "c-5xx"), Set.of()).isEmpty(),
        "here the runtime failed before creating: the lookup says create again");
  }

  @Test
  void aCreateAnswered429IsRetriedBecauseNothingWasCreated() {
    h = new Harness();
    HttpE2BClient client = h.client();
    h.runtime.faults().set(ServedOperation.CREATE, FaultPlan.none().withRateLimitRate(1.0).withRetryAfterSeconds(2));
    h.afterSleep = n -> h.runtime.faults().clear();
    Sandbox sb = create(client, Map.of("claim", "c-429"));
    assertEquals(2, h.count(ServedOperation.CREATE));
    assertEquals(1, h.runtime.sandboxCount());
    assertEquals(sb.sandboxID(), h.runtime.sandboxes().get(0).sandboxId());
    assertEquals(1, h.sleeps.size());
    assertTrue(h.sleeps.get(0).compareTo(Duration.ofSeconds(2)) >= 0);
  }

  @Test
  void connectionResetsOnGetAreRetried() {
    h = new Harness();
    HttpE2BClient client = h.client();
    Sandbox sb = create(client, Map.of());
    h.runtime.faults().set(ServedOperation.GET, FaultPlan.none().withConnectionResetRate(1.0));
    h.afterSleep = n -> h.runtime.faults().clear();

    assertEquals(sb.sandboxID(), client.get(sb.sandboxID()).sandboxID());

    assertEquals(1, h.sleeps.size(), "one retry by the client");
    assertEquals(1.0, h.retries("get", "connection_error"));
    assertTrue(h.count(ServedOperation.GET) >= 2, "reset, then answered: " + h.count(ServedOperation.GET));
    assertEquals(1, h.attempts("get", "success"));
  }

  @Test
  void aSlowAnswerPastTheReadTimeoutIsATimeoutAndIsRetried() {
    h = new Harness();
    HttpE2BClient client = h.client(b -> b.readTimeout(Duration.ofMillis(300)));
    Sandbox sb = create(client, Map.of());
    // Real latency far beyond the read timeout; the assertions are about outcomes only, never durations.
    h.runtime.faults().set(ServedOperation.GET, FaultPlan.none().withLatency(Duration.ofSeconds(5)));
    h.afterSleep = n -> h.runtime.faults().clear();

    assertEquals(sb.sandboxID(), client.get(sb.sandboxID()).sandboxID());

    assertEquals(2, h.count(ServedOperation.GET), "timed out once (OkHttp does not resend after a read timeout), then answered");
    assertEquals(1, h.attempts("get", "timeout"));
    assertEquals(1.0, h.retries("get", "timeout"));
    assertEquals(1, h.sleeps.size());
  }

  @Test
  void executionsAgainstDeadSandboxesDoNotOpenTheExecuteBreaker() {
    h = new Harness();
    HttpE2BClient client = h.client(b -> b.breaker(new BreakerSettings(4, 4, 0.5, Duration.ofSeconds(30))));
    Sandbox live = create(client, Map.of());
    Sandbox dead = create(client, Map.of());
    assertTrue(client.kill(dead.sandboxID()));
    for (int i = 0; i < 8; i++) {
      assertThrows(io.neuraltrader.e2b.client.SandboxNotFoundException.class,
          () -> client.execute(dead.endpoint(), ExecuteRequest.of("1"), null));
    }
    assertEquals(CircuitBreaker.State.CLOSED, client.circuitState(Api.EXECUTE),
        "'sandbox not found' judges the request, not the service");
    assertEquals("1", client.execute(live.endpoint(), ExecuteRequest.of("1"), null).text().orElseThrow());
  }

  /**
   * Two clients on one registry (what E2BClients' one-client-per-credentials design leads to when the operator
   * passes its registry to each): the e2b.circuit.state gauge has the same id for both, Micrometer keeps the
   * first registration, so the second client's open breaker is invisible on the dashboard.
   */
  @Test
  void eachClientsOpenBreakerIsVisibleOnASharedRegistry() {
    h = new Harness();
    HttpE2BClient first = h.client();
    HttpE2BClient second = h.client(b -> b.breaker(new BreakerSettings(4, 4, 0.5, Duration.ofSeconds(30))));
    Sandbox sb = create(first, Map.of());
    h.runtime.faults().set(ServedOperation.GET, FaultPlan.none().withErrorRate(1.0));
    for (int i = 0; i < 10 && second.circuitState(Api.CONTROL) != CircuitBreaker.State.OPEN; i++) {
      assertThrows(RuntimeException.class, () -> second.get(sb.sandboxID()));
    }
    assertEquals(CircuitBreaker.State.OPEN, second.circuitState(Api.CONTROL));
    assertEquals(CircuitBreaker.State.CLOSED, first.circuitState(Api.CONTROL));

    List<Double> controlGauges = h.registry.find(E2BMetrics.CIRCUIT_STATE).tag(E2BMetrics.TAG_API, "control")
        .gauges().stream().map(g -> g.value()).toList();
    assertTrue(controlGauges.contains(2.0),
        "some e2b.circuit.state{api=control} gauge must report the open breaker, got " + controlGauges);
  }

  /** Captures the client's per-attempt debug lines ("e2b get attempt=1 status=503 ...") to see the wire. */
  private static final class StatusLog implements AutoCloseable {
    private static final Pattern LINE = Pattern.compile("^e2b (\\S+) attempt=\\d+ status=(\\d+) ");
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.neuraltrader.e2b.client.CallExecutor");
    private final Level before = logger.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    StatusLog() {
      appender.start();
      logger.addAppender(appender);
      logger.setLevel(Level.DEBUG);
    }

    List<Integer> statuses(String operation) {
      List<Integer> out = new ArrayList<>();
      for (ILoggingEvent e : snapshot(appender)) {
        Matcher m = LINE.matcher(e.getFormattedMessage());
        if (m.find() && m.group(1).equals(operation)) {
          out.add(Integer.parseInt(m.group(2)));
        }
      }
      return out;
    }

    @Override
    public void close() {
      logger.detachAppender(appender);
      logger.setLevel(before);
    }
  }

  /** The events logged so far, copied under the appender's lock (operator threads keep appending). */
  private static java.util.List<ch.qos.logback.classic.spi.ILoggingEvent> snapshot(
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender) {
    synchronized (appender) {
      return new java.util.ArrayList<>(appender.list);
    }
  }
}
