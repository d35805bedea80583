package io.neuraltrader.e2b.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResilienceTest {
  private final Fixture fx = new Fixture();
  private final HttpE2BClient client = fx.client();

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  // ---- typed errors ----

  @Test
  void statusesMapToTypedErrors() {
    record Case(int status, String body, Class<? extends E2BException> type, String outcome) { }
    List<Case> cases = List.of(
        new Case(400, Fixture.error(400, "timeout exceeds tier maximum"), BadRequestException.class, "bad_request"),
        new Case(401, Fixture.error(401, "invalid key"), AuthException.class, "auth"),
        new Case(403, Fixture.error(403, "forbidden"), AuthException.class, "auth"),
        new Case(404, Fixture.error(404, "not found"), SandboxNotFoundException.class, "not_found"),
        new Case(409, Fixture.error(409, "paused"), ConflictException.class, "conflict"),
        new Case(422, "not json at all", BadRequestException.class, "bad_request"),
        new Case(500, Fixture.error(500, "boom"), ServerException.class, "server_error"));
    for (Case c : cases) {
      fx.enqueue(c.status(), c.body());
      E2BException e = assertThrows(E2BException.class, () -> client.get("isb1"), "status " + c.status());
      assertInstanceOf(c.type(), e, "status " + c.status());
      assertEquals(c.status(), e.status());
      assertEquals(Operation.GET, e.operation());
      assertEquals(c.outcome(), e.outcome().tag());
      assertTrue(e.getMessage().contains("HTTP " + c.status()), e.getMessage());
    }
    E2BException last = assertThrows(ServerException.class, () -> {
      fx.enqueue(500, "{\"code\":500,\"message\":\"db down\",\"error_code\":\"internal_server_error\"}");
      client.get("isb1");
    });
    assertEquals(500, last.code().orElseThrow());
    assertEquals("db down", last.e2bMessage().orElseThrow());
    assertEquals("internal_server_error", last.errorCode().orElseThrow());
  }

  @Test
  void capacityRule() {
    fx.enqueue(503, "{\"code\":503,\"message\":\"no node\",\"error_code\":\"sandbox_capacity_unavailable\"}");
    fx.enqueue(429, Fixture.error(429, "You have reached the maximum number of concurrent E2B sandboxes (20)"));
    fx.enqueue(500, "{\"code\":500,\"message\":\"x\",\"error_code\":\"sandbox_capacity_unavailable\"}");
    for (int i = 0; i < 3; i++) {
      CapacityException e = assertThrows(CapacityException.class,
          () -> client.create(NewSandbox.builder("t").build()));
      assertEquals("capacity", e.outcome().tag());
    }
    assertEquals(3, fx.server.getRequestCount(), "capacity is not retried");
    assertTrue(fx.sleeps.isEmpty());
    assertFalse(ErrorMapper.isCapacity(new ErrorDetails(Operation.GET, 500, 500, "capacity", null, null)),
        "a 500 mentioning capacity without the error_code is a server error");
  }

  @Test
  void retryAfterParsing() {
    assertEquals(Duration.ofSeconds(7), ErrorMapper.parseRetryAfter("7", fx.clock));
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(Fixture.START.plusSeconds(12).atZone(ZoneOffset.UTC));
    assertEquals(Duration.ofSeconds(12), ErrorMapper.parseRetryAfter(date, fx.clock));
    assertEquals(null, ErrorMapper.parseRetryAfter("soon", fx.clock));
    assertEquals(null, ErrorMapper.parseRetryAfter("-3", fx.clock));
  }

  // ---- retries ----

  @Test
  void rateLimitedWaitsForRetryAfterSeconds() {
    fx.server.enqueue(Fixture.json(429, Fixture.error(429, "rate limit")).setHeader("Retry-After", "7"));
    fx.enqueue(200, Fixture.DETAIL_JSON);
    assertEquals("isb123", client.get("isb123").sandboxID());
    assertEquals(List.of(Duration.ofSeconds(7)), fx.sleeps);
    assertEquals(1, fx.retryCount("get", "rate_limited"));
    assertEquals(1, fx.timerCount("get", "rate_limited"));
    assertEquals(1, fx.timerCount("get", "success"));
  }

  @Test
  void rateLimitedWaitsForRetryAfterDate() {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(Fixture.START.plusSeconds(12).atZone(ZoneOffset.UTC));
    fx.server.enqueue(Fixture.json(429, Fixture.error(429, "slow down")).setHeader("Retry-After", date));
    fx.enqueue(200, "[]");
    client.list(ListQuery.all());
    assertEquals(List.of(Duration.ofSeconds(12)), fx.sleeps);
  }

  @Test
  void burstOf503IsRiddenOutWithFullJitter() {
    fx.enqueue(503, Fixture.error(503, "unavailable"));
    fx.enqueue(502, Fixture.error(502, "bad gateway"));
    fx.enqueue(504, Fixture.error(504, "gateway timeout"));
    fx.enqueue(200, Fixture.DETAIL_JSON);

    client.get("isb123");

    assertEquals(4, fx.server.getRequestCount());
    assertEquals(3, fx.sleeps.size());
    RetryPolicy p = fx.config().build().retryPolicy();
    for (int i = 0; i < 3; i++) {
      Duration d = fx.sleeps.get(i);
      assertFalse(d.isNegative());
      assertTrue(d.compareTo(p.backoffCap(i)) <= 0, "wait " + i + " " + d + " within cap " + p.backoffCap(i));
    }
    assertEquals(3, fx.retryCount("get", "server_error"));
  }

  @Test
  void backoffCapDoublesUpToMax() {
    RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(700), Duration.ofMinutes(1));
    assertEquals(Duration.ofMillis(100), p.backoffCap(0));
    assertEquals(Duration.ofMillis(200), p.backoffCap(1));
    assertEquals(Duration.ofMillis(400), p.backoffCap(2));
    assertEquals(Duration.ofMillis(700), p.backoffCap(3));
    assertEquals(Duration.ofMillis(700), p.backoffCap(40));
  }

  @Test
  void attemptsAreBounded() {
    for (int i = 0; i < 6; i++) {
      fx.enqueue(503, Fixture.error(503, "unavailable"));
    }
    assertThrows(ServerException.class, () -> client.get("isb1"));
    assertEquals(4, fx.server.getRequestCount(), "maxAttempts = 4");
    assertEquals(3, fx.sleeps.size());
  }

  @Test
  void totalTimeIsBoundedOnTheInjectedClock() {
    HttpE2BClient c = fx.client(b -> b.retryPolicy(
        new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5))));
    for (int i = 0; i < 6; i++) {
      fx.server.enqueue(Fixture.json(429, Fixture.error(429, "rate limit")).setHeader("Retry-After", "2"));
    }
    RateLimitedException e = assertThrows(RateLimitedException.class, () -> c.get("isb1"));
    assertEquals(Duration.ofSeconds(2), e.retryAfter().orElseThrow());
    // t=0 attempt, wait 2, t=2 attempt, wait 2, t=4 attempt; a third wait would end at 6 > 5.
    assertEquals(3, fx.server.getRequestCount());
    assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2)), fx.sleeps);
  }

  @Test
  void fourHundredsAreNotRetried() {
    fx.enqueue(400, Fixture.error(400, "bad"));
    assertThrows(BadRequestException.class, () -> client.setTimeout("isb1", 10));
    assertEquals(1, fx.server.getRequestCount());
  }

  @Test
  void lostResponseOfReadIsRetried() {
    fx.server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    fx.enqueue(200, Fixture.DETAIL_JSON);
    assertEquals("isb123", client.get("isb123").sandboxID());
    assertTrue(fx.retryCount("get", "connection_error") >= 1);
  }

  // ---- create is special ----

  @Test
  void createIsNotRetriedAfterALostResponse() {
    fx.server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    fx.enqueue(201, Fixture.SANDBOX_JSON);
    CreateOutcomeUnknownException e = assertThrows(CreateOutcomeUnknownException.class,
        () -> client.create(NewSandbox.builder("t").metadata(java.util.Map.of("owner", "ns/a")).build()));
    assertEquals(1, fx.server.getRequestCount(), "exactly one POST");
    assertTrue(e.getMessage().contains("look up by metadata"), e.getMessage());
    assertInstanceOf(ConnectionFailureException.class, e.getCause());
    assertEquals(1, fx.timerCount("create", "outcome_unknown"));
  }

  @Test
  void createIsNotRetriedAfterA5xx() {
    fx.enqueue(502, Fixture.error(502, "bad gateway"));
    fx.enqueue(201, Fixture.SANDBOX_JSON);
    assertThrows(CreateOutcomeUnknownException.class, () -> client.create(NewSandbox.builder("t").build()));
    assertEquals(1, fx.server.getRequestCount());
  }

  @Test
  void createIsNotRetriedAfterATimeout() {
    HttpE2BClient c = fx.client(b -> b.readTimeout(Duration.ofMillis(200)));
    fx.server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    CreateOutcomeUnknownException e = assertThrows(CreateOutcomeUnknownException.class,
        () -> c.create(NewSandbox.builder("t").build()));
    assertInstanceOf(E2BTimeoutException.class, e.getCause());
    assertEquals(1, fx.server.getRequestCount());
  }

  @Test
  void createIsRetriedAfter429() {
    fx.server.enqueue(Fixture.json(429, Fixture.error(429, "rate limit exceeded")).setHeader("Retry-After", "1"));
    fx.enqueue(201, Fixture.SANDBOX_JSON);
    assertEquals("isb123", client.create(NewSandbox.builder("t").build()).sandboxID());
    assertEquals(2, fx.server.getRequestCount());
    assertEquals(List.of(Duration.ofSeconds(1)), fx.sleeps);
    assertEquals(1, fx.retryCount("create", "rate_limited"));
  }

  @Test
  void createIsRetriedWhenItCouldNotConnect() throws Exception {
    MockWebServer gone = new MockWebServer();
    gone.start();
    String url = gone.url("/").toString();
    gone.shutdown();
    HttpE2BClient c = fx.client(b -> b.apiUrl(url));
    ConnectionFailureException e = assertThrows(ConnectionFailureException.class,
        () -> c.create(NewSandbox.builder("t").build()));
    assertTrue(e.requestNotSent());
    assertEquals(3, fx.sleeps.size(), "4 attempts, 3 waits");
    assertEquals(3, fx.retryCount("create", "connection_error"));
  }
}
