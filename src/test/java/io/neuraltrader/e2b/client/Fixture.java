package io.neuraltrader.e2b.client;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neuraltrader.e2b.local.SimulatedClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;

/** A MockWebServer, a frozen clock, a sleeper that records waits and moves the clock, a registry. */
final class Fixture implements AutoCloseable {
  static final String KEY = "e2b_0123456789abcdefSECRETKEY";
  static final Instant START = Instant.parse("2025-01-02T10:00:00Z");

  final MockWebServer server = new MockWebServer();
  final SimulatedClock clock = SimulatedClock.frozenAt(START);
  final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
  final Sleeper sleeper = d -> {
    sleeps.add(d);
    clock.advance(d);
  };
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<HttpE2BClient> clients = new ArrayList<>();

  Fixture() {
    try {
      server.start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  E2BClientConfig.Builder config() {
    String base = server.url("/").toString();
    return E2BClientConfig.builder(ApiKey.of(KEY))
        .apiUrl(base)
        .sandboxUrlOverride(base)
        .readTimeout(Duration.ofSeconds(5))
        .rateLimit(new RateLimit(1_000_000, 1_000_000))
        .retryPolicy(new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(60)));
  }

  HttpE2BClient client() {
    return client(b -> b);
  }

  HttpE2BClient client(UnaryOperator<E2BClientConfig.Builder> tune) {
    HttpE2BClient c = HttpE2BClient.builder(tune.apply(config()).build())
        .clock(clock).sleeper(sleeper).random(new Random(42)).meterRegistry(registry).build();
    clients.add(c);
    return c;
  }

  void enqueue(int status, String body) {
    server.enqueue(json(status, body));
  }

  static MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
  }

  static String error(int code, String message) {
    return "{\"code\":" + code + ",\"message\":\"" + message + "\"}";
  }

  static final String SANDBOX_JSON = "{\"templateID\":\"code-interpreter-v1\",\"sandboxID\":\"isb123\","
      + "\"alias\":\"ci\",\"clientID\":\"6532622b\",\"envdVersion\":\"0.2.0\",\"envdAccessToken\":\"tok-1\","
      + "\"domain\":\"e2b.app\",\"somethingNew\":true}";

  static final String DETAIL_JSON = "{\"templateID\":\"code-interpreter-v1\",\"sandboxID\":\"isb123\","
      + "\"clientID\":\"6532622b\",\"startedAt\":\"2025-01-02T09:00:00Z\",\"endAt\":\"2025-01-02T10:05:00.5Z\","
      + "\"cpuCount\":2,\"memoryMB\":512,\"diskSizeMB\":1024,\"state\":\"running\",\"envdVersion\":\"0.2.0\","
      + "\"metadata\":{\"owner\":\"ns/a\"},\"lifecycle\":{\"x\":1}}";

  double timerCount(String op, String outcome) {
    var t = registry.find(E2BMetrics.REQUESTS).tag("operation", op).tag("outcome", outcome).timer();
    return t == null ? 0 : t.count();
  }

  double retryCount(String op, String reason) {
    var c = registry.find(E2BMetrics.RETRIES).tag("operation", op).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() throws IOException {
    clients.forEach(HttpE2BClient::close);
    server.shutdown();
  }
}
