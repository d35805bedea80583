package io.neuraltrader.e2b.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The E2B control plane: sandbox create, list, get, kill, timeout, pause, connect/resume, metrics, logs. */
final class ControlPlaneApi {

  private static final String CLIENT_ID = "6532622b";
  private static final int MAX_METRICS_IDS = 100;

  private final SandboxStore store;
  private final RuntimeConfig config;
  private final Supplier<String> domain;

  ControlPlaneApi(SandboxStore store, RuntimeConfig config, Supplier<String> domain) {
    this.store = store;
    this.config = config;
    this.domain = domain;
  }

  Response create(HttpRequest req) {
    ObjectNode body = RequestJson.object(req.body, false);
    JsonNode templateNode = body.get("templateID");
    if (templateNode == null || templateNode.isNull()) {
      throw new ApiException(400, "Error when parsing request: templateID is required");
    }
    if (!templateNode.isTextual()) {
      throw new ApiException(400, "Error when parsing request: field 'templateID' must be a string");
    }
    String templateId = templateNode.textValue().trim();
    if (templateId.isEmpty()) {
      throw new ApiException(400, "Error when parsing request: templateID must not be empty");
    }
    Integer timeout = RequestJson.optNonNegativeInt(body, "timeout");
    Boolean autoPause = RequestJson.optBoolean(body, "autoPause");
    Boolean secure = RequestJson.optBoolean(body, "secure");
    Boolean allowInternet = RequestJson.optBoolean(body, "allow_internet_access");
    Map<String, String> metadata = RequestJson.optStringMap(body, "metadata");
    Map<String, String> envVars = RequestJson.optStringMap(body, "envVars");
    boolean allowPublicTraffic = allowPublicTraffic(body);
    RequestJson.optObject(body, "autoResume");
    RequestJson.optObject(body, "mcp");
    TemplateSpec template = config.templates().stream()
        .filter(t -> t.matches(templateId))
        .findFirst()
        .orElseThrow(() -> new ApiException(404, "template '" + templateId + "' not found"));
    Duration ttl = timeout == null ? config.defaultTimeout() : checkedTimeout(timeout);
    HostedSandbox sb = store.create(template, ttl, metadata, envVars, Boolean.TRUE.equals(secure),
        Boolean.TRUE.equals(autoPause), allowInternet, allowPublicTraffic, config.maxConcurrentSandboxes());
    return Response.json(201, sandboxJson(sb));
  }

  /** network.allowPublicTraffic (default true); false makes sandbox traffic require the traffic token. */
  private static boolean allowPublicTraffic(ObjectNode body) {
    RequestJson.optObject(body, "network");
    JsonNode network = body.get("network");
    if (network == null || network.isNull()) {
      return true;
    }
    Boolean allow = RequestJson.optBoolean((ObjectNode) network, "allowPublicTraffic");
    return allow == null || allow;
  }

  private Duration checkedTimeout(int seconds) {
    if (seconds > config.maxTimeout().toSeconds()) {
      throw new ApiException(400, "Timeout cannot be greater than " + config.maxTimeout().toSeconds()
          + " seconds (" + seconds + " requested)");
    }
    return Duration.ofSeconds(seconds);
  }

  private ObjectNode sandboxJson(HostedSandbox sb) {
    ObjectNode n = RequestJson.MAPPER.createObjectNode();
    n.put("templateID", sb.template.id());
    n.put("sandboxID", sb.id);
    n.put("alias", sb.template.primaryAlias());
    n.put("clientID", CLIENT_ID);
    n.put("envdVersion", config.envdVersion());
    if (sb.secure) {
      n.put("envdAccessToken", sb.accessToken);
    }
    // Create and connect are the only answers with the traffic token (null when traffic is public).
    if (sb.trafficAccessToken == null) {
      n.putNull("trafficAccessToken");
    } else {
      n.put("trafficAccessToken", sb.trafficAccessToken);
    }
    n.put("domain", domain.get());
    return n;
  }

  private ObjectNode listedJson(HostedSandbox sb) {
    ObjectNode n = RequestJson.MAPPER.createObjectNode();
    n.put("templateID", sb.template.id());
    n.put("alias", sb.template.primaryAlias());
    n.put("sandboxID", sb.id);
    n.put("clientID", CLIENT_ID);
    n.put("startedAt", sb.startedAt.toString());
    n.put("endAt", sb.endAt().toString());
    n.put("cpuCount", sb.template.cpuCount());
    n.put("memoryMB", sb.template.memoryMB());
    n.put("diskSizeMB", sb.template.diskSizeMB());
    ObjectNode meta = n.putObject("metadata");
    sb.metadata.forEach(meta::put);
    n.put("state", sb.state().wireName());
    n.put("envdVersion", config.envdVersion());
    return n;
  }

  /** GET /v2/sandboxes: filters, limit and a next-page token over the stable creation order. */
  Response listV2(HttpRequest req) {
    int limit = parseLimit(req.queryFirst("limit"));
    Set<HostedState> states = parseStates(req.queryAll("state"));
    Map<String, String> metadata = parseMetadataFilter(req.queryFirst("metadata"));
    String token = req.queryFirst("nextToken");
    long fromSeq = token == null || token.isEmpty() ? 0 : decodeToken(token);
    List<HostedSandbox> page = new ArrayList<>(limit + 1);
    for (HostedSandbox sb : store.orderedFrom(fromSeq)) {
      if (states.contains(sb.state()) && matches(sb, metadata) && !sb.isTerminated()) {
        page.add(sb);
        if (page.size() > limit) {
          break;
        }
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (page.size() > limit) {
      headers.put("X-Next-Token", encodeToken(page.remove(limit).seq));
    }
    ArrayNode out = RequestJson.MAPPER.createArrayNode();
    page.forEach(sb -> out.add(listedJson(sb)));
    return Response.json(200, out, headers);
  }

  /** GET /sandboxes (deprecated v1): running sandboxes only, no pagination. */
  Response listV1(HttpRequest req) {
    Map<String, String> metadata = parseMetadataFilter(req.queryFirst("metadata"));
    ArrayNode out = RequestJson.MAPPER.createArrayNode();
    for (HostedSandbox sb : store.ordered()) {
      if (sb.isRunning() && matches(sb, metadata)) {
        out.add(listedJson(sb));
      }
    }
    return Response.json(200, out);
  }

  private static boolean matches(HostedSandbox sb, Map<String, String> filter) {
    for (Map.Entry<String, String> e : filter.entrySet()) {
      if (!e.getValue().equals(sb.metadata.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static int parseLimit(String raw) {
    if (raw == null) {
      return 100;
    }
    try {
      int limit = Integer.parseInt(raw.trim());
      if (limit >= 1 && limit <= 100) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(400, "limit must be an integer between 1 and 100, got '" + raw + "'");
  }

  private static Set<HostedState> parseStates(List<String> raw) {
    Set<HostedState> states = EnumSet.noneOf(HostedState.class);
    for (String value : raw) {
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          states.add(HostedState.parse(part.trim()));
        }
      }
    }
    return states.isEmpty() ? EnumSet.allOf(HostedState.class) : states;
  }

  /**
   * The metadata filter as E2B's API reads it: the (already URL-decoded) parameter is query-unescaped as a
   * whole, split on {@code &} into pairs of exactly one {@code =}, and each key and value is query-unescaped
   * again. A parameter that is present but empty, a pair without exactly one {@code =}, or a bad escape is 400.
   */
  static Map<String, String> parseMetadataFilter(String raw) {
    Map<String, String> filter = new LinkedHashMap<>();
    if (raw == null) {
      return filter;
    }
    String query = queryUnescape(raw, "query");
    for (String pair : query.split("&", -1)) {
      String[] parts = pair.split("=", -1);
      if (parts.length != 2) {
        throw metadataError("invalid key value pair in query");
      }
      filter.put(queryUnescape(parts[0], "key"), queryUnescape(parts[1], "value"));
    }
    return filter;
  }

  /** Go's url.QueryUnescape: '+' is a space, '%XX' a byte, any other '%' an error; bytes read as UTF-8. */
  static String queryUnescape(String s, String what) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      byte b = in[i];
      if (b == '%') {
        if (i + 2 >= in.length || Character.digit(in[i + 1], 16) < 0 || Character.digit(in[i + 2], 16) < 0) {
          String bad = new String(in, i, Math.min(3, in.length - i), StandardCharsets.UTF_8);
          throw metadataError("error when unescaping " + what + ": invalid URL escape \"" + bad + "\"");
        }
        out.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
        i += 2;
      } else if (b == '+') {
        out.write(' ');
      } else {
        out.write(b);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static ApiException metadataError(String why) {
    return new ApiException(400, "Error parsing metadata: error parsing metadata: " + why);
  }

  private static String encodeToken(long seq) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("seq:" + seq).getBytes(StandardCharsets.UTF_8));
  }

  private static long decodeToken(String token) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (s.startsWith("seq:")) {
        long seq = Long.parseLong(s.substring(4));
        if (seq > 0) {
          return seq;
        }
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw new ApiException(400, "invalid nextToken '" + token + "'");
  }

  Response get(String id) {
    HostedSandbox sb = store.require(id);
    ObjectNode n = listedJson(sb);
    if (sb.secure) {
      n.put("envdAccessToken", sb.accessToken);
    }
    n.put("domain", domain.get());
    if (sb.allowInternetAccess == null) {
      n.putNull("allowInternetAccess");
    } else {
      n.put("allowInternetAccess", sb.allowInternetAccess);
    }
    if (sb.trafficAccessToken != null) {
      n.putObject("network").put("allowPublicTraffic", false);
    }
    ObjectNode lifecycle = n.putObject("lifecycle");
    lifecycle.put("onTimeout", sb.autoPause ? "pause" : "kill");
    return Response.json(200, n);
  }

  Response kill(String id) {
    if (!store.kill(id, "killed by API request")) {
      throw SandboxStore.notFound(id);
    }
    return Response.noContent();
  }

  Response setTimeout(String id, HttpRequest req) {
    ObjectNode body = RequestJson.object(req.body, false);
    Integer timeout = RequestJson.optNonNegativeInt(body, "timeout");
    if (timeout == null) {
      throw new ApiException(400, "Error when parsing request: timeout is required");
    }
    Duration ttl = checkedTimeout(timeout);
    HostedSandbox sb = store.require(id);
    Instant now = store.now();
    sb.setEndAt(now.plus(ttl), now);
    return Response.noContent();
  }

  Response pause(String id) {
    HostedSandbox sb = store.require(id);
    sb.pause(store.now(), "API request");
    return Response.noContent();
  }

  /** Connect: 200 when running (life extended), 201 when it resumed a paused sandbox. */
  Response connect(String id, HttpRequest req) {
    ObjectNode body = RequestJson.object(req.body, false);
    Integer timeout = RequestJson.optNonNegativeInt(body, "timeout");
    if (timeout == null) {
      throw new ApiException(400, "Error when parsing request: timeout is required");
    }
    Duration ttl = checkedTimeout(timeout);
    HostedSandbox sb = store.require(id);
    if (sb.transition() == Transition.KILLING) {
      throw new ApiException(409, "Sandbox \"" + id + "\" is being killed");
    }
    Transition waited = sb.takeTransition();
    if (waited != null) {
      // E2B waits for the transition to finish, then connects to the result.
      store.finishTransition(sb, waited);
    }
    Instant now = store.now();
    boolean resumed = sb.resumeOrExtend(now.plus(ttl), now);
    return Response.json(resumed ? 201 : 200, sandboxJson(sb));
  }

  /** Deprecated resume: 201 when it resumed, 409 when the sandbox is already running. */
  Response resume(String id, HttpRequest req) {
    ObjectNode body = RequestJson.object(req.body, true);
    Integer timeout = RequestJson.optNonNegativeInt(body, "timeout");
    RequestJson.optBoolean(body, "autoPause");
    Duration ttl = timeout == null ? config.defaultTimeout() : checkedTimeout(timeout);
    HostedSandbox sb = store.require(id);
    Instant now = store.now();
    synchronized (sb) {
      if (sb.state() == HostedState.RUNNING) {
        throw new ApiException(409, "Sandbox " + id + " is already running");
      }
      sb.resumeOrExtend(now.plus(ttl), now);
    }
    return Response.json(201, sandboxJson(sb));
  }

  /** GET /sandboxes/metrics?sandbox_ids=a,b: the latest metric of each known sandbox. */
  Response metrics(HttpRequest req) {
    Set<String> ids = new LinkedHashSet<>();
    for (String value : req.queryAll("sandbox_ids")) {
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          ids.add(part.trim());
        }
      }
    }
    if (ids.isEmpty()) {
      throw new ApiException(400, "sandbox_ids is required");
    }
    if (ids.size() > MAX_METRICS_IDS) {
      throw new ApiException(400, "at most " + MAX_METRICS_IDS + " sandbox_ids are allowed, got " + ids.size());
    }
    ObjectNode out = RequestJson.MAPPER.createObjectNode();
    ObjectNode sandboxes = out.putObject("sandboxes");
    Instant now = store.now();
    for (String id : ids) {
      HostedSandbox sb = store.find(id);
      if (sb != null) {
        sandboxes.set(id, ProcessMetrics.metric(sb, now));
      }
    }
    return Response.json(200, out);
  }

  Response sandboxMetrics(String id, HttpRequest req) {
    optNonNegativeLong(req, "start");
    optNonNegativeLong(req, "end");
    HostedSandbox sb = store.require(id);
    ArrayNode out = RequestJson.MAPPER.createArrayNode();
    out.add(ProcessMetrics.metric(sb, store.now()));
    return Response.json(200, out);
  }

  /** GET /v2/sandboxes/{id}/logs with cursor (epoch ms), limit, direction, level and search. */
  Response logsV2(String id, HttpRequest req) {
    List<LogEntry> logs = requireLogs(id);
    Long cursor = optNonNegativeLong(req, "cursor");
    Long limitRaw = optNonNegativeLong(req, "limit");
    long limit = limitRaw == null ? 1000 : limitRaw;
    if (limit > 1000) {
      throw new ApiException(400, "limit must be at most 1000");
    }
    String direction = req.queryFirst("direction");
    boolean backward = "backward".equals(direction);
    if (direction != null && !backward && !"forward".equals(direction)) {
      throw new ApiException(400, "direction must be forward or backward");
    }
    int minLevel = levelRank(req.queryFirst("level") == null ? "debug" : req.queryFirst("level"));
    String search = req.queryFirst("search");
    List<LogEntry> selected = new ArrayList<>();
    for (LogEntry e : logs) {
      long ms = e.timestamp().toEpochMilli();
      if (cursor != null && (backward ? ms > cursor : ms < cursor)) {
        continue;
      }
      if (levelRank(e.level()) < minLevel || (search != null && !e.message().contains(search))) {
        continue;
      }
      selected.add(e);
    }
    if (backward) {
      java.util.Collections.reverse(selected);
    }
    ArrayNode arr = RequestJson.MAPPER.createArrayNode();
    for (LogEntry e : selected.subList(0, (int) Math.min(limit, selected.size()))) {
      arr.add(entryJson(e));
    }
    ObjectNode out = RequestJson.MAPPER.createObjectNode();
    out.set("logs", arr);
    return Response.json(200, out);
  }

  /** GET /sandboxes/{id}/logs (v1): plain lines plus structured entries. */
  Response logsV1(String id) {
    List<LogEntry> logs = requireLogs(id);
    ObjectNode out = RequestJson.MAPPER.createObjectNode();
    ArrayNode lines = out.putArray("logs");
    ArrayNode entries = out.putArray("logEntries");
    for (LogEntry e : logs) {
      lines.addObject().put("timestamp", e.timestamp().toString()).put("line", e.message());
      entries.add(entryJson(e));
    }
    return Response.json(200, out);
  }

  private List<LogEntry> requireLogs(String id) {
    List<LogEntry> logs = store.logs(id);
    if (logs == null) {
      throw SandboxStore.notFound(id);
    }
    return logs;
  }

  private static ObjectNode entryJson(LogEntry e) {
    ObjectNode n = RequestJson.MAPPER.createObjectNode();
    n.put("timestamp", e.timestamp().toString());
    n.put("level", e.level());
    n.put("message", e.message());
    ObjectNode fields = n.putObject("fields");
    e.fields().forEach(fields::put);
    return n;
  }

  private static int levelRank(String level) {
    switch (level) {
      case "debug": return 0;
      case "info": return 1;
      case "warn": return 2;
      case "error": return 3;
      default: throw new ApiException(400, "level must be debug, info, warn or error");
    }
  }

  private static Long optNonNegativeLong(HttpRequest req, String name) {
    String raw = req.queryFirst(name);
    if (raw == null) {
      return null;
    }
    try {
      long v = Long.parseLong(raw.trim());
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(400, name + " must be a non-negative integer, got '" + raw + "'");
  }
}
