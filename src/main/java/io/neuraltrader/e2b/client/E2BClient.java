package io.neuraltrader.e2b.client;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * E2B control plane and code execution. Thread-safe; one instance serves all reconcilers.
 * Every method throws a subclass of {@link E2BException} on failure.
 */
public interface E2BClient extends AutoCloseable {

  /** POST /sandboxes. Throws {@link CreateOutcomeUnknownException} when a sandbox may exist anyway. */
  Sandbox create(NewSandbox request);

  /**
   * Whether a create would start now rather than wait for one of the client's create slots (its cap on
   * creates in flight). A caller that must not block a thread for long asks first and waits elsewhere.
   */
  default boolean createSlotFree() {
    return true;
  }

  /** Runs {@code listener} each time a create slot is given back (it must not block). */
  default void onCreateSlotFreed(Runnable listener) {
  }

  /** GET /v2/sandboxes: one page. */
  Page<ListedSandbox> list(ListQuery query);

  /** Every page of GET /v2/sandboxes matching all metadata pairs and any of the states (empty: all). */
  List<ListedSandbox> listAll(Map<String, String> metadata, Set<SandboxState> states);

  /** GET /sandboxes/{id}; {@link SandboxNotFoundException} when it does not exist. */
  SandboxDetail get(String sandboxID);

  /** DELETE /sandboxes/{id}; false when it was already gone. */
  boolean kill(String sandboxID);

  /** POST /sandboxes/{id}/timeout: the sandbox now lives {@code seconds} more (can shorten). */
  void setTimeout(String sandboxID, int seconds);

  /** POST /sandboxes/{id}/pause; {@link ConflictException} when already paused. */
  void pause(String sandboxID);

  /** POST /sandboxes/{id}/connect: resumes a paused sandbox; the TTL is only extended. */
  ConnectResult connect(String sandboxID, int timeoutSeconds);

  /** GET /sandboxes/metrics for any number of ids (batched by 100); ids without metrics are absent. */
  Map<String, SandboxMetric> metrics(Collection<String> sandboxIDs);

  /** GET /sandboxes/{id}/metrics. */
  List<SandboxMetric> sandboxMetrics(String sandboxID);

  /** POST /execute on the sandbox's code interpreter; streams messages to the listener. Never retried. */
  ExecutionResult execute(SandboxEndpoint sandbox, ExecuteRequest request, ExecutionListener listener);

  /** POST /contexts; returns the context id. language null for Python, cwd null for the default. */
  String createContext(SandboxEndpoint sandbox, String language, String cwd);

  /** POST /contexts/{id}/restart: a fresh interpreter, variables gone. */
  void restartContext(SandboxEndpoint sandbox, String contextId);

  /** DELETE /contexts/{id}. */
  void deleteContext(SandboxEndpoint sandbox, String contextId);

  /** State of the circuit breaker of one API. */
  CircuitBreaker.State circuitState(Api api);

  @Override
  void close();
}
