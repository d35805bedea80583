package io.neuraltrader.e2b.agent;

import io.neuraltrader.e2b.client.AuthException;
import io.neuraltrader.e2b.client.E2BClient;
import io.neuraltrader.e2b.client.E2BException;
import io.neuraltrader.e2b.client.ExecuteRequest;
import io.neuraltrader.e2b.client.ExecutionError;
import io.neuraltrader.e2b.client.ExecutionListener;
import io.neuraltrader.e2b.client.ExecutionResult;
import io.neuraltrader.e2b.client.NotFoundException;
import io.neuraltrader.e2b.client.SandboxEndpoint;
import io.neuraltrader.e2b.client.SandboxNotFoundException;
import io.neuraltrader.e2b.reconcile.Times;
import io.neuraltrader.e2b.shared.SandboxActivity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs an agent's strategy in its sandbox: deploys the code into a context of its own once per sandbox (and
 * again when the sandbox or the code changes), then executes the fixed tick cell with the inputs as data.
 */
public class StrategyRunner {
  private static final Duration TICK_TIMEOUT = Duration.ofSeconds(120);

  private record Deployment(String sandboxID, String contextId, String codeHash) {}

  private final Map<String, Deployment> deployments = new ConcurrentHashMap<>();
  private final ExecutionCache cache;
  private final SandboxActivity activity;
  private final Clock clock;

  public StrategyRunner(ExecutionCache cache, SandboxActivity activity, Clock clock) {
    this.cache = cache;
    this.activity = activity;
    this.clock = clock;
  }

  /** True when the code must be (re)deployed before the next tick (new sandbox, new code, first tick). */
  public boolean needsDeploy(String agentUid, String sandboxID, String code) {
    Deployment d = deployments.get(agentUid);
    return d == null || !d.sandboxID().equals(sandboxID) || !d.codeHash().equals(StrategyCode.codeHash(code));
  }

  public TickResult tick(String agentUid, E2BClient client, SandboxEndpoint sandbox, String code, String input)
      throws TickFailedException {
    String codeHash = StrategyCode.codeHash(code);
    String key = ExecutionCache.key(codeHash, input);
    var cached = cache.get(key);
    if (cached.isPresent()) {
      return cached.get();
    }
    Deployment deployment = deploy(agentUid, client, sandbox, code, codeHash);
    ExecutionResult result;
    try {
      result = execute(client, sandbox, tickRequest(input).inContext(deployment.contextId()));
    } catch (NotFoundException e) {
      if (e instanceof SandboxNotFoundException) {
        throw e;
      }
      // The context is gone (the sandbox restarted its kernel): deploy again once.
      deployments.remove(agentUid);
      deployment = deploy(agentUid, client, sandbox, code, codeHash);
      result = execute(client, sandbox, tickRequest(input).inContext(deployment.contextId()));
    }
    if (result.error() != null) {
      throw failure(result.error());
    }
    ExecutionResult done = result;
    TickResult tick = TickResult.fromStdout(done.stdout(), Times.format(clock.instant()))
        .orElseThrow(() -> new TickFailedException("NoResult",
            "the strategy printed no " + StrategyCode.RESULT_PREFIX + " line", lastLine(done.stderr())));
    cache.put(key, tick);
    return tick;
  }

  private Deployment deploy(String agentUid, E2BClient client, SandboxEndpoint sandbox, String code,
      String codeHash) throws TickFailedException {
    Deployment current = deployments.get(agentUid);
    if (current != null && current.sandboxID().equals(sandbox.sandboxID()) && current.codeHash().equals(codeHash)) {
      return current;
    }
    String contextId = client.createContext(sandbox, "python", null);
    ExecutionResult result = execute(client, sandbox, new ExecuteRequest(code, contextId, null, Map.of(),
        TICK_TIMEOUT));
    if (result.error() != null) {
      TickFailedException f = failure(result.error());
      throw new TickFailedException("DeployFailed", f.getMessage(), f.where());
    }
    Deployment d = new Deployment(sandbox.sandboxID(), contextId, codeHash);
    deployments.put(agentUid, d);
    return d;
  }

  /** No env vars: the input is a base64 literal in the cell, whatever its size or content. */
  private static ExecuteRequest tickRequest(String input) {
    return new ExecuteRequest(StrategyCode.tickCell(input), null, null, Map.of(), TICK_TIMEOUT);
  }

  private ExecutionResult execute(E2BClient client, SandboxEndpoint sandbox, ExecuteRequest request) {
    Instant started = clock.instant();
    long t0 = System.nanoTime();
    boolean failed = true;
    try {
      ExecutionResult result = client.execute(sandbox, request, new ExecutionListener() { });
      failed = result.failed();
      return result;
    } catch (SandboxNotFoundException gone) {
      // The proxy says the sandbox is gone: the sandbox reconciler confirms it now and recreates it, rather
      // than this agent retrying against a dead sandbox until the next listing.
      deployments.values().removeIf(d -> d.sandboxID().equals(sandbox.sandboxID()));
      activity.reportGone(sandbox.sandboxID(), clock.instant());
      throw gone;
    } catch (AuthException refused) {
      // Tokens refused (or missing after a restart): the next tick obtains them again with connect.
      activity.forgetAccess(sandbox.sandboxID());
      throw refused;
    } finally {
      long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
      activity.recordExecution(sandbox.sandboxID(), ms, failed, started);
    }
  }

  private static TickFailedException failure(ExecutionError error) {
    return new TickFailedException(error.name(), error.value(),
        StrategyCode.strategyLocation(lastLine(error.traceback())));
  }

  private static String lastLine(Object traceback) {
    if (traceback == null) {
      return null;
    }
    String text = traceback instanceof java.util.List<?> list ? String.join("\n",
        list.stream().map(String::valueOf).toList()) : traceback.toString();
    String[] lines = text.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      String line = lines[i].replaceAll("\u001B\\[[;\\d]*m", "").strip();
      if (line.startsWith("File ") || line.startsWith("line ") || line.contains(".py\", line")) {
        return line.length() > 200 ? line.substring(0, 200) : line;
      }
    }
    String last = lines[lines.length - 1].strip();
    return last.length() > 200 ? last.substring(0, 200) : last;
  }

  /** Drops an agent's deployment and its context (best effort: the sandbox may be gone already). */
  public void forget(String agentUid, E2BClient client, SandboxEndpoint sandbox) {
    Deployment d = deployments.remove(agentUid);
    if (d != null && client != null && sandbox != null && d.sandboxID().equals(sandbox.sandboxID())) {
      try {
        client.deleteContext(sandbox, d.contextId());
      } catch (E2BException e) {
        // The sandbox or context is already gone.
      }
    }
  }
}
