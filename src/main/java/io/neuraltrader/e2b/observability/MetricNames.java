package io.neuraltrader.e2b.observability;

import java.util.List;

/**
 * Every metric the operator exports, as Micrometer names and as Prometheus sees them. Alert rules, the
 * Grafana dashboard and the scrape test all use these names, so a rename breaks a test instead of an alert.
 */
public final class MetricNames {
  private MetricNames() {}

  // E2B client (tags: operation, outcome / reason / api).
  public static final String E2B_REQUESTS = "e2b.requests";
  public static final String E2B_RETRIES = "e2b.retries";
  public static final String E2B_CIRCUIT_STATE = "e2b.circuit.state";
  public static final String E2B_RATE_LIMITER_THROTTLED = "e2b.ratelimiter.throttled";

  // Sandboxes.
  public static final String SANDBOXES = "e2b.sandboxes";
  public static final String SANDBOXES_BY_HEALTH = "e2b.sandboxes.health";
  public static final String SANDBOX_CREATE_LATENCY = "e2b.sandbox.create";
  public static final String SANDBOX_RESTARTS = "e2b.sandbox.restarts";
  public static final String ORPHANS_REAPED = "e2b.orphans.reaped";
  public static final String KEEPALIVE_RENEWALS = "e2b.keepalive.renewals";
  /** Sandboxes waiting for one of the E2B client's create slots (without a reconcile thread). */
  public static final String SANDBOXES_WAITING_FOR_CREATE_SLOT = "e2b.sandboxes.waiting.create.slot";
  /** Kubernetes Events dropped because the recorder's queue was full. */
  public static final String EVENTS_DROPPED = "e2b.events.dropped";
  public static final String ESTIMATED_COST = "e2b.estimated.cost.usd";
  public static final String ESTIMATED_COST_PER_HOUR = "e2b.estimated.cost.per.hour.usd";

  // Pools (tags: namespace, pool, state).
  public static final String POOL_MEMBERS = "e2b.pool.members";
  public static final String POOL_CLAIM_LATENCY = "e2b.pool.claim";
  public static final String POOL_CLAIMS = "e2b.pool.claims";

  // Agents (tags: namespace, agent, outcome).
  public static final String AGENT_RUNS = "e2b.agent.runs";
  public static final String AGENT_EQUITY = "e2b.agent.equity.usd";
  public static final String AGENT_PNL = "e2b.agent.pnl.usd";
  public static final String EXECUTION_CACHE = "e2b.execution.cache";

  // Deployments (tags: namespace, deployment, kind = desired|ready).
  public static final String DEPLOYMENT_REPLICAS = "e2b.deployment.replicas";
  // Deployments (tags: namespace, deployment): symbols on which a quorum of the agents agree.
  public static final String DEPLOYMENT_CONSENSUS_SYMBOLS = "e2b.deployment.consensus.symbols";

  // Error-rate anomalies (tags: namespace, kind = E2BDeployment|TradingAgent|E2BSandbox, name): 1 while Anomalous.
  public static final String ANOMALOUS = "e2b.anomalous";
  // The current error rate those verdicts judge (same tags; absent rate: 0).
  public static final String ERROR_RATE = "e2b.error.rate";

  /** The Prometheus series a scrape of a running operator must contain (alerts and dashboard use them). */
  public static final List<String> PROMETHEUS_SERIES = List.of(
      "e2b_requests_seconds_count",
      "e2b_requests_seconds_sum",
      "e2b_requests_seconds_bucket",
      "e2b_retries_total",
      "e2b_circuit_state",
      "e2b_ratelimiter_throttled_total",
      "e2b_sandboxes",
      "e2b_sandboxes_health",
      "e2b_sandbox_create_seconds_count",
      "e2b_sandbox_create_seconds_bucket",
      "e2b_sandbox_restarts_total",
      "e2b_orphans_reaped_total",
      "e2b_keepalive_renewals_total",
      "e2b_estimated_cost_usd_total",
      "e2b_estimated_cost_per_hour_usd",
      "e2b_pool_members",
      "e2b_pool_claim_seconds_count",
      "e2b_pool_claim_seconds_bucket",
      "e2b_pool_claims_total",
      "e2b_agent_runs_total",
      "e2b_agent_equity_usd",
      "e2b_agent_pnl_usd",
      "e2b_execution_cache_total",
      "e2b_deployment_replicas",
      "e2b_deployment_consensus_symbols",
      "e2b_anomalous",
      "e2b_error_rate");
}
