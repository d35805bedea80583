package io.neuraltrader.e2b.mcp;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.client.AuthException;
import io.neuraltrader.e2b.client.ConflictException;
import io.neuraltrader.e2b.client.E2BClient;
import io.neuraltrader.e2b.client.E2BException;
import io.neuraltrader.e2b.client.ExecuteRequest;
import io.neuraltrader.e2b.client.ExecutionListener;
import io.neuraltrader.e2b.client.ExecutionResult;
import io.neuraltrader.e2b.client.RichResult;
import io.neuraltrader.e2b.client.SandboxEndpoint;
import io.neuraltrader.e2b.client.SandboxNotFoundException;
import io.neuraltrader.e2b.client.SourceLiteral;
import io.neuraltrader.e2b.shared.MissingReferenceException;
import io.neuraltrader.e2b.shared.SandboxActivity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * execute_e2b_process: code in a fresh code-interpreter context of an operator-managed sandbox. Each call gets
 * its own context (blocks of one call share variables, calls do not), deleted afterwards. The env vars travel as
 * data: one fixed cell decodes a base64 literal of their JSON into os.environ, so no value is ever spliced into
 * source (E2B's own /execute env_vars would be). Every execution is recorded in the operator's activity, which
 * the idle policies and the sandbox status read.
 */
final class ExecuteTool {
  static final int MAX_BLOCKS = 20;
  static final int MAX_CODE = 200_000;
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private final McpBackend backend;
  private final ResultCache cache;

  ExecuteTool(McpBackend backend, Duration cacheTtl) {
    this.backend = backend;
    this.cache = new ResultCache(backend.clock(), cacheTtl, 2_000);
  }

  Tool tool() {
    return new Tool("execute_e2b_process", "Runs Python code in an operator-managed sandbox's code interpreter and "
        + "returns stdout, stderr, results, error with traceback and duration. codeBlocks runs several blocks in "
        + "one call (shared variables, stops at the first error). Identical code and inputs within the cache TTL "
        + "are answered from the cache (cached: true) unless useCache is false. Counts as sandbox activity.",
        Schemas.object(List.of(),
            "sandboxId", Schemas.string("E2B sandbox ID"),
            "name", Schemas.string("E2BSandbox resource name"),
            "code", Schemas.string("Python source to run"),
            "codeBlocks", Schemas.strings("several blocks run in order in one context (instead of code)"),
            "timeout", Schemas.integer("seconds per block; default 60", 1, 600),
            "captureOutput", Schemas.bool("return stdout and stderr; default true"),
            "env_vars", Schemas.stringMap("environment for the code, passed as data (os.environ)"),
            "useCache", Schemas.bool("answer identical calls from the result cache; default true"),
            "maxOutputBytes", Schemas.integer("cap on stdout+stderr per block; default 65536", 1024, 1_048_576),
            "namespace", Schemas.namespace()),
        Tool.Access.WRITE, this::execute);
  }

  /** The cell that puts the env vars into os.environ; only base64 text is placed in its source. */
  static String envCell(Map<String, String> env) {
    String json;
    try {
      json = JSON.writeValueAsString(new TreeMap<>(env));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
    return "import os as _mcp_os, json as _mcp_json, base64 as _mcp_b64\n"
        + "_mcp_os.environ.update(_mcp_json.loads(_mcp_b64.b64decode('" + SourceLiteral.base64(json)
        + "').decode('utf-8')))\n"
        + "del _mcp_os, _mcp_json, _mcp_b64";
  }

  /** The blocks of a call: {@code code} or {@code codeBlocks}, exactly one. */
  static List<String> blocks(ToolArgs args) {
    String code = args.optionalString("code", MAX_CODE);
    List<String> blocks = args.stringList("codeBlocks", MAX_BLOCKS, MAX_CODE);
    if (code != null && !blocks.isEmpty()) {
      throw ToolError.argument("code", "give code or codeBlocks, not both");
    }
    if (code != null) {
      if (code.isBlank()) {
        throw ToolError.argument("code", "is empty");
      }
      return List.of(code);
    }
    if (blocks.isEmpty()) {
      throw ToolError.argument("code", "is required (or codeBlocks)");
    }
    for (int i = 0; i < blocks.size(); i++) {
      if (blocks.get(i).isBlank()) {
        throw ToolError.argument("codeBlocks", "block " + i + " is empty");
      }
    }
    return blocks;
  }

  static Map<String, String> env(ToolArgs args) {
    Map<String, String> env = args.stringMap("env_vars", 128, 32_768);
    for (String name : env.keySet()) {
      if (!ENV_NAME.matcher(name).matches()) {
        throw ToolError.argument("env_vars", "name '" + (name.length() > 64 ? name.substring(0, 64) + "..." : name)
            + "' must match [A-Za-z_][A-Za-z0-9_]*");
      }
    }
    return env;
  }

  private Map<String, Object> execute(Caller caller, ToolArgs args) {
    String ns = args.namespace(caller);
    List<String> blocks = blocks(args);
    Map<String, String> env = env(args);
    int timeout = args.integer("timeout", 60, 1, 600);
    boolean capture = args.bool("captureOutput", true);
    boolean useCache = args.bool("useCache", true);
    int maxOutput = args.integer("maxOutputBytes", 65_536, 1024, 1_048_576);
    if (!backend.inOperator()) {
      throw new ToolError("execute_e2b_process runs inside the operator, where the idle policies see its "
          + "activity: use the operator's MCP HTTP endpoint, or `mcp --local`");
    }
    E2BSandbox sandbox = SandboxTools.find(backend, ns, args);
    String name = sandbox.getMetadata().getName();
    SandboxPhase phase = sandbox.getStatus() == null ? null : sandbox.getStatus().getPhase();
    String id = sandbox.getStatus() == null ? null : sandbox.getStatus().getSandboxID();
    if (id == null || (phase != SandboxPhase.Running && phase != SandboxPhase.Paused)
        || sandbox.getMetadata().getDeletionTimestamp() != null) {
      throw new ToolError("E2BSandbox " + ns + "/" + name + " is " + (phase == null ? "Pending" : phase)
          + (sandbox.getMetadata().getDeletionTimestamp() != null ? " (being deleted)" : "")
          + ": code runs only in a Running (or Paused, resumed on demand) sandbox");
    }
    List<String> keyParts = new ArrayList<>(List.of(sandbox.getMetadata().getUid(), id, String.valueOf(timeout),
        String.valueOf(capture), String.valueOf(maxOutput)));
    new TreeMap<>(env).forEach((k, v) -> {
      keyParts.add(k);
      keyParts.add(v);
    });
    keyParts.add("--");
    keyParts.addAll(blocks);
    String key = ResultCache.key(keyParts);
    if (useCache) {
      Optional<ResultCache.Hit> hit = cache.get(key);
      if (hit.isPresent()) {
        Map<String, Object> out = new LinkedHashMap<>(hit.get().result());
        out.put("cached", true);
        out.put("cachedAt", hit.get().storedAt().toString());
        out.put("cacheTtlSeconds", cache.ttl().toSeconds());
        return out;
      }
    }
    E2BClient client;
    try {
      client = backend.clients().forResource(ns, sandbox.getSpec().getCredentialsSecretRef());
    } catch (MissingReferenceException e) {
      throw new ToolError("E2BSandbox " + ns + "/" + name + ": " + e.getMessage());
    }
    Map<String, Object> out = run(client, sandbox, blocks, env, timeout, capture, maxOutput);
    if (useCache && Boolean.TRUE.equals(out.get("success"))) {
      cache.put(key, out);
    }
    out.put("cached", false);
    return out;
  }

  private Map<String, Object> run(E2BClient client, E2BSandbox sandbox, List<String> blocks, Map<String, String> env,
      int timeout, boolean capture, int maxOutput) {
    String id = sandbox.getStatus().getSandboxID();
    long t0 = System.nanoTime();
    SandboxEndpoint endpoint;
    String context = null;
    List<Map<String, Object>> done = new ArrayList<>();
    boolean truncated = false;
    boolean success = true;
    try {
      endpoint = endpoint(client, sandbox);
      context = client.createContext(endpoint, "python", null);
      if (!env.isEmpty()) {
        ExecutionResult r = timed(client, endpoint, new ExecuteRequest(envCell(env), context, null, Map.of(),
            Duration.ofSeconds(timeout)), id);
        if (r.error() != null) {
          throw new ToolError("setting env_vars failed in the sandbox: " + r.error().name() + ": " + r.error().value());
        }
      }
      for (int i = 0; i < blocks.size(); i++) {
        long b0 = System.nanoTime();
        ExecutionResult r = timed(client, endpoint, new ExecuteRequest(blocks.get(i), context, null, Map.of(),
            Duration.ofSeconds(timeout)), id);
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", i);
        if (capture) {
          Capped stdout = Capped.of(r.stdoutText(), maxOutput);
          Capped stderr = Capped.of(String.join("", r.stderr()), maxOutput - stdout.text().length());
          block.put("stdout", stdout.text());
          block.put("stderr", stderr.text());
          truncated |= stdout.truncated() || stderr.truncated();
        }
        block.put("results", results(r.results(), maxOutput));
        if (r.error() != null) {
          Map<String, Object> error = new LinkedHashMap<>();
          error.put("name", String.valueOf(r.error().name()));
          error.put("value", String.valueOf(r.error().value()));
          error.put("traceback", Capped.of(String.valueOf(r.error().traceback()), maxOutput).text());
          block.put("error", error);
        }
        Results.put(block, "executionCount", r.executionCount());
        block.put("durationMs", Duration.ofNanos(System.nanoTime() - b0).toMillis());
        done.add(block);
        if (r.error() != null) {
          success = false;
          break;
        }
      }
    } catch (SandboxNotFoundException e) {
      backend.activity().reportGone(id, backend.clock().instant());
      throw new ToolError("sandbox " + id + " is gone (the operator recreates or expires it): " + e.getMessage());
    } catch (AuthException e) {
      backend.activity().forgetAccess(id);
      throw new ToolError("the sandbox refused its access token; try again: " + e.getMessage());
    } catch (E2BException e) {
      throw new ToolError("E2B: " + e.getMessage());
    } finally {
      if (context != null) {
        deleteContext(client, sandbox, context);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", sandbox.getMetadata().getName());
    out.put("namespace", sandbox.getMetadata().getNamespace());
    out.put("sandboxId", id);
    out.put("success", success);
    out.put("durationMs", Duration.ofNanos(System.nanoTime() - t0).toMillis());
    out.put("blocks", done);
    if (done.size() < blocks.size()) {
      out.put("skippedBlocks", blocks.size() - done.size());
    }
    out.put("truncated", truncated);
    if (blocks.size() == 1 && !done.isEmpty()) {
      Map<String, Object> only = done.get(0);
      for (String k : List.of("stdout", "stderr", "results", "error")) {
        if (only.containsKey(k)) {
          out.put(k, only.get(k));
        }
      }
    }
    return out;
  }

  private void deleteContext(E2BClient client, E2BSandbox sandbox, String context) {
    try {
      client.deleteContext(endpoint(client, sandbox), context);
    } catch (E2BException | ToolError e) {
      // Best effort: the context goes with the sandbox anyway.
    }
  }

  private ExecutionResult timed(E2BClient client, SandboxEndpoint endpoint, ExecuteRequest request, String id) {
    Instant started = backend.clock().instant();
    long t0 = System.nanoTime();
    boolean failed = true;
    try {
      ExecutionResult r = client.execute(endpoint, request, ExecutionListener.NONE);
      failed = r.failed();
      return r;
    } finally {
      backend.activity().recordExecution(id, Duration.ofNanos(System.nanoTime() - t0).toMillis(), failed, started);
    }
  }

  /** Where to execute: id, domain and tokens; connect resumes a paused sandbox and returns the tokens again. */
  private SandboxEndpoint endpoint(E2BClient client, E2BSandbox sandbox) {
    String id = sandbox.getStatus().getSandboxID();
    SandboxActivity activity = backend.activity();
    Optional<SandboxActivity.Access> access = activity.access(id);
    if (sandbox.getStatus().getPhase() == SandboxPhase.Paused || access.isEmpty()) {
      try {
        activity.rememberAccess(client.connect(id, sandbox.getSpec().getTimeoutSeconds()).sandbox());
      } catch (ConflictException beingKilled) {
        throw new ToolError("sandbox " + id + " is being killed");
      }
      access = activity.access(id);
    }
    return new SandboxEndpoint(id, sandbox.getStatus().getDomain(),
        access.map(SandboxActivity.Access::envdAccessToken).orElse(null),
        access.map(SandboxActivity.Access::trafficAccessToken).orElse(null));
  }

  private static List<Map<String, Object>> results(List<RichResult> results, int maxOutput) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (RichResult r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("isMainResult", r.isMainResult());
      r.formats().forEach((format, value) -> {
        if (value instanceof String s) {
          m.put(format, Capped.of(s, maxOutput).text());
        } else if (value != null) {
          m.put(format, value);
        }
      });
      out.add(m);
    }
    return out;
  }

  /** Text cut to a budget of characters. */
  record Capped(String text, boolean truncated) {
    static Capped of(String text, int budget) {
      if (text == null) {
        return new Capped("", false);
      }
      int max = Math.max(0, budget);
      return text.length() <= max ? new Capped(text, false) : new Capped(text.substring(0, max), true);
    }
  }
}
