package io.neuraltrader.e2b.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.local.SimulatedClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Circuit breaker, rate limiter and the concurrent-create cap. */
class GuardsTest {
  private final Fixture fx = new Fixture();

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  private double gauge(String api) {
    return fx.registry.get(E2BMetrics.CIRCUIT_STATE).tag("api", api).gauge().value();
  }

  @Test
  void breakerOpensFailsFastHalfOpensAndCloses() {
    HttpE2BClient c = fx.client(b -> b.breaker(new BreakerSettings(4, 4, 0.5, Duration.ofSeconds(30))));
    for (int i = 0; i < 4; i++) {
      fx.enqueue(500, Fixture.error(500, "boom"));
    }
    for (int i = 0; i < 4; i++) {
      assertThrows(ServerException.class, () -> c.get("isb1"));
    }
    assertEquals(CircuitBreaker.State.OPEN, c.circuitState(Api.CONTROL));
    assertEquals(2, gauge("control"));
    assertEquals(0, gauge("execute"), "the execution API has its own breaker");

    CircuitOpenException open = assertThrows(CircuitOpenException.class, () -> c.get("isb1"));
    assertEquals(4, fx.server.getRequestCount(), "no HTTP while open");
    assertEquals(Duration.ofSeconds(30), open.retryAfter().orElseThrow());
    assertEquals(Api.CONTROL, open.api());
    assertEquals(1, fx.timerCount("get", "circuit_open"));

    fx.clock.advance(Duration.ofSeconds(10));
    assertEquals(Duration.ofSeconds(20),
        assertThrows(CircuitOpenException.class, () -> c.list(ListQuery.all())).retryAfter().orElseThrow());

    fx.clock.advance(Duration.ofSeconds(20));
    assertEquals(CircuitBreaker.State.HALF_OPEN, c.circuitState(Api.CONTROL));
    assertEquals(1, gauge("control"));
    fx.enqueue(200, Fixture.DETAIL_JSON);
    c.get("isb123");
    assertEquals(CircuitBreaker.State.CLOSED, c.circuitState(Api.CONTROL));
    assertEquals(0, gauge("control"));
  }

  @Test
  void clientErrorsAndRateLimitsDoNotOpenTheBreaker() {
    HttpE2BClient c = fx.client(b -> b.breaker(new BreakerSettings(4, 4, 0.5, Duration.ofSeconds(30)))
        .retryPolicy(RetryPolicy.none()));
    for (int i = 0; i < 3; i++) {
      fx.enqueue(404, Fixture.error(404, "nope"));
      fx.enqueue(429, Fixture.error(429, "rate limit"));
      fx.enqueue(409, Fixture.error(409, "conflict"));
    }
    for (int i = 0; i < 3; i++) {
      assertThrows(SandboxNotFoundException.class, () -> c.get("isb1"));
      assertThrows(RateLimitedException.class, () -> c.get("isb1"));
      assertThrows(ConflictException.class, () -> c.get("isb1"));
    }
    assertEquals(CircuitBreaker.State.CLOSED, c.circuitState(Api.CONTROL));
  }

  @Test
  void breakerNeedsMinimumCallsAndFailureRate() {
    SimulatedClock clock = SimulatedClock.frozenAt(Fixture.START);
    CircuitBreaker b = new CircuitBreaker(Api.CONTROL, new BreakerSettings(10, 4, 0.5, Duration.ofSeconds(5)), clock);
    b.acquire(Operation.GET);
    b.onFailure();
    b.onFailure();
    b.onFailure();
    assertEquals(CircuitBreaker.State.CLOSED, b.state(), "3 calls < minimum 4");
    for (int i = 0; i < 4; i++) {
      b.onSuccess();
    }
    assertEquals(CircuitBreaker.State.CLOSED, b.state(), "3 of 7 failed");
    b.onFailure();
    assertEquals(CircuitBreaker.State.OPEN, b.state(), "4 of 8 failed: 50% reaches the threshold");
  }

  @Test
  void breakerWindowSlidesAndHalfOpenAdmitsOneTrial() {
    SimulatedClock clock = SimulatedClock.frozenAt(Fixture.START);
    CircuitBreaker b = new CircuitBreaker(Api.EXECUTE, new BreakerSettings(4, 4, 0.75, Duration.ofSeconds(5)), clock);
    b.onFailure();
    b.onFailure();
    b.onSuccess();
    b.onSuccess();
    b.onFailure(); // window now F S S F: 2 of 4
    assertEquals(CircuitBreaker.State.CLOSED, b.state());
    b.onFailure(); // S S F F -> window S F F F after the next one
    b.onFailure();
    assertEquals(CircuitBreaker.State.OPEN, b.state(), "3 of the last 4 failed");

    clock.advance(Duration.ofSeconds(5));
    b.acquire(Operation.EXECUTE);
    assertThrows(CircuitOpenException.class, () -> b.acquire(Operation.EXECUTE), "one trial at a time");
    b.onFailure();
    assertEquals(CircuitBreaker.State.OPEN, b.state(), "a failed trial reopens");
    clock.advance(Duration.ofSeconds(5));
    b.acquire(Operation.EXECUTE);
    b.release();
    b.acquire(Operation.EXECUTE);
    b.onSuccess();
    assertEquals(CircuitBreaker.State.CLOSED, b.state());
  }

  @Test
  void rateLimiterThrottlesOnTheInjectedClock() throws Exception {
    AtomicInteger throttled = new AtomicInteger();
    TokenBucketRateLimiter l = new TokenBucketRateLimiter(new RateLimit(2, 2), fx.clock, fx.sleeper,
        throttled::incrementAndGet);
    for (int i = 0; i < 4; i++) {
      l.acquire();
    }
    assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(500)), fx.sleeps);
    assertEquals(2, throttled.get());
    fx.clock.advance(Duration.ofSeconds(10));
    fx.sleeps.clear();
    l.acquire();
    l.acquire();
    assertTrue(fx.sleeps.isEmpty(), "a quiet period refills the burst");
  }

  @Test
  void renewalsAndKillsDoNotWaitBehindAQueueOfOrdinaryCalls() {
    TokenBucketRateLimiter l = new TokenBucketRateLimiter(new RateLimit(2, 2), fx.clock, fx.sleeper, () -> { });
    Duration last = Duration.ZERO;
    for (int i = 0; i < 20; i++) {
      last = l.reserve();
    }
    assertEquals(Duration.ofSeconds(9), last, "20 queued creates: the last waits 9 s");
    assertEquals(Duration.ZERO, l.reservePriority(), "a renewal goes now");
    assertEquals(Duration.ZERO, l.reservePriority());
    assertEquals(Duration.ofMillis(500), l.reservePriority(), "priority calls are still paced by their own bucket");
    assertEquals(Duration.ofMillis(11_000), l.reserve(), "and they count against the shared budget");
    assertTrue(Operation.SET_TIMEOUT.priority() && Operation.KILL.priority());
    assertFalse(Operation.CREATE.priority() || Operation.LIST.priority());
  }

  @Test
  void rateLimiterAppliesToControlCallsOnly() {
    HttpE2BClient c = fx.client(b -> b.rateLimit(new RateLimit(1, 1)));
    fx.enqueue(200, "[]");
    fx.enqueue(200, "[]");
    fx.server.enqueue(new MockResponse().setBody("{\"type\":\"end_of_execution\"}\n"));
    c.list(ListQuery.all());
    c.list(ListQuery.all());
    c.execute(SandboxEndpoint.of("isb1"), ExecuteRequest.of("1"), null);
    assertEquals(List.of(Duration.ofSeconds(1)), fx.sleeps);
    assertEquals(1.0, fx.registry.get(E2BMetrics.THROTTLED).counter().count());
  }

  @Test
  void concurrentCreatesAreCapped() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    fx.server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        release.await(20, TimeUnit.SECONDS);
        inFlight.decrementAndGet();
        return Fixture.json(201, Fixture.SANDBOX_JSON);
      }
    });
    HttpE2BClient c = fx.client(b -> b.maxConcurrentCreates(2));
    List<Thread> threads = new ArrayList<>();
    AtomicInteger created = new AtomicInteger();
    for (int i = 0; i < 5; i++) {
      Thread t = new Thread(() -> {
        c.create(NewSandbox.builder("t").build());
        created.incrementAndGet();
      });
      threads.add(t);
      t.start();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> fx.server.getRequestCount() == 2
        && threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count() >= 3);
    assertEquals(2, fx.server.getRequestCount(), "the other three wait for a slot");
    release.countDown();
    for (Thread t : threads) {
      t.join(20_000);
    }
    assertEquals(5, created.get());
    assertEquals(5, fx.server.getRequestCount());
    assertEquals(2, maxInFlight.get());
  }
}
