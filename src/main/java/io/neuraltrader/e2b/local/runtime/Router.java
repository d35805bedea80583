package io.neuraltrader.e2b.local.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches a request to the control plane or to a sandbox (by {@code Host: 49999-<id>.<domain>} or the
 * {@code E2b-Sandbox-Id}/{@code E2b-Sandbox-Port} headers), counting it and applying injected faults first.
 */
final class Router implements HttpServer.Handler {

  private static final Logger log = LoggerFactory.getLogger(Router.class);
  private static final Pattern SANDBOX_HOST = Pattern.compile("^(\\d+)-([A-Za-z0-9]+)\\.");
  private static final int CODE_INTERPRETER_PORT = 49999;
  private static final int ENVD_PORT = 49983;

  /** A control-plane handler; {@code id} is the path's sandbox id (null when the path has none). */
  private interface ControlHandler {
    Response handle(String id, HttpRequest req);
  }

  /** A sandbox handler, given the resolved running sandbox and the path's context id (or null). */
  private interface SandboxHandler {
    void handle(HostedSandbox sb, String contextId, HttpRequest req, HttpExchange ex, FaultInjector.Decision d)
        throws IOException;
  }

  private record Route<H>(String method, Pattern path, ServedOperation op, H handler) {}

  private final List<Route<ControlHandler>> controlRoutes;
  private final List<Route<SandboxHandler>> sandboxRoutes;
  private final SandboxApi sandboxApi;
  private final FaultInjector faults;
  private final RequestCounter counter;
  private final byte[] apiKey;

  Router(ControlPlaneApi cp, SandboxApi sandboxApi, FaultInjector faults, RequestCounter counter, String apiKey) {
    this.sandboxApi = sandboxApi;
    this.faults = faults;
    this.counter = counter;
    this.apiKey = apiKey.getBytes(StandardCharsets.UTF_8);
    String id = "([^/]+)";
    this.controlRoutes = List.of(
        new Route<>("POST", Pattern.compile("/sandboxes"), ServedOperation.CREATE, (i, r) -> cp.create(r)),
        new Route<>("GET", Pattern.compile("/v2/sandboxes"), ServedOperation.LIST, (i, r) -> cp.listV2(r)),
        new Route<>("GET", Pattern.compile("/sandboxes"), ServedOperation.LIST, (i, r) -> cp.listV1(r)),
        new Route<>("GET", Pattern.compile("/sandboxes/metrics"), ServedOperation.METRICS, (i, r) -> cp.metrics(r)),
        new Route<>("GET", Pattern.compile("/sandboxes/" + id), ServedOperation.GET, (i, r) -> cp.get(i)),
        new Route<>("DELETE", Pattern.compile("/sandboxes/" + id), ServedOperation.KILL, (i, r) -> cp.kill(i)),
        new Route<>("POST", Pattern.compile("/sandboxes/" + id + "/timeout"), ServedOperation.SET_TIMEOUT, cp::setTimeout),
        new Route<>("POST", Pattern.compile("/sandboxes/" + id + "/pause"), ServedOperation.PAUSE, (i, r) -> cp.pause(i)),
        new Route<>("POST", Pattern.compile("/sandboxes/" + id + "/connect"), ServedOperation.CONNECT, cp::connect),
        new Route<>("POST", Pattern.compile("/sandboxes/" + id + "/resume"), ServedOperation.CONNECT, cp::resume),
        new Route<>("GET", Pattern.compile("/sandboxes/" + id + "/metrics"), ServedOperation.METRICS, cp::sandboxMetrics),
        new Route<>("GET", Pattern.compile("/v2/sandboxes/" + id + "/logs"), ServedOperation.LOGS, cp::logsV2),
        new Route<>("GET", Pattern.compile("/sandboxes/" + id + "/logs"), ServedOperation.LOGS, (i, r) -> cp.logsV1(i)));
    this.sandboxRoutes = List.of(
        new Route<>("POST", Pattern.compile("/execute"), ServedOperation.EXECUTE, this::execute),
        new Route<>("POST", Pattern.compile("/contexts"), ServedOperation.CONTEXTS,
            (sb, c, r, ex, d) -> send(ex, sandboxApi.createContext(sb, r))),
        new Route<>("GET", Pattern.compile("/contexts"), ServedOperation.CONTEXTS,
            (sb, c, r, ex, d) -> send(ex, sandboxApi.listContexts(sb))),
        new Route<>("DELETE", Pattern.compile("/contexts/" + id), ServedOperation.CONTEXTS,
            (sb, c, r, ex, d) -> send(ex, sandboxApi.deleteContext(sb, c))),
        new Route<>("POST", Pattern.compile("/contexts/" + id + "/restart"), ServedOperation.CONTEXTS,
            (sb, c, r, ex, d) -> send(ex, sandboxApi.restartContext(sb, c))),
        new Route<>("GET", Pattern.compile("/health"), ServedOperation.HEALTH,
            (sb, c, r, ex, d) -> send(ex, Response.noContent())));
  }

  @Override
  public void handle(HttpRequest req, HttpExchange ex) throws IOException {
    try {
      String sandboxId = req.header("e2b-sandbox-id");
      String port = req.header("e2b-sandbox-port");
      if (sandboxId == null) {
        String host = req.header("host");
        Matcher m = host == null ? null : SANDBOX_HOST.matcher(host);
        if (m != null && m.find()) {
          port = m.group(1);
          sandboxId = m.group(2);
        }
      }
      if (sandboxId != null) {
        handleSandbox(sandboxId, port, req, ex);
      } else {
        handleControl(req, ex);
      }
    } catch (ApiException e) {
      if (!ex.answered()) {
        ex.send(e.status, Map.of(), "application/json", e.body());
      }
    } catch (RuntimeException e) {
      log.error("{} {} failed", req.method, req.path, e);
      if (!ex.answered()) {
        sendError(ex, 500, "internal error: " + e.getClass().getSimpleName(), Map.of());
      }
    }
  }

  private void handleControl(HttpRequest req, HttpExchange ex) throws IOException {
    Match<ControlHandler> match = match(controlRoutes, req);
    if (match == null) {
      sendError(ex, 404, "no route for " + req.method + " " + req.path, Map.of());
      return;
    }
    FaultInjector.Decision decision = admit(match.route.op(), ex);
    if (decision == null) {
      return;
    }
    String key = req.header("x-api-key");
    if (key == null || !MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), apiKey)) {
      sendError(ex, 401, key == null ? "Missing X-API-Key header" : "Invalid API key", Map.of());
      return;
    }
    Response response = match.route.handler().handle(match.id, req);
    if (decision.loseCreateResponse()) {
      // the sandbox exists now, but the client never learns it
      ex.reset();
      return;
    }
    send(ex, response);
  }

  private void handleSandbox(String sandboxId, String port, HttpRequest req, HttpExchange ex) throws IOException {
    int portNumber = parsePort(port);
    Match<SandboxHandler> match = match(sandboxRoutes, req);
    if (match == null) {
      sendError(ex, 404, "no route for " + req.method + " " + req.path, Map.of());
      return;
    }
    boolean health = match.route.op() == ServedOperation.HEALTH;
    if (portNumber != CODE_INTERPRETER_PORT && !(health && portNumber == ENVD_PORT)) {
      sendError(ex, 502, "The sandbox is running but port is not open", Map.of());
      return;
    }
    FaultInjector.Decision decision = admit(match.route.op(), ex);
    if (decision == null) {
      return;
    }
    if (decision.vanish()) {
      sandboxApi.vanish(sandboxId);
    }
    HostedSandbox sb = sandboxApi.target(sandboxId, req);
    match.route.handler().handle(sb, match.id, req, ex, decision);
  }

  private void execute(HostedSandbox sb, String unused, HttpRequest req, HttpExchange ex, FaultInjector.Decision d)
      throws IOException {
    SandboxApi.ExecuteRequest exec = sandboxApi.parseExecute(sb, req);
    sandboxApi.execute(sb, exec, ex);
  }

  private static int parsePort(String port) {
    if (port == null) {
      return CODE_INTERPRETER_PORT;
    }
    try {
      return Integer.parseInt(port.trim());
    } catch (NumberFormatException e) {
      throw new ApiException(400, "invalid E2b-Sandbox-Port '" + port + "'");
    }
  }

  /** Counts the request and applies latency and injected answers; null when a fault already answered. */
  private FaultInjector.Decision admit(ServedOperation op, HttpExchange ex) throws IOException {
    counter.increment(op);
    FaultInjector.Decision d = faults.decide(op);
    if (!d.latency().isZero()) {
      try {
        Thread.sleep(d.latency().toMillis(), d.latency().toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ex.abort();
        return null;
      }
    }
    switch (d.kind()) {
      case RESET:
        ex.reset();
        return null;
      case ERROR:
        sendError(ex, d.errorStatus(), injectedMessage(d.errorStatus()), Map.of());
        return null;
      case RATE_LIMIT:
        sendError(ex, 429, "Rate limit exceeded, please try again later",
            Map.of("Retry-After", Integer.toString(d.retryAfterSeconds())));
        return null;
      default:
        return d;
    }
  }

  private static String injectedMessage(int status) {
    switch (status) {
      case 502: return "Bad gateway";
      case 503: return "Service unavailable, please try again later";
      default: return "Internal server error";
    }
  }

  private record Match<H>(Route<H> route, String id) {}

  private static <H> Match<H> match(List<Route<H>> routes, HttpRequest req) {
    for (Route<H> r : routes) {
      if (!r.method().equals(req.method)) {
        continue;
      }
      Matcher m = r.path().matcher(req.path);
      if (m.matches()) {
        return new Match<>(r, m.groupCount() > 0 ? HttpRequest.decode(m.group(1)) : null);
      }
    }
    return null;
  }

  private static void send(HttpExchange ex, Response r) throws IOException {
    ex.send(r.status(), r.headers(), r.status() == 204 ? null : "application/json", r.body());
  }

  private static void sendError(HttpExchange ex, int status, String message, Map<String, String> headers)
      throws IOException {
    ex.send(status, headers, "application/json", RequestJson.errorBody(status, message));
  }
}
