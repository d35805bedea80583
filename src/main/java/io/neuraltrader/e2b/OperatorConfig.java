package io.neuraltrader.e2b;

import io.neuraltrader.e2b.client.ApiKey;
import io.neuraltrader.e2b.client.MetadataFilter;
import io.neuraltrader.e2b.schedule.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Operator settings from environment variables (the Helm chart sets them). The API key is held as an
 * {@link ApiKey}, whose toString never shows it; this record's toString leaves it out entirely.
 */
public record OperatorConfig(
    String operatorId,
    Set<String> watchNamespaces,
    ApiKey apiKey,
    String apiUrl,
    String domain,
    String sandboxUrlOverride,
    String metricsHost,
    int metricsPort,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    int maxConcurrentCreates,
    double rateLimitPerSecond,
    Duration pollInterval,
    Duration orphanGrace,
    Duration statusRefresh,
    int reconcileThreads) {

  public static final String DEFAULT_OPERATOR_ID = "e2b-operator";

  /** Reads the environment; {@code requireKey} is false in local mode, where the local runtime's key is used. */
  public static OperatorConfig fromEnvironment(Map<String, String> env, boolean requireKey) {
    ApiKey key = readKey(env, requireKey);
    String domain = env.getOrDefault("E2B_DOMAIN", "e2b.app");
    return new OperatorConfig(
        MetadataFilter.checkInstanceId(
            env.getOrDefault("OPERATOR_INSTANCE_ID", DEFAULT_OPERATOR_ID)),
        parseNamespaces(env.getOrDefault("WATCH_NAMESPACES", "")),
        key,
        env.getOrDefault("E2B_API_URL", "https://api." + domain),
        domain,
        emptyToNull(env.get("E2B_SANDBOX_URL")),
        env.getOrDefault("METRICS_HOST", "0.0.0.0"),
        Integer.parseInt(env.getOrDefault("METRICS_PORT", "8080")),
        Boolean.parseBoolean(env.getOrDefault("LEADER_ELECTION", "false")),
        env.getOrDefault("LEADER_ELECTION_LEASE_NAME", "e2b-operator-leader"),
        env.getOrDefault("POD_NAMESPACE", "default"),
        Integer.parseInt(env.getOrDefault("E2B_MAX_CONCURRENT_CREATES", "5")),
        Double.parseDouble(env.getOrDefault("E2B_RATE_LIMIT_PER_SECOND", "10")),
        Durations.parse(env.getOrDefault("E2B_POLL_INTERVAL", "15s")),
        Durations.parse(env.getOrDefault("ORPHAN_GRACE", "2m")),
        Durations.parse(env.getOrDefault("STATUS_REFRESH", "5m")),
        Integer.parseInt(env.getOrDefault("RECONCILE_THREADS", "50")));
  }

  private static ApiKey readKey(Map<String, String> env, boolean required) {
    String key = emptyToNull(env.get("E2B_API_KEY"));
    String file = emptyToNull(env.get("E2B_API_KEY_FILE"));
    if (key == null && file != null) {
      try {
        key = Files.readString(Path.of(file)).trim();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read E2B_API_KEY_FILE " + file + ": " + e.getClass().getSimpleName());
      }
    }
    if (key == null) {
      if (required) {
        throw new IllegalArgumentException("no E2B API key: set E2B_API_KEY or E2B_API_KEY_FILE"
            + " (or run in local mode with --local)");
      }
      return null;
    }
    return ApiKey.of(key);
  }

  static Set<String> parseNamespaces(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  public OperatorConfig withApiKey(ApiKey key) {
    return new OperatorConfig(operatorId, watchNamespaces, key, apiUrl, domain, sandboxUrlOverride, metricsHost,
        metricsPort, leaderElection, leaseName, leaseNamespace, maxConcurrentCreates, rateLimitPerSecond,
        pollInterval, orphanGrace, statusRefresh, reconcileThreads);
  }

  public OperatorConfig withEndpoints(String apiUrl, String domain, String sandboxUrlOverride) {
    return new OperatorConfig(operatorId, watchNamespaces, apiKey, apiUrl, domain, sandboxUrlOverride,
        metricsHost, metricsPort, leaderElection, leaseName, leaseNamespace, maxConcurrentCreates,
        rateLimitPerSecond, pollInterval, orphanGrace, statusRefresh, reconcileThreads);
  }

  public OperatorConfig withMetrics(String host, int port) {
    return new OperatorConfig(operatorId, watchNamespaces, apiKey, apiUrl, domain, sandboxUrlOverride, host,
        port, leaderElection, leaseName, leaseNamespace, maxConcurrentCreates, rateLimitPerSecond,
        pollInterval, orphanGrace, statusRefresh, reconcileThreads);
  }

  /** Watches only these namespaces (empty: all); leases then live in {@code leaseNamespace}. */
  public OperatorConfig withWatchNamespaces(Set<String> namespaces) {
    return new OperatorConfig(operatorId, watchNamespaces(namespaces), apiKey, apiUrl, domain, sandboxUrlOverride,
        metricsHost, metricsPort, leaderElection, leaseName, leaseNamespace, maxConcurrentCreates,
        rateLimitPerSecond, pollInterval, orphanGrace, statusRefresh, reconcileThreads);
  }

  public OperatorConfig withLeaderElection(boolean enabled, String name, String namespace) {
    return new OperatorConfig(operatorId, watchNamespaces, apiKey, apiUrl, domain, sandboxUrlOverride,
        metricsHost, metricsPort, enabled, name, namespace, maxConcurrentCreates, rateLimitPerSecond,
        pollInterval, orphanGrace, statusRefresh, reconcileThreads);
  }

  private static Set<String> watchNamespaces(Set<String> namespaces) {
    return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(namespaces));
  }

  public OperatorConfig withTimings(Duration poll, Duration grace, Duration refresh) {
    return new OperatorConfig(operatorId, watchNamespaces, apiKey, apiUrl, domain, sandboxUrlOverride,
        metricsHost, metricsPort, leaderElection, leaseName, leaseNamespace, maxConcurrentCreates,
        rateLimitPerSecond, poll, grace, refresh, reconcileThreads);
  }

  public OperatorConfig withReconcileThreads(int threads) {
    return new OperatorConfig(operatorId, watchNamespaces, apiKey, apiUrl, domain, sandboxUrlOverride,
        metricsHost, metricsPort, leaderElection, leaseName, leaseNamespace, maxConcurrentCreates,
        rateLimitPerSecond, pollInterval, orphanGrace, statusRefresh, threads);
  }

  public OperatorConfig withE2BLimits(int maxCreates, double ratePerSecond) {
    return new OperatorConfig(operatorId, watchNamespaces, apiKey, apiUrl, domain, sandboxUrlOverride,
        metricsHost, metricsPort, leaderElection, leaseName, leaseNamespace, maxCreates, ratePerSecond,
        pollInterval, orphanGrace, statusRefresh, reconcileThreads);
  }

  @Override
  public String toString() {
    return "OperatorConfig[operatorId=" + operatorId + ", watchNamespaces=" + watchNamespaces + ", apiUrl="
        + apiUrl + ", domain=" + domain + ", sandboxUrlOverride=" + sandboxUrlOverride + ", metrics="
        + metricsHost + ":" + metricsPort + ", leaderElection=" + leaderElection + ", maxConcurrentCreates="
        + maxConcurrentCreates + ", rateLimitPerSecond=" + rateLimitPerSecond + ", pollInterval="
        + pollInterval + "]";
  }
}
