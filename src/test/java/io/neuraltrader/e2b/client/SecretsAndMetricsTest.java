package io.neuraltrader.e2b.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SecretsAndMetricsTest {
  private final Fixture fx = new Fixture();

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  @Test
  void apiKeyAppearsNowhere() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger ours = (Logger) LoggerFactory.getLogger("io.neuraltrader.e2b");
    Logger okhttp = (Logger) LoggerFactory.getLogger("okhttp3");
    Level oursBefore = ours.getLevel();
    Level okBefore = okhttp.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    ours.setLevel(Level.DEBUG);
    okhttp.setLevel(Level.DEBUG);
    List<String> texts = new ArrayList<>();
    try {
      HttpE2BClient c = fx.client(b -> b.readTimeout(Duration.ofMillis(200))
          .breaker(new BreakerSettings(20, 20, 1.0, Duration.ofSeconds(30))));
      texts.add(c.toString());
      texts.add(fx.config().build().toString());
      texts.add(ApiKey.of(Fixture.KEY).toString());
      // Error bodies that echo the key back must not carry it into messages.
      fx.enqueue(401, Fixture.error(401, "Invalid API key " + Fixture.KEY));
      fx.enqueue(403, "forbidden for key " + Fixture.KEY);
      fx.enqueue(404, Fixture.error(404, "sandbox not found"));
      fx.enqueue(409, Fixture.error(409, "paused"));
      fx.server.enqueue(Fixture.json(429, Fixture.error(429, "limit")).setHeader("Retry-After", "1"));
      fx.enqueue(429, "{\"code\":429,\"message\":\"concurrent limit\",\"error_code\":\"" + Fixture.KEY + "\"}");
      fx.enqueue(500, Fixture.error(500, "boom"));
      fx.enqueue(502, Fixture.error(502, "The sandbox was not found"));
      fx.server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
      fx.server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
      List<Supplier<Object>> calls = List.of(
          () -> c.get("isb1"),
          () -> c.list(ListQuery.all()),
          () -> c.kill("isb1") ? "killed" : "gone",
          () -> {
            c.pause("isb1");
            return "paused";
          },
          () -> c.create(NewSandbox.builder("t").build()),
          () -> c.get("isb1"),
          () -> c.execute(SandboxEndpoint.of("isb1"), ExecuteRequest.of("1"), null),
          () -> c.create(NewSandbox.builder("t").build()),
          () -> c.create(NewSandbox.builder("t").build()));
      for (Supplier<Object> call : calls) {
        try {
          texts.add(String.valueOf(call.get()));
        } catch (E2BException e) {
          texts.add(e.toString());
          StringWriter sw = new StringWriter();
          e.printStackTrace(new PrintWriter(sw));
          texts.add(sw.toString());
          LoggerFactory.getLogger("test.reconciler").warn("call failed", e);
        }
      }
    } finally {
      root.detachAppender(logs);
      ours.setLevel(oursBefore);
      okhttp.setLevel(okBefore);
    }
    assertTrue(snapshot(logs).size() > 10, "debug logging happened: " + snapshot(logs).size());
    for (ILoggingEvent ev : snapshot(logs)) {
      texts.add(ev.getFormattedMessage());
      for (IThrowableProxy t = ev.getThrowableProxy(); t != null; t = t.getCause()) {
        texts.add(t.getClassName() + ": " + t.getMessage());
      }
    }
    for (Meter m : fx.registry.getMeters()) {
      for (Tag t : m.getId().getTags()) {
        texts.add(t.getKey() + "=" + t.getValue());
      }
    }
    String all = String.join("\n", texts);
    assertTrue(all.contains(Redactor.MASK), "echoed key was replaced");
    assertFalse(all.contains(Fixture.KEY), "the API key leaked");
    assertFalse(all.contains(Fixture.KEY.substring(4, 20)), "a fragment of the API key leaked");
  }

  @Test
  void requestTimerIsAPrometheusHistogramWithOperationAndOutcome() {
    PrometheusMeterRegistry prom = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpE2BClient c = HttpE2BClient.builder(fx.config().build())
        .meterRegistry(prom).clock(fx.clock).sleeper(fx.sleeper).random(new Random(1)).build();
    try {
      fx.enqueue(503, Fixture.error(503, "unavailable"));
      fx.enqueue(200, Fixture.DETAIL_JSON);
      fx.enqueue(404, Fixture.error(404, "gone"));
      c.get("isb1");
      c.kill("isb1");
      String scrape = prom.scrape();
      assertTrue(scrape.contains("e2b_requests_seconds_count{operation=\"get\",outcome=\"success\"} 1"), scrape);
      assertTrue(scrape.contains("e2b_requests_seconds_count{operation=\"get\",outcome=\"server_error\"} 1"));
      assertTrue(scrape.contains("e2b_requests_seconds_count{operation=\"kill\",outcome=\"not_found\"} 1"));
      assertTrue(scrape.contains("e2b_requests_seconds_bucket{"), "histogram buckets are published");
      assertTrue(scrape.contains("e2b_requests_seconds_sum{"));
      assertTrue(scrape.contains("e2b_retries_total{operation=\"get\",reason=\"server_error\"} 1"));
      // One gauge per client and API (tag client names the client, never its key).
      assertTrue(scrape.lines().anyMatch(l -> l.matches("e2b_circuit_state\\{api=\"control\",client=\"[^\"]+\"} 0(\\.0)?")),
          scrape);
      assertTrue(scrape.lines().anyMatch(l -> l.matches("e2b_circuit_state\\{api=\"execute\",client=\"[^\"]+\"} 0(\\.0)?")),
          scrape);
      assertTrue(scrape.contains("e2b_ratelimiter_throttled_total"));
    } finally {
      c.close();
    }
  }

  @Test
  void everyOperationHasTheDocumentedTag() {
    List<String> tags = new ArrayList<>();
    for (Operation o : Operation.values()) {
      tags.add(o.tag());
    }
    assertEquals(List.of("create", "list", "get", "kill", "set_timeout", "pause", "connect", "metrics",
        "sandbox_metrics", "execute", "create_context", "restart_context", "delete_context"), tags);
  }

  /** The events logged so far, copied under the appender's lock (operator threads keep appending). */
  private static java.util.List<ch.qos.logback.classic.spi.ILoggingEvent> snapshot(
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender) {
    synchronized (appender) {
      return new java.util.ArrayList<>(appender.list);
    }
  }
}
