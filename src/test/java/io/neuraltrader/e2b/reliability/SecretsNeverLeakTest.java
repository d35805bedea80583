package io.neuraltrader.e2b.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A full run with every kind of secret the operator handles (its E2B API key, a per-resource E2B key that works
 * and one that E2B refuses, a Secret used as an env var, an HTTP market-data secret whose provider is down), under
 * faults, with a restart and deletions: no secret appears in any log line or exception, event, custom resource
 * (spec or status), agent state, or the /metrics scrape.
 */
class SecretsNeverLeakTest {
  private static final String OPERATOR_KEY = "e2b_sk_OPERATORKEY_7f3a9c11d2";
  private static final String WRONG_TEAM_KEY = "e2b_sk_TEAMKEY_wrong_91c2e0";
  private static final String ENV_SECRET = "VENDOR-token-s3cr3t-7731";
  private static final String MARKET_SECRET = "Bearer MKTFEED-s3cr3t-4410";

  private OperatorHarness h;
  private ListAppender<ILoggingEvent> logs;
  private Level rootLevel;
  private Logger root;

  @BeforeEach
  void start() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    h = OperatorHarness.start(rc -> rc.apiKey(OPERATOR_KEY).seed(99L), c -> c);
  }

  @AfterEach
  void stop() {
    try {
      h.close();
    } finally {
      root.detachAppender(logs);
      root.setLevel(rootLevel);
    }
  }

  @Test
  void noSecretInLogsEventsResourcesStateOrMetrics() throws Exception {
    h.runtime().faults().setDefault(FaultPlan.none().withErrorRate(0.1).withRateLimitRate(0.05)
        .withRetryAfterSeconds(1));
    h.apply("""
        apiVersion: v1
        kind: Secret
        metadata: {name: team-ok}
        stringData: {apiKey: %s}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: team-wrong}
        stringData: {apiKey: %s}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: vendor}
        stringData: {token: %s}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: market-feed}
        stringData: {auth: "%s"}
        """.formatted(OPERATOR_KEY, WRONG_TEAM_KEY, ENV_SECRET, MARKET_SECRET));
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BSandbox
        metadata: {name: with-env}
        spec:
          envVars:
            - {name: VENDOR_TOKEN, valueFrom: {secretKeyRef: {name: vendor, key: token}}}
            - {name: MODE, value: paper}
        ---
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BSandbox
        metadata: {name: team-ok}
        spec: {credentialsSecretRef: {name: team-ok}}
        ---
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BSandbox
        metadata: {name: team-wrong}
        spec: {credentialsSecretRef: {name: team-wrong}}
        ---
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: TradingAgent
        metadata: {name: http-feed}
        spec:
          strategy: momentum
          symbols: [AAPL]
          interval: 10s
          marketData:
            type: http
            http: {url: "http://127.0.0.1:9/prices", secretRef: {name: market-feed, key: auth}}
          sandbox:
            template:
              envVars:
                - {name: VENDOR_TOKEN, valueFrom: {secretKeyRef: {name: vendor, key: token}}}
        ---
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: TradingAgent
        metadata: {name: synthetic}
        spec: {strategy: momentum, symbols: [MSFT], interval: 10s, sandbox: {template: {}}}
        """);

    Estate.advanceUntil(h, Duration.ofSeconds(2), Duration.ofSeconds(90), () -> {
      E2BSandbox env = h.get(E2BSandbox.class, "with-env");
      E2BSandbox ok = h.get(E2BSandbox.class, "team-ok");
      E2BSandbox wrong = h.get(E2BSandbox.class, "team-wrong");
      TradingAgent feed = h.get(TradingAgent.class, "http-feed");
      TradingAgent synthetic = h.get(TradingAgent.class, "synthetic");
      return env.getStatus() != null && env.getStatus().getPhase() == SandboxPhase.Running
          && ok.getStatus() != null && ok.getStatus().getPhase() == SandboxPhase.Running
          && wrong.getStatus() != null && "AuthenticationFailed".equals(
              Conditions.reason(wrong.getStatus().getConditions(), "Ready"))
          && feed.getStatus() != null && feed.getStatus().getFailedRuns() != null && feed.getStatus().getFailedRuns() >= 2
          && synthetic.getStatus() != null && synthetic.getStatus().getRuns() != null
          && synthetic.getStatus().getRuns() >= 2;
    }, () -> List.of(h.get(E2BSandbox.class, "team-wrong").getStatus(), h.get(TradingAgent.class, "http-feed")
        .getStatus()));
    h.restartOperator();
    h.advance(Duration.ofSeconds(30));
    h.awaitResource(TradingAgent.class, "synthetic", a -> a.getStatus().getRuns() >= 3, Duration.ofSeconds(60));

    // Everything a user or an attacker with read access could see.
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent e : snapshot(logs)) {
      lines.add(e.getFormattedMessage());
      if (e.getThrowableProxy() != null) {
        lines.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
      }
    }
    String logText = String.join("\n", lines);
    List<Event> events = h.client().v1().events().inNamespace(h.namespace()).list().getItems();
    String eventText = Serialization.asJson(events);
    StringBuilder resources = new StringBuilder();
    for (Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind : InMemoryKubernetes.KINDS) {
      resources.append(Serialization.asJson(Estate.list(h, kind)));
    }
    String states = Serialization.asJson(h.client().configMaps().inNamespace(h.namespace()).list()
        .getItems());
    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + h.operator().metricsPort() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();

    // The haystacks are real: the run did log, record events, write statuses and export metrics.
    assertTrue(lines.size() > 50, "captured " + lines.size() + " log lines");
    assertTrue(events.stream().anyMatch(e -> "AuthenticationFailed".equals(e.getReason())), "auth failure event");
    assertTrue(eventText.contains("team-wrong"), "the event names the Secret, not its value");
    assertTrue(resources.toString().contains("VENDOR_TOKEN"), "env var names are there, values are not");
    assertTrue(metrics.contains("e2b_"), "metrics scraped");
    assertTrue(h.runtime().requestCount(ServedOperation.EXECUTE) > 0);
    // And the needles are real: the values did reach E2B (env vars) or were used (keys).
    assertTrue(h.runtime().sandboxes().stream().anyMatch(s -> s.metadata() != null),
        "sandboxes exist to carry the env vars");

    Map<String, String> haystacks = Map.of("logs", logText, "events", eventText, "custom resources",
        resources.toString(), "configmaps", states, "metrics", metrics);
    for (String secret : List.of(OPERATOR_KEY, WRONG_TEAM_KEY, ENV_SECRET, MARKET_SECRET, "MKTFEED-s3cr3t-4410")) {
      haystacks.forEach((where, text) -> assertFalse(text.contains(secret),
          "secret " + secret.substring(0, 8) + "... found in " + where + ": " + around(text, secret)));
    }

    Estate.deleteAll(h);
    Estate.advanceUntil(h, Duration.ofSeconds(2), Duration.ofSeconds(60), () -> h.runtime().sandboxCount() == 0,
        () -> Estate.account(h));
    String after = String.join("\n", snapshot(logs).stream().map(ILoggingEvent::getFormattedMessage).toList());
    for (String secret : List.of(OPERATOR_KEY, WRONG_TEAM_KEY, ENV_SECRET, MARKET_SECRET)) {
      assertFalse(after.contains(secret), "secret in logs after deletion: " + around(after, secret));
    }
    assertEquals(0, h.runtime().liveProcessCount());
  }

  private static String around(String text, String needle) {
    int i = text.indexOf(needle);
    return i < 0 ? "" : text.substring(Math.max(0, i - 200), Math.min(text.length(), i + needle.length() + 50));
  }

  /** The events logged so far, copied under the appender's lock (operator threads keep appending). */
  private static java.util.List<ch.qos.logback.classic.spi.ILoggingEvent> snapshot(
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender) {
    synchronized (appender) {
      return new java.util.ArrayList<>(appender.list);
    }
  }
}
