package io.neuraltrader.e2b.mcp;

import io.fabric8.kubernetes.api.model.Condition;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxStatus;
import io.neuraltrader.e2b.api.v1alpha1.Performance;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The structured results of the tools: names, phases, ids and figures, read from the resources' status. */
final class Results {
  private Results() {}

  static Map<String, Object> sandbox(E2BSandbox sb, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", sb.getMetadata().getName());
    m.put("namespace", sb.getMetadata().getNamespace());
    E2BSandboxStatus s = sb.getStatus();
    m.put("phase", s == null || s.getPhase() == null ? "Pending" : s.getPhase().name());
    m.put("ready", s != null && conditionTrue(s.getConditions(), "Ready"));
    if (sb.getMetadata().getDeletionTimestamp() != null) {
      m.put("deleting", true);
    }
    m.put("template", sb.getSpec().getTemplate());
    Map<String, String> labels = sb.getMetadata().getLabels();
    if (labels != null && labels.get(ApiConstants.LABEL_POOL) != null) {
      m.put("pool", labels.get(ApiConstants.LABEL_POOL));
      m.put("poolState", labels.get(ApiConstants.LABEL_POOL_STATE));
    }
    if (s == null) {
      return m;
    }
    put(m, "sandboxId", s.getSandboxID());
    put(m, "templateId", s.getTemplateID());
    put(m, "startedAt", s.getStartedAt());
    Instant started = parse(s.getStartedAt());
    if (started != null && !now.isBefore(started)) {
      m.put("uptimeSeconds", Duration.between(started, now).toSeconds());
    }
    put(m, "expiresAt", s.getExpiresAt());
    put(m, "cpuCount", s.getCpuCount());
    put(m, "memoryMB", s.getMemoryMB());
    if (s.getUsage() != null) {
      Map<String, Object> u = new LinkedHashMap<>();
      put(u, "cpuPct", s.getUsage().getCpuPct());
      put(u, "memoryUsedMB", s.getUsage().getMemoryUsedMB());
      put(u, "memoryTotalMB", s.getUsage().getMemoryTotalMB());
      put(u, "diskUsedMB", s.getUsage().getDiskUsedMB());
      put(u, "sampledAt", s.getUsage().getSampledAt());
      m.put("usage", u);
    }
    m.put("executionCount", s.getExecutionCount() == null ? 0 : s.getExecutionCount());
    put(m, "executionErrors", s.getExecutionErrors());
    put(m, "averageExecutionMs", s.getAverageExecutionMs());
    put(m, "lastActivityAt", s.getLastActivityAt());
    put(m, "restarts", s.getRestarts());
    put(m, "health", s.getHealth() == null ? null : s.getHealth().name());
    put(m, "estimatedCostUSD", s.getEstimatedCostUSD());
    put(m, "lastError", s.getLastError());
    return m;
  }

  static Map<String, Object> agent(TradingAgent a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", a.getMetadata().getName());
    m.put("namespace", a.getMetadata().getNamespace());
    m.put("strategy", a.getSpec().getStrategy() == null ? null : a.getSpec().getStrategy().name());
    m.put("symbols", a.getSpec().getSymbols());
    m.put("capital", a.getSpec().getCapital());
    m.put("interval", a.getSpec().getInterval());
    TradingAgentStatus s = a.getStatus();
    m.put("phase", s == null || s.getPhase() == null ? "Pending" : s.getPhase().name());
    if (s == null) {
      return m;
    }
    put(m, "sandboxRef", s.getSandboxRef());
    put(m, "sandboxId", s.getSandboxID());
    put(m, "runs", s.getRuns());
    put(m, "lastRunAt", s.getLastRunAt());
    put(m, "equity", s.getEquity());
    put(m, "pnl", s.getPnl());
    Performance p = s.getPerformance();
    if (p != null) {
      Map<String, Object> perf = new LinkedHashMap<>();
      put(perf, "totalReturn", p.getTotalReturn());
      put(perf, "sharpe", p.getSharpe());
      put(perf, "maxDrawdown", p.getMaxDrawdown());
      put(perf, "winRate", p.getWinRate());
      put(perf, "trades", p.getTrades());
      m.put("performance", perf);
    }
    put(m, "lastError", s.getLastError());
    return m;
  }

  static Map<String, Object> deployment(E2BDeployment d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", d.getMetadata().getName());
    m.put("namespace", d.getMetadata().getNamespace());
    m.put("specReplicas", d.getSpec().getReplicas());
    var s = d.getStatus();
    if (s == null) {
      return m;
    }
    put(m, "replicas", s.getReplicas());
    put(m, "readyReplicas", s.getReadyReplicas());
    put(m, "desiredReplicas", s.getDesiredReplicas());
    put(m, "activeSchedule", s.getActiveSchedule());
    put(m, "nextTransitionAt", s.getNextTransitionAt());
    if (s.getManualOverride() != null) {
      m.put("manualOverride", Map.of("replicas", s.getManualOverride().getReplicas(),
          "window", String.valueOf(s.getManualOverride().getWindow()),
          "until", String.valueOf(s.getManualOverride().getUntil())));
    }
    put(m, "estimatedCostPerHourUSD", s.getEstimatedCostPerHourUSD());
    return m;
  }

  static boolean conditionTrue(List<Condition> conditions, String type) {
    return conditions != null && conditions.stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static void put(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  static Instant parse(String time) {
    if (time == null) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
