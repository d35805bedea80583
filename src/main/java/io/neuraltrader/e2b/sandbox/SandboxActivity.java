package io.neuraltrader.e2b.sandbox;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operator's own code executions observed per sandbox (count, errors, latency, last activity) and
 * the access tokens E2B returned for secure sandboxes. Executors (trading agents) write; the sandbox
 * reconciler reads it into status and health. Tokens live only in memory: after a restart they are obtained
 * again through E2B's connect call.
 */
public final class SandboxActivity {
  /** Execution record of one sandbox. */
  public record Stats(long executions, long errors, long totalMs, Instant lastActivity) {
    public long averageMs() {
      return executions == 0 ? 0 : totalMs / executions;
    }
  }

  private final Map<String, Stats> stats = new ConcurrentHashMap<>();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  public void recordExecution(String sandboxID, long durationMs, boolean failed, Instant at) {
    stats.merge(sandboxID, new Stats(1, failed ? 1 : 0, durationMs, at), (a, b) -> new Stats(
        a.executions() + 1, a.errors() + b.errors(), a.totalMs() + b.totalMs(),
        a.lastActivity() == null || b.lastActivity().isAfter(a.lastActivity()) ? b.lastActivity() : a.lastActivity()));
  }

  public Optional<Stats> stats(String sandboxID) {
    return Optional.ofNullable(stats.get(sandboxID));
  }

  public void rememberToken(String sandboxID, String token) {
    if (token != null) {
      tokens.put(sandboxID, token);
    }
  }

  public Optional<String> token(String sandboxID) {
    return Optional.ofNullable(tokens.get(sandboxID));
  }

  /** Drops everything about a sandbox that no longer exists. */
  public void forget(String sandboxID) {
    stats.remove(sandboxID);
    tokens.remove(sandboxID);
  }
}
