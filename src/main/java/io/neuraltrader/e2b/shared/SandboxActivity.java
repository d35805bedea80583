package io.neuraltrader.e2b.shared;

import io.neuraltrader.e2b.client.Sandbox;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What the operator's own code executions observed per sandbox (count, errors, latency, last activity, a
 * "sandbox not found" answer) and the access tokens E2B returned. Executors (trading agents) write; the sandbox
 * reconciler reads it into status and health. Tokens live only in memory: after a restart they are obtained
 * again through E2B's connect call, the only answer besides create that carries the traffic token.
 */
public final class SandboxActivity {
  /** Execution record of one sandbox. */
  public record Stats(long executions, long errors, long totalMs, Instant lastActivity) {
    public long averageMs() {
      return executions == 0 ? 0 : totalMs / executions;
    }
  }

  /** The tokens of one sandbox as E2B returned them (each null when the sandbox needs none). */
  public record Access(String envdAccessToken, String trafficAccessToken) {
    @Override
    public String toString() {
      return "Access[envdAccessToken=" + (envdAccessToken == null ? "null" : "[redacted]")
          + ", trafficAccessToken=" + (trafficAccessToken == null ? "null" : "[redacted]") + "]";
    }
  }

  private final Map<String, Stats> stats = new ConcurrentHashMap<>();
  private final Map<String, Access> access = new ConcurrentHashMap<>();
  private final Map<String, Instant> reportedGone = new ConcurrentHashMap<>();
  private final List<Consumer<String>> goneListeners = new CopyOnWriteArrayList<>();

  public void recordExecution(String sandboxID, long durationMs, boolean failed, Instant at) {
    stats.merge(sandboxID, new Stats(1, failed ? 1 : 0, durationMs, at), (a, b) -> new Stats(
        a.executions() + 1, a.errors() + b.errors(), a.totalMs() + b.totalMs(),
        a.lastActivity() == null || b.lastActivity().isAfter(a.lastActivity()) ? b.lastActivity() : a.lastActivity()));
  }

  public Optional<Stats> stats(String sandboxID) {
    return Optional.ofNullable(stats.get(sandboxID));
  }

  /** Keeps the tokens of a create or connect answer. */
  public void rememberAccess(Sandbox answer) {
    if (answer != null && answer.sandboxID() != null) {
      access.put(answer.sandboxID(), new Access(answer.envdAccessToken(), answer.trafficAccessToken()));
    }
  }

  /** The tokens, when a create or connect answer was seen since this operator started. */
  public Optional<Access> access(String sandboxID) {
    return Optional.ofNullable(access.get(sandboxID));
  }

  /** Drops the tokens (E2B refused them): the next use connects again to obtain them. */
  public void forgetAccess(String sandboxID) {
    access.remove(sandboxID);
  }

  /**
   * An execution was answered "sandbox not found" (the proxy's 502): the sandbox is probably gone. Listeners
   * (the sandbox reconciler) look at it now instead of at the next listing.
   */
  public void reportGone(String sandboxID, Instant at) {
    reportedGone.put(sandboxID, at);
    goneListeners.forEach(l -> l.accept(sandboxID));
  }

  /** When an execution last reported the sandbox gone, if it did. */
  public Optional<Instant> reportedGone(String sandboxID) {
    return Optional.ofNullable(reportedGone.get(sandboxID));
  }

  /** A report turned out false (E2B still has the sandbox). */
  public void clearGone(String sandboxID) {
    reportedGone.remove(sandboxID);
  }

  public void onGone(Consumer<String> listener) {
    goneListeners.add(listener);
  }

  /** Drops everything about a sandbox that no longer exists. */
  public void forget(String sandboxID) {
    stats.remove(sandboxID);
    access.remove(sandboxID);
    reportedGone.remove(sandboxID);
  }
}
