package io.neuraltrader.e2b.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuraltrader.e2b.observability.MetricNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Alerts and dashboard query only metrics the operator exports, with the thresholds of DESIGN.md section 6. */
class MonitoringTest {
  private static final Pattern METRIC = Pattern.compile("\\be2b_[a-zA-Z0-9_]+");
  /** The comparison that ends an alert expression, e.g. "> 0.05". */
  private static final Pattern THRESHOLD = Pattern.compile("(>=|<=|==|!=|>|<)\\s*([0-9.]+)\\s*$");

  private final Chart.Rendered rendered = Chart.render(Monitoring.ALL_ON);

  @Test
  void alertExpressionsUseOnlyExportedMetrics() {
    Map<String, JsonNode> alerts = alerts();
    assertFalse(alerts.isEmpty());
    Set<String> used = new TreeSet<>();
    alerts.forEach((name, rule) -> {
      Set<String> names = metrics(rule.path("expr").asText());
      assertFalse(names.isEmpty(), name + " queries no e2b metric");
      used.addAll(names);
    });
    assertExported(used, "PrometheusRule");
  }

  @Test
  void dashboardQueriesUseOnlyExportedMetrics() throws Exception {
    JsonNode cm = rendered.one("ConfigMap");
    JsonNode dashboard = new ObjectMapper().readTree(cm.path("data").path("e2b-operator.json").asText());
    List<String> queries = new ArrayList<>();
    collectQueries(dashboard, queries);
    assertTrue(queries.size() >= 20, "dashboard queries: " + queries.size());
    Set<String> used = new TreeSet<>();
    for (String query : queries) {
      Set<String> names = metrics(query);
      assertFalse(names.isEmpty(), "a panel query without an e2b metric: " + query);
      used.addAll(names);
    }
    assertExported(used, "dashboard");
    // The series the alerts are about are on the dashboard too, so an alert can be followed to a panel.
    assertTrue(used.containsAll(List.of("e2b_requests_seconds_count", "e2b_requests_seconds_bucket",
        "e2b_circuit_state", "e2b_sandboxes", "e2b_sandboxes_health", "e2b_orphans_reaped_total",
        "e2b_pool_members", "e2b_agent_runs_total", "e2b_deployment_replicas")), used.toString());
  }

  @Test
  void errorRateAlertsAt5And10Percent() {
    Map<String, JsonNode> alerts = alerts();
    for (String name : List.of("E2BApiErrorRateHigh", "E2BApiErrorRateCritical")) {
      String expr = alerts.get(name).path("expr").asText();
      assertTrue(expr.contains("e2b_requests_seconds_count{outcome!=\"success\"}[5m]"), expr);
      assertTrue(expr.contains("/ sum by (namespace, job) (rate(e2b_requests_seconds_count[5m]))"), expr);
    }
    assertAlert(alerts, "E2BApiErrorRateHigh", "warning", ">", 0.05);
    assertAlert(alerts, "E2BApiErrorRateCritical", "critical", ">", 0.1);
  }

  @Test
  void latencyAlertsOnP95At2And5Seconds() {
    Map<String, JsonNode> alerts = alerts();
    for (String name : List.of("E2BApiLatencyHigh", "E2BApiLatencyCritical")) {
      String expr = alerts.get(name).path("expr").asText();
      assertTrue(expr.startsWith("histogram_quantile(0.95,"), expr);
      assertTrue(expr.contains("rate(e2b_requests_seconds_bucket[5m])") && expr.contains(" le)"), expr);
    }
    assertAlert(alerts, "E2BApiLatencyHigh", "warning", ">", 2);
    assertAlert(alerts, "E2BApiLatencyCritical", "critical", ">", 5);
  }

  @Test
  void unhealthyCircuitAndOrphanAlerts() {
    Map<String, JsonNode> alerts = alerts();
    assertTrue(alerts.get("E2BSandboxesUnhealthy").path("expr").asText()
        .contains("e2b_sandboxes_health{health=\"Unhealthy\"}"));
    assertAlert(alerts, "E2BSandboxesUnhealthy", "critical", ">=", 3);

    JsonNode circuit = alerts.get("E2BCircuitOpen");
    assertTrue(circuit.path("expr").asText().contains("(e2b_circuit_state)"));
    assertAlert(alerts, "E2BCircuitOpen", "critical", "==", 2);
    assertEquals("2m", circuit.path("for").asText());

    JsonNode orphans = alerts.get("E2BOrphanSandboxesReaped");
    assertTrue(orphans.path("expr").asText().contains("increase(e2b_orphans_reaped_total[15m])"));
    assertAlert(alerts, "E2BOrphanSandboxesReaped", "warning", ">", 0);
  }

  @Test
  void anomalyAlertFollowsTheOperatorsVerdict() {
    Map<String, JsonNode> alerts = alerts();
    JsonNode anomalous = alerts.get("E2BErrorRateAnomalous");
    assertTrue(anomalous.path("expr").asText().contains("max by (namespace, kind, name) (e2b_anomalous)"),
        anomalous.path("expr").asText());
    assertAlert(alerts, "E2BErrorRateAnomalous", "critical", "==", 1);
    assertEquals("1m", anomalous.path("for").asText());
  }

  @Test
  void thresholdsFollowValues() {
    Chart.Rendered custom = Chart.render(Monitoring.ALL_ON,
        "prometheusRule: {errorRate: {warning: 0.02}, latencyP95Seconds: {critical: 8}, unhealthySandboxes: 5}\n");
    Map<String, JsonNode> alerts = alerts(custom);
    assertAlert(alerts, "E2BApiErrorRateHigh", "warning", ">", 0.02);
    assertAlert(alerts, "E2BApiLatencyCritical", "critical", ">", 8);
    assertAlert(alerts, "E2BSandboxesUnhealthy", "critical", ">=", 5);
    assertAlert(alerts, "E2BApiErrorRateCritical", "critical", ">", 0.1);
  }

  private Map<String, JsonNode> alerts() {
    return alerts(rendered);
  }

  private static Map<String, JsonNode> alerts(Chart.Rendered rendered) {
    Map<String, JsonNode> alerts = new LinkedHashMap<>();
    for (JsonNode group : rendered.one("PrometheusRule").path("spec").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        alerts.put(rule.path("alert").asText(), rule);
      }
    }
    assertEquals(Set.of("E2BApiErrorRateHigh", "E2BApiErrorRateCritical", "E2BApiLatencyHigh",
        "E2BApiLatencyCritical", "E2BCircuitOpen", "E2BSandboxesUnhealthy", "E2BOrphanSandboxesReaped",
        "E2BErrorRateAnomalous"),
        alerts.keySet());
    return alerts;
  }

  private static void assertAlert(Map<String, JsonNode> alerts, String name, String severity, String op,
      double threshold) {
    JsonNode rule = alerts.get(name);
    assertEquals(severity, rule.path("labels").path("severity").asText(), name);
    Matcher m = THRESHOLD.matcher(rule.path("expr").asText().strip());
    assertTrue(m.find(), name + " ends in a comparison: " + rule.path("expr").asText());
    assertEquals(op, m.group(1), name);
    assertEquals(threshold, Double.parseDouble(m.group(2)), 1e-9, name);
  }

  static Set<String> metrics(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  private static void assertExported(Set<String> used, String where) {
    Set<String> unknown = new TreeSet<>(used);
    unknown.removeAll(MetricNames.PROMETHEUS_SERIES);
    assertTrue(unknown.isEmpty(), where + " uses metrics the operator does not export: " + unknown);
  }

  /** Panel targets (also inside collapsed rows) and templating queries. */
  private static void collectQueries(JsonNode node, List<String> out) {
    if (node.isObject()) {
      if (node.path("expr").isTextual()) {
        out.add(node.path("expr").asText());
      }
      if (node.path("definition").isTextual()) {
        out.add(node.path("definition").asText());
      }
      node.forEach(child -> collectQueries(child, out));
    } else if (node.isArray()) {
      node.forEach(child -> collectQueries(child, out));
    }
  }
}
