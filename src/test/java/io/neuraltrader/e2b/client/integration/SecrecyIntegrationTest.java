package io.neuraltrader.e2b.client.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.neuraltrader.e2b.client.AuthException;
import io.neuraltrader.e2b.client.BadRequestException;
import io.neuraltrader.e2b.client.BreakerSettings;
import io.neuraltrader.e2b.client.CircuitOpenException;
import io.neuraltrader.e2b.client.ConflictException;
import io.neuraltrader.e2b.client.CreateOutcomeUnknownException;
import io.neuraltrader.e2b.client.E2BException;
import io.neuraltrader.e2b.client.ExecuteRequest;
import io.neuraltrader.e2b.client.HttpE2BClient;
import io.neuraltrader.e2b.client.ListQuery;
import io.neuraltrader.e2b.client.NewSandbox;
import io.neuraltrader.e2b.client.RateLimitedException;
import io.neuraltrader.e2b.client.Sandbox;
import io.neuraltrader.e2b.client.SandboxEndpoint;
import io.neuraltrader.e2b.client.SandboxNotFoundException;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The API key must not reach any log event, exception text or meter tag, whatever happens: successes,
 * auth failures, 4xx, injected 429/5xx/resets/lost answers, an open breaker, executions and their errors.
 */
class SecrecyIntegrationTest {
  private static final String WRONG_KEY = "e2b_it_0b1d2f3e4c5a6978WRONGKEY";

  private final List<String> texts = new ArrayList<>();
  private final Set<Class<?>> failures = new LinkedHashSet<>();
  private final org.slf4j.Logger caller = LoggerFactory.getLogger("test.reconciler");

  /** Runs a call like a reconciler would: keep what it returned or threw, and log failures with their stack. */
  private void call(Supplier<Object> c) {
    try {
      texts.add(String.valueOf(c.get()));
    } catch (E2BException e) {
      failures.add(e.getClass());
      texts.add(e.toString());
      texts.add(String.valueOf(e.getMessage()));
      texts.add(String.valueOf(e.details()));
      StringWriter sw = new StringWriter();
      e.printStackTrace(new PrintWriter(sw));
      texts.add(sw.toString());
      caller.warn("E2B call failed", e);
    }
  }

  private void run(Runnable r) {
    call(() -> {
      r.run();
      return "ok";
    });
  }

  @Test
  void theApiKeyAppearsInNoLogExceptionOrMeterTag() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger ours = (Logger) LoggerFactory.getLogger("io.neuraltrader.e2b");
    Level rootBefore = root.getLevel();
    Level oursBefore = ours.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    ours.setLevel(Level.DEBUG);
    Harness h = new Harness();
    try {
      HttpE2BClient client = h.client();
      HttpE2BClient fragile = h.client(b -> b.breaker(new BreakerSettings(4, 4, 0.5, Duration.ofSeconds(30))));
      HttpE2BClient wrong = h.client(WRONG_KEY, b -> b);
      texts.add(client.toString());
      texts.add(h.config(Harness.API_KEY).build().toString());
      texts.add(h.config(Harness.API_KEY).build().apiKey().toString());

      // Successes, including a secure sandbox and code that fails.
      Sandbox sb = client.create(NewSandbox.builder(Harness.TEMPLATE).secure(true).timeoutSeconds(600)
          .metadata(Map.of("owner", "ns/agent")).envVars(Map.of("MODE", "paper")).build());
      texts.add(sb.toString());
      call(() -> client.get(sb.sandboxID()));
      call(() -> client.listAll(Map.of("owner", "ns/agent"), Set.of()));
      call(() -> client.metrics(List.of(sb.sandboxID())));
      call(() -> client.execute(sb.endpoint(), ExecuteRequest.of("import os\nprint(os.environ['MODE'])\n"
          + "raise ValueError('bad ' + os.environ['MODE'])").withTimeout(Duration.ofSeconds(60)), null));
      String ctx = client.createContext(sb.endpoint(), null, null);
      run(() -> client.restartContext(sb.endpoint(), ctx));
      run(() -> client.deleteContext(sb.endpoint(), ctx));
      run(() -> client.deleteContext(sb.endpoint(), ctx));

      // Refusals.
      call(() -> wrong.list(ListQuery.all()));
      call(() -> wrong.get(sb.sandboxID()));
      call(() -> wrong.create(NewSandbox.builder(Harness.TEMPLATE).build()));
      call(() -> client.execute(SandboxEndpoint.of(sb.sandboxID()), ExecuteRequest.of("1"), null));
      run(() -> client.setTimeout(sb.sandboxID(), 86_400));
      run(() -> client.pause(sb.sandboxID()));
      run(() -> client.pause(sb.sandboxID()));
      call(() -> client.connect(sb.sandboxID(), 60));

      // Injected faults.
      h.afterSleep = n -> h.runtime.faults().clear();
      h.runtime.faults().set(ServedOperation.LIST, FaultPlan.none().withRateLimitRate(1.0).withRetryAfterSeconds(1));
      call(() -> client.list(ListQuery.all()));
      h.runtime.faults().set(ServedOperation.LIST, FaultPlan.none().withRateLimitRate(1.0).withRetryAfterSeconds(600));
      call(() -> client.list(ListQuery.all()));
      h.runtime.faults().set(ServedOperation.GET, FaultPlan.none().withConnectionResetRate(1.0));
      call(() -> client.get(sb.sandboxID()));
      h.runtime.faults().set(ServedOperation.CREATE, FaultPlan.none().withLostCreateResponseRate(1.0));
      call(() -> client.create(NewSandbox.builder(Harness.TEMPLATE).metadata(Map.of("claim", "lost")).build()));
      h.afterSleep = n -> { };
      h.runtime.faults().set(ServedOperation.KILL, FaultPlan.none().withErrorRate(1.0));
      for (int i = 0; i < 6; i++) {
        call(() -> fragile.kill(sb.sandboxID()));
      }
      h.runtime.faults().clear();

      // Gone.
      call(() -> client.kill(sb.sandboxID()));
      call(() -> client.kill(sb.sandboxID()));
      call(() -> client.get(sb.sandboxID()));
      call(() -> client.execute(sb.endpoint(), ExecuteRequest.of("1"), null));
    } finally {
      h.close();
      root.detachAppender(logs);
      root.setLevel(rootBefore);
      ours.setLevel(oursBefore);
    }

    assertEquals(Set.of(AuthException.class, BadRequestException.class, ConflictException.class,
        RateLimitedException.class, CreateOutcomeUnknownException.class, CircuitOpenException.class,
        SandboxNotFoundException.class, io.neuraltrader.e2b.client.NotFoundException.class,
        io.neuraltrader.e2b.client.ServerException.class), failures, "the mix of failures happened");
    assertTrue(snapshot(logs).stream().anyMatch(e -> e.getFormattedMessage().contains("retry after attempt")),
        "retries were logged at debug");
    assertTrue(snapshot(logs).stream().anyMatch(e -> e.getThrowableProxy() != null), "failures were logged with stacks");

    for (ILoggingEvent ev : snapshot(logs)) {
      texts.add(ev.getLoggerName() + " " + ev.getMessage() + " " + ev.getFormattedMessage());
      if (ev.getArgumentArray() != null) {
        for (Object a : ev.getArgumentArray()) {
          texts.add(String.valueOf(a));
        }
      }
      texts.add(String.valueOf(ev.getMDCPropertyMap()));
      if (ev.getThrowableProxy() != null) {
        texts.add(ThrowableProxyUtil.asString(ev.getThrowableProxy()));
      }
    }
    for (Meter m : h.registry.getMeters()) {
      texts.add(m.getId().getName());
      for (Tag t : m.getId().getTags()) {
        texts.add(t.getKey() + "=" + t.getValue());
      }
    }
    String all = String.join("\n", texts);
    for (String key : List.of(Harness.API_KEY, WRONG_KEY)) {
      assertFalse(all.contains(key), "an API key leaked");
      assertFalse(all.contains(key.substring(7, 23)), "a fragment of an API key leaked");
    }
    assertTrue(all.contains("ApiKey[redacted]"), "the config shows the key redacted");
    assertTrue(all.contains("ValueError"), "the collected texts include the execution's error");
  }

  /** The events logged so far, copied under the appender's lock (operator threads keep appending). */
  private static java.util.List<ch.qos.logback.classic.spi.ILoggingEvent> snapshot(
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender) {
    synchronized (appender) {
      return new java.util.ArrayList<>(appender.list);
    }
  }
}
