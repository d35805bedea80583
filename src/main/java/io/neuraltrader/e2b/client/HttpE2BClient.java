package io.neuraltrader.e2b.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/** {@link E2BClient} over OkHttp. Build with {@link #builder(E2BClientConfig)}. */
public final class HttpE2BClient implements E2BClient {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpE2BClient.class);
  static final int CODE_INTERPRETER_PORT = 49999;
  static final int METRICS_BATCH = 100;
  static final String HEADER_API_KEY = "X-API-Key";
  static final String HEADER_ACCESS_TOKEN = "X-Access-Token";
  static final String HEADER_TRAFFIC_TOKEN = "E2B-Traffic-Access-Token";
  static final String HEADER_SANDBOX_ID = "E2b-Sandbox-Id";
  static final String HEADER_SANDBOX_PORT = "E2b-Sandbox-Port";
  static final String HEADER_NEXT_TOKEN = "X-Next-Token";
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String USER_AGENT = "e2b-operator";
  private static final TypeReference<List<ListedSandbox>> LISTED = new TypeReference<>() { };
  private static final TypeReference<List<SandboxMetric>> METRIC_LIST = new TypeReference<>() { };
  private static final TypeReference<Map<String, SandboxMetric>> METRIC_MAP = new TypeReference<>() { };

  private final E2BClientConfig config;
  private final HttpUrl apiBase;
  private final ObjectMapper json = Json.mapper();
  private final OkHttpClient controlHttp;
  private final CallExecutor executor;
  private final E2BMetrics metrics;
  private final Semaphore createPermits;
  private final List<Runnable> slotListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final boolean ownsHttp;

  private HttpE2BClient(Builder b) {
    this.config = b.config;
    this.apiBase = HttpUrl.get(config.apiUrl());
    this.ownsHttp = b.okHttpClient == null;
    OkHttpClient base = ownsHttp ? new OkHttpClient() : b.okHttpClient;
    this.controlHttp = base.newBuilder()
        .connectTimeout(config.connectTimeout())
        .readTimeout(config.readTimeout())
        .writeTimeout(config.readTimeout())
        .callTimeout(config.callTimeout())
        .followRedirects(false)
        .build();
    // Executions last as long as the code runs: their deadline is set per call.
    OkHttpClient executeHttp = controlHttp.newBuilder().callTimeout(Duration.ZERO).build();
    ErrorMapper errors = new ErrorMapper(json, b.clock, new Redactor(config.apiKey()));
    this.metrics = new E2BMetrics(b.registry, b.clientName);
    this.executor = new CallExecutor(controlHttp, executeHttp, config, errors, metrics,
        b.clock, b.sleeper, b.random);
    this.createPermits = new Semaphore(config.maxConcurrentCreates(), true);
  }

  public static Builder builder(E2BClientConfig config) {
    return new Builder(config);
  }

  // ---- control plane ----

  @Override
  public Sandbox create(NewSandbox request) {
    Objects.requireNonNull(request, "request");
    byte[] body = toJson(request);
    try {
      createPermits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectionFailureException(
          ErrorDetails.noAnswer(Operation.CREATE, "interrupted while waiting for a create slot"), e, true);
    }
    try {
      // One-shot body: OkHttp itself must not resend a create after its bytes went out.
      return executor.call(Operation.CREATE, () -> control(url("sandboxes")).post(oneShot(body)).build(),
          null, r -> json.readValue(r.body().byteStream(), Sandbox.class));
    } finally {
      createPermits.release();
      for (Runnable listener : slotListeners) {
        try {
          listener.run();
        } catch (RuntimeException e) {
          LOG.warn("create-slot listener failed: {}", e.toString());
        }
      }
    }
  }

  @Override
  public boolean createSlotFree() {
    return createPermits.availablePermits() > 0;
  }

  @Override
  public void onCreateSlotFreed(Runnable listener) {
    slotListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public Page<ListedSandbox> list(ListQuery query) {
    HttpUrl.Builder u = url("v2", "sandboxes").newBuilder();
    if (!query.metadata().isEmpty()) {
      u.addEncodedQueryParameter("metadata", MetadataFilter.encodedParameter(query.metadata()));
    }
    if (!query.states().isEmpty()) {
      u.addQueryParameter("state", query.states().stream().sorted().map(SandboxState::wire)
          .collect(Collectors.joining(",")));
    }
    if (query.limit() != null) {
      u.addQueryParameter("limit", Integer.toString(query.limit()));
    }
    if (query.nextToken() != null) {
      u.addQueryParameter("nextToken", query.nextToken());
    }
    HttpUrl target = u.build();
    return executor.call(Operation.LIST, () -> control(target).get().build(), null,
        r -> new Page<>(json.readValue(r.body().byteStream(), LISTED), r.header(HEADER_NEXT_TOKEN)));
  }

  @Override
  public List<ListedSandbox> listAll(Map<String, String> metadata, Set<SandboxState> states) {
    ListQuery q = new ListQuery(metadata, states, ListQuery.MAX_LIMIT, null);
    List<ListedSandbox> all = new ArrayList<>();
    Set<String> seenTokens = new HashSet<>();
    while (true) {
      Page<ListedSandbox> page = list(q);
      all.addAll(page.items());
      if (page.nextToken() == null) {
        return all;
      }
      if (!seenTokens.add(page.nextToken())) {
        throw new ServerException(ErrorDetails.noAnswer(Operation.LIST,
            "pagination did not advance (X-Next-Token repeated)"), null);
      }
      q = q.withNextToken(page.nextToken());
    }
  }

  @Override
  public SandboxDetail get(String sandboxID) {
    HttpUrl target = url("sandboxes", id(sandboxID));
    return executor.call(Operation.GET, () -> control(target).get().build(), null,
        r -> json.readValue(r.body().byteStream(), SandboxDetail.class));
  }

  @Override
  public boolean kill(String sandboxID) {
    HttpUrl target = url("sandboxes", id(sandboxID));
    try {
      return executor.call(Operation.KILL, () -> control(target).delete().build(), null, r -> true);
    } catch (SandboxNotFoundException gone) {
      return false;
    }
  }

  @Override
  public void setTimeout(String sandboxID, int seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("timeout must be >= 0 seconds, got " + seconds);
    }
    HttpUrl target = url("sandboxes", id(sandboxID), "timeout");
    byte[] body = toJson(json.createObjectNode().put("timeout", seconds));
    executor.call(Operation.SET_TIMEOUT, () -> control(target).post(RequestBody.create(body, JSON)).build(), null,
        r -> null);
  }

  @Override
  public void pause(String sandboxID) {
    HttpUrl target = url("sandboxes", id(sandboxID), "pause");
    byte[] body = toJson(json.createObjectNode());
    executor.call(Operation.PAUSE, () -> control(target).post(RequestBody.create(body, JSON)).build(), null,
        r -> null);
  }

  @Override
  public ConnectResult connect(String sandboxID, int timeoutSeconds) {
    if (timeoutSeconds < 0) {
      throw new IllegalArgumentException("timeout must be >= 0 seconds, got " + timeoutSeconds);
    }
    HttpUrl target = url("sandboxes", id(sandboxID), "connect");
    byte[] body = toJson(json.createObjectNode().put("timeout", timeoutSeconds));
    return executor.call(Operation.CONNECT, () -> control(target).post(RequestBody.create(body, JSON)).build(),
        null, r -> new ConnectResult(json.readValue(r.body().byteStream(), Sandbox.class), r.code() == 201));
  }

  @Override
  public Map<String, SandboxMetric> metrics(Collection<String> sandboxIDs) {
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(sandboxIDs));
    Map<String, SandboxMetric> merged = new LinkedHashMap<>();
    for (int from = 0; from < ids.size(); from += METRICS_BATCH) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + METRICS_BATCH));
      batch.forEach(HttpE2BClient::id);
      HttpUrl target = url("sandboxes", "metrics").newBuilder()
          .addQueryParameter("sandbox_ids", String.join(",", batch)).build();
      merged.putAll(executor.call(Operation.METRICS, () -> control(target).get().build(), null,
          this::readMetricsMap));
    }
    return merged;
  }

  private Map<String, SandboxMetric> readMetricsMap(Response r) throws IOException {
    JsonNode sandboxes = json.readTree(r.body().byteStream()).path("sandboxes");
    if (sandboxes.isMissingNode() || sandboxes.isNull()) {
      return Map.of();
    }
    return json.convertValue(sandboxes, METRIC_MAP);
  }

  @Override
  public List<SandboxMetric> sandboxMetrics(String sandboxID) {
    HttpUrl target = url("sandboxes", id(sandboxID), "metrics");
    return executor.call(Operation.SANDBOX_METRICS, () -> control(target).get().build(), null,
        r -> json.readValue(r.body().byteStream(), METRIC_LIST));
  }

  // ---- code execution ----

  @Override
  public ExecutionResult execute(SandboxEndpoint sandbox, ExecuteRequest request, ExecutionListener listener) {
    ObjectNode body = json.createObjectNode().put("code", request.code());
    if (request.contextId() != null) {
      body.put("context_id", request.contextId());
    }
    if (request.language() != null) {
      body.put("language", request.language());
    }
    if (!request.envVars().isEmpty()) {
      body.set("env_vars", json.valueToTree(request.envVars()));
    }
    Request http = sandboxRequest(sandbox, "execute").post(oneShot(toJson(body)))
        .header("Accept", "application/x-ndjson").build();
    ExecutionListener l = listener == null ? ExecutionListener.NONE : listener;
    return executor.once(Operation.EXECUTE, http, request.timeout(),
        r -> new NdjsonExecutionParser(json, l, Operation.EXECUTE).read(r.body().source()));
  }

  @Override
  public String createContext(SandboxEndpoint sandbox, String language, String cwd) {
    ObjectNode body = json.createObjectNode();
    if (language != null) {
      body.put("language", language);
    }
    if (cwd != null) {
      body.put("cwd", cwd);
    }
    byte[] bytes = toJson(body);
    return executor.call(Operation.CREATE_CONTEXT,
        () -> sandboxRequest(sandbox, "contexts").post(oneShot(bytes)).build(), config.callTimeout(), r -> {
          JsonNode id = json.readTree(r.body().byteStream()).get("id");
          if (id == null || id.asText().isBlank()) {
            throw new ServerException(new ErrorDetails(Operation.CREATE_CONTEXT, r.code(), null,
                "context answer has no id", null, null), null);
          }
          return id.asText();
        });
  }

  @Override
  public void restartContext(SandboxEndpoint sandbox, String contextId) {
    byte[] bytes = toJson(json.createObjectNode());
    executor.call(Operation.RESTART_CONTEXT,
        () -> sandboxRequest(sandbox, "contexts", requireText("contextId", contextId), "restart")
            .post(RequestBody.create(bytes, JSON)).build(), config.callTimeout(), r -> null);
  }

  @Override
  public void deleteContext(SandboxEndpoint sandbox, String contextId) {
    executor.call(Operation.DELETE_CONTEXT,
        () -> sandboxRequest(sandbox, "contexts", requireText("contextId", contextId)).delete().build(),
        config.callTimeout(), r -> null);
  }

  @Override
  public CircuitBreaker.State circuitState(Api api) {
    return executor.breaker(api).state();
  }

  @Override
  public void close() {
    metrics.close();
    if (!ownsHttp) {
      return;
    }
    controlHttp.dispatcher().executorService().shutdown();
    controlHttp.connectionPool().evictAll();
  }

  // ---- request building ----

  private HttpUrl url(String... segments) {
    HttpUrl.Builder b = apiBase.newBuilder();
    for (String s : segments) {
      b.addPathSegment(s);
    }
    return b.build();
  }

  private Request.Builder control(HttpUrl url) {
    return new Request.Builder().url(url)
        .header(HEADER_API_KEY, config.apiKey().reveal())
        .header("Accept", "application/json")
        .header("User-Agent", USER_AGENT);
  }

  /** The code interpreter of a sandbox; never carries the API key. */
  private Request.Builder sandboxRequest(SandboxEndpoint sandbox, String... path) {
    String sandboxID = id(sandbox.sandboxID());
    Request.Builder r = new Request.Builder().header("User-Agent", USER_AGENT);
    HttpUrl.Builder u;
    if (config.sandboxUrlOverride().isPresent()) {
      u = HttpUrl.get(config.sandboxUrlOverride().get()).newBuilder();
      r.header(HEADER_SANDBOX_ID, sandboxID).header(HEADER_SANDBOX_PORT, Integer.toString(CODE_INTERPRETER_PORT));
    } else {
      u = HttpUrl.get(sandboxBaseUrl(sandboxID, sandbox.domain() != null ? sandbox.domain() : config.domain()))
          .newBuilder();
    }
    for (String p : path) {
      u.addPathSegment(p);
    }
    if (sandbox.envdAccessToken() != null && !sandbox.envdAccessToken().isBlank()) {
      r.header(HEADER_ACCESS_TOKEN, sandbox.envdAccessToken());
    }
    // Required by the sandbox proxy when the sandbox was created with network.allowPublicTraffic: false.
    if (sandbox.trafficAccessToken() != null && !sandbox.trafficAccessToken().isBlank()) {
      r.header(HEADER_TRAFFIC_TOKEN, sandbox.trafficAccessToken());
    }
    return r.url(u.build());
  }

  /** {@code https://49999-<sandboxID>.<domain>}. */
  static String sandboxBaseUrl(String sandboxID, String domain) {
    return "https://" + CODE_INTERPRETER_PORT + "-" + sandboxID + "." + domain;
  }

  /** Sandbox ids become host labels and path segments: allow only what E2B issues. */
  private static String id(String sandboxID) {
    if (sandboxID == null || !sandboxID.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
      throw new IllegalArgumentException("invalid sandbox id: " + sandboxID);
    }
    return sandboxID;
  }

  private static String requireText(String name, String v) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return v;
  }

  private byte[] toJson(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  private static RequestBody oneShot(byte[] bytes) {
    return new RequestBody() {
      @Override
      public MediaType contentType() {
        return JSON;
      }

      @Override
      public long contentLength() {
        return bytes.length;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.write(bytes);
      }

      @Override
      public boolean isOneShot() {
        return true;
      }
    };
  }

  /** Wiring with injectable time, waiting, randomness and metrics (all have production defaults). */
  public static final class Builder {
    private final E2BClientConfig config;
    private MeterRegistry registry = new SimpleMeterRegistry();
    private String clientName;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Random random = new Random();
    private OkHttpClient okHttpClient;

    private Builder(E2BClientConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Names this client in its circuit-breaker gauge (tag client); never put a key in it. */
    public Builder clientName(String name) {
      this.clientName = name;
      return this;
    }

    public Builder meterRegistry(MeterRegistry r) {
      this.registry = Objects.requireNonNull(r);
      return this;
    }

    /** Measures retry budgets, breaker open time, rate-limit refill and Retry-After dates. */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    public Builder sleeper(Sleeper s) {
      this.sleeper = Objects.requireNonNull(s);
      return this;
    }

    /** Source of backoff jitter; seed it for reproducible waits. */
    public Builder random(Random r) {
      this.random = Objects.requireNonNull(r);
      return this;
    }

    /** Base OkHttp client to share a connection pool/dispatcher; timeouts are set from the config. */
    public Builder okHttpClient(OkHttpClient c) {
      this.okHttpClient = c;
      return this;
    }

    public HttpE2BClient build() {
      return new HttpE2BClient(this);
    }
  }
}
