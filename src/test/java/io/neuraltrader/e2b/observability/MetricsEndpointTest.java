package io.neuraltrader.e2b.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scrapes /metrics of a running operator that did real work and finds every series alerts and dashboards use. */
class MetricsEndpointTest {
  private OperatorHarness h;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.operator().metricsPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private Set<String> seriesNames(String scrape) {
    return scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toSet());
  }

  @Test
  void everyDocumentedSeriesIsExportedAndProbesAnswer() throws Exception {
    assertEquals(200, get("/healthz").statusCode());
    assertEquals(200, get("/readyz").statusCode());
    // One transient 503 on the first list call makes the client retry, so e2b_retries_total exists.
    h.runtime().faults().set(ServedOperation.LIST, FaultPlan.none().withErrorRate(1.0));
    h.operator().fleet().poll();
    h.runtime().faults().clear();

    h.apply(Files.readString(Path.of("examples/pool.yaml")));
    h.apply(Files.readString(Path.of("examples/pairs-agent.yaml")));
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BDeployment
        metadata: {name: fleet}
        spec:
          replicas: 1
          template:
            spec: {strategy: momentum, symbols: [AAPL], interval: 60s, sandbox: {template: {}}}
        """);
    h.awaitResource(TradingAgent.class, "pairs", a -> a.getStatus() != null && a.getStatus().getRuns() != null
        && a.getStatus().getRuns() >= 1, Duration.ofSeconds(60));
    h.awaitResource(E2BDeployment.class, "fleet", d -> d.getStatus() != null && d.getStatus().getReadyReplicas() != null
        && d.getStatus().getReadyReplicas() == 1, Duration.ofSeconds(60));
    h.awaitResource(SandboxPool.class, "warm-pool", p -> p.getStatus() != null && p.getStatus().getClaimed() == 1);
    h.operator().fleet().poll();

    String scrape = get("/metrics").body();
    Set<String> names = seriesNames(scrape);
    List<String> missing = MetricNames.PROMETHEUS_SERIES.stream().filter(n -> !names.contains(n)).toList();
    assertEquals(List.of(), missing, "series the alerts and dashboard rely on");
    assertTrue(names.stream().anyMatch(n -> n.startsWith("operator_sdk_")), "JOSDK reconcile metrics are exported");
    assertTrue(scrape.contains("e2b_pool_members{namespace=\"default\",pool=\"warm-pool\",state=\"claimed\"} 1.0"),
        "pool members by state");
    assertTrue(scrape.contains("e2b_agent_runs_total{agent=\"pairs\",namespace=\"default\",outcome=\"success\"}"));
    assertTrue(scrape.lines().anyMatch(l -> l.startsWith("e2b_requests_seconds_count{") && l.contains("operation=\"create\"")
        && l.contains("outcome=\"success\"")));
  }

  @Test
  void readinessFailsOnceTheOperatorStops() throws Exception {
    int port = h.operator().metricsPort();
    assertEquals(200, get("/readyz").statusCode());
    h.stopOperator();
    assertTrue(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
        .handle((r, e) -> e != null || r.statusCode() != 200).get(), "a stopped operator is not ready");
  }
}
