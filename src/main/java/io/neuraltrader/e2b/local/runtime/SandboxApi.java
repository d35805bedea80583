package io.neuraltrader.e2b.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Traffic to a sandbox's code interpreter (port 49999): /execute, /contexts and /health. */
final class SandboxApi {

  private static final Logger log = LoggerFactory.getLogger(SandboxApi.class);
  static final String NOT_FOUND = "The sandbox was not found";
  static final String TRAFFIC_TOKEN_HEADER = "e2b-traffic-access-token";

  private final SandboxStore store;
  private final RuntimeConfig config;

  SandboxApi(SandboxStore store, RuntimeConfig config) {
    this.store = store;
    this.config = config;
  }

  /**
   * The running sandbox a request targets, after the proxy's checks (502 when gone or paused, 403 without the
   * traffic token of a sandbox that does not allow public traffic) and envd's (401 without the access token).
   */
  HostedSandbox target(String sandboxId, HttpRequest req) {
    HostedSandbox sb = store.find(sandboxId);
    if (sb == null || !sb.isRunning()) {
      throw notFound(sandboxId);
    }
    if (sb.trafficAccessToken != null) {
      String traffic = req.header(TRAFFIC_TOKEN_HEADER);
      if (traffic == null) {
        throw ApiException.fromProxy(403, "Sandbox is secured with traffic access token. Token header '"
            + TRAFFIC_TOKEN_HEADER + "' is missing", sb.id);
      }
      if (!MessageDigest.isEqual(traffic.getBytes(StandardCharsets.UTF_8),
          sb.trafficAccessToken.getBytes(StandardCharsets.UTF_8))) {
        throw ApiException.fromProxy(403, "Sandbox is secured with traffic access token. Provided token in header '"
            + TRAFFIC_TOKEN_HEADER + "' is invalid", sb.id);
      }
    }
    if (sb.secure) {
      String token = req.header("x-access-token");
      if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
          sb.accessToken.getBytes(StandardCharsets.UTF_8))) {
        throw new ApiException(401, "invalid or missing X-Access-Token for secure sandbox " + sb.id);
      }
    }
    return sb;
  }

  /** The proxy's answer for a sandbox it cannot route to: 502 naming the sandbox. */
  static ApiException notFound(String sandboxId) {
    return ApiException.fromProxy(502, NOT_FOUND, sandboxId);
  }

  /** The sandbox is lost (killed behind everyone's back), as E2B users see sandboxes vanish early. */
  void vanish(String sandboxId) {
    store.kill(sandboxId, "lost");
  }

  Response createContext(HostedSandbox sb, HttpRequest req) {
    ObjectNode body = RequestJson.object(req.body, true);
    String language = checkLanguage(RequestJson.optString(body, "language"));
    String cwd = RequestJson.optString(body, "cwd");
    CodeContext ctx = sb.addContext(new CodeContext(store.ids().contextId(), language,
        cwd == null || cwd.isBlank() ? HostedSandbox.DEFAULT_CWD : cwd));
    sb.log(store.now(), "info", "Context " + ctx.id + " created");
    return Response.json(200, contextJson(ctx));
  }

  Response listContexts(HostedSandbox sb) {
    ArrayNode out = RequestJson.MAPPER.createArrayNode();
    sb.contexts().forEach(c -> out.add(contextJson(c)));
    return Response.json(200, out);
  }

  Response deleteContext(HostedSandbox sb, String contextId) {
    CodeContext ctx = sb.removeContext(contextId);
    if (ctx == null) {
      throw contextNotFound(contextId);
    }
    ctx.close();
    sb.log(store.now(), "info", "Context " + contextId + " deleted");
    return Response.noContent();
  }

  Response restartContext(HostedSandbox sb, String contextId) {
    CodeContext ctx = sb.context(contextId);
    if (ctx == null) {
      throw contextNotFound(contextId);
    }
    ctx.restart();
    sb.log(store.now(), "info", "Context " + contextId + " restarted");
    return Response.noContent();
  }

  private static ObjectNode contextJson(CodeContext c) {
    ObjectNode n = RequestJson.MAPPER.createObjectNode();
    n.put("id", c.id);
    n.put("language", c.language);
    n.put("cwd", c.cwd);
    return n;
  }

  private static ApiException contextNotFound(String id) {
    return new ApiException(404, "Context " + id + " not found");
  }

  /** Only Python runs locally; E2B's other kernels (js, r, java, bash) are not available here. */
  private static String checkLanguage(String language) {
    if (language == null || language.equals("python") || language.equals("python3")) {
      return "python";
    }
    throw new ApiException(400, "language '" + language + "' is not supported by the local runtime (python only)");
  }

  /** The parsed body of an /execute request; validation happens before any response byte is sent. */
  record ExecuteRequest(CodeContext context, String code, Map<String, String> envVars) {}

  ExecuteRequest parseExecute(HostedSandbox sb, HttpRequest req) {
    ObjectNode body = RequestJson.object(req.body, false);
    JsonNode code = body.get("code");
    if (code == null || !code.isTextual()) {
      throw new ApiException(400, "code is required and must be a string");
    }
    String contextId = RequestJson.optString(body, "context_id");
    String language = RequestJson.optString(body, "language");
    if (contextId != null && language != null) {
      throw new ApiException(400, "Only one of context_id or language can be provided");
    }
    Map<String, String> env = RequestJson.optStringMap(body, "env_vars");
    CodeContext ctx;
    if (contextId != null) {
      ctx = sb.context(contextId);
      if (ctx == null) {
        throw contextNotFound(contextId);
      }
    } else {
      checkLanguage(language);
      ctx = sb.defaultContext();
    }
    return new ExecuteRequest(ctx, code.textValue(), env);
  }

  /**
   * Runs one execution and streams its messages as NDJSON. Holds the context's lock until the kernel has
   * finished, even when the client went away, so a later execution never receives this one's output.
   */
  void execute(HostedSandbox sb, ExecuteRequest exec, HttpExchange exchange) throws IOException {
    CodeContext ctx = exec.context();
    ctx.executionLock.lock();
    try {
      if (!sb.isRunning()) {
        throw notFound(sb.id);
      }
      Path cwd = workingDirectory(sb, ctx);
      KernelProcess kernel = ctx.kernel(() -> KernelProcess.start(config.pythonCommand(), cwd));
      if (kernel == null) {
        throw sb.isTerminated() ? notFound(sb.id) : contextNotFound(ctx.id);
      }
      sb.log(store.now(), "debug", "Execution started in context " + ctx.id);
      BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
      String cell = EnvSplice.cell(exec.code(), ctx.takeGlobalEnv(sb.envVars), exec.envVars());
      kernel.submit(RequestJson.MAPPER.createObjectNode().put("code", cell), messages);
      boolean finished = stream(sb, kernel, messages, exchange);
      if (finished && !exec.envVars().isEmpty()) {
        cleanUp(kernel, EnvSplice.cleanup(exec.envVars(), sb.envVars));
      }
    } finally {
      ctx.executionLock.unlock();
    }
  }

  /**
   * The real server removes an execution's env vars afterwards with a silent execution of its own (spliced
   * source again: a global value is set back, other keys are deleted); its errors are only logged.
   */
  private void cleanUp(KernelProcess kernel, String code) throws IOException {
    if (code.isEmpty() || !kernel.isAlive()) {
      return;
    }
    BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    kernel.submit(RequestJson.MAPPER.createObjectNode().put("code", code).put("silent", true), messages);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try {
      while (System.nanoTime() < deadline) {
        JsonNode msg = messages.poll(100, TimeUnit.MILLISECONDS);
        if (msg == null) {
          continue;
        }
        String type = msg.path("type").asText();
        if ("error".equals(type)) {
          log.debug("env var cleanup failed: {}", msg.path("name").asText());
        } else if (KernelProcess.DONE.equals(type) || KernelProcess.EXITED.equals(type)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Streams the execution; true when the kernel finished it (not when the sandbox or its kernel went away). */
  private boolean stream(HostedSandbox sb, KernelProcess kernel, BlockingQueue<JsonNode> messages, HttpExchange exchange)
      throws IOException {
    HttpExchange.ChunkedBody out = exchange.startChunked(200, "application/x-ndjson");
    boolean clientGone = false;
    boolean kernelDied = false;
    long keepaliveMillis = config.keepaliveInterval().toMillis();
    while (true) {
      JsonNode msg;
      try {
        msg = messages.poll(keepaliveMillis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.abort();
        return false;
      }
      if (!clientGone && !sb.isRunning()) {
        // the sandbox was paused or killed under the execution: its connections drop, as on E2B
        exchange.abort();
        clientGone = true;
      }
      String type = msg == null ? "keepalive" : msg.path("type").asText();
      if (KernelProcess.DONE.equals(type)) {
        break;
      }
      if (KernelProcess.EXITED.equals(type)) {
        if (sb.isTerminated()) {
          exchange.abort();
          return false;
        }
        ObjectNode err = RequestJson.MAPPER.createObjectNode();
        err.put("type", "error");
        err.put("name", "KernelDiedError");
        err.put("value", "the Python process of this context exited (code " + kernel.awaitExitCode() + ")");
        err.put("traceback", "");
        clientGone = write(out, err, clientGone);
        kernelDied = true;
        break;
      }
      JsonNode line = msg == null ? RequestJson.MAPPER.createObjectNode().put("type", "keepalive") : msg;
      clientGone = write(out, line, clientGone);
    }
    if (!clientGone) {
      clientGone = write(out, RequestJson.MAPPER.createObjectNode().put("type", "end_of_execution"), false);
    }
    if (!clientGone) {
      out.finish();
    } else {
      exchange.abort();
    }
    return !kernelDied;
  }

  /** Writes one NDJSON line; returns whether the client is gone (output is then drained and dropped). */
  private static boolean write(HttpExchange.ChunkedBody out, JsonNode line, boolean clientGone) {
    if (clientGone) {
      return true;
    }
    byte[] json = RequestJson.bytes(line);
    byte[] withNewline = new byte[json.length + 1];
    System.arraycopy(json, 0, withNewline, 0, json.length);
    withNewline[json.length] = '\n';
    try {
      out.write(withNewline);
      return false;
    } catch (IOException e) {
      log.debug("execute client went away: {}", e.toString());
      return true;
    }
  }

  private static Path workingDirectory(HostedSandbox sb, CodeContext ctx) throws IOException {
    Path requested = Path.of(ctx.cwd);
    return Files.isDirectory(requested) ? requested : sb.workDir();
  }
}
