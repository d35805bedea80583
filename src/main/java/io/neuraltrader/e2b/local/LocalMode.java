package io.neuraltrader.e2b.local;

import io.neuraltrader.e2b.E2BOperator;
import io.neuraltrader.e2b.OperatorConfig;
import io.neuraltrader.e2b.client.ApiKey;
import io.neuraltrader.e2b.local.runtime.LocalSandboxRuntime;
import io.neuraltrader.e2b.local.runtime.RuntimeConfig;
import java.io.IOException;
import java.net.BindException;
import io.neuraltrader.e2b.mcp.McpEndpoints;
import io.neuraltrader.e2b.mcp.McpHttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole operator on one machine without a cluster or an E2B account: a Kubernetes API ({@link LocalApiChoice}:
 * a real kube-apiserver with etcd when its binaries are there, else the in-memory API), the local E2B-compatible
 * sandbox runtime (code runs in local python3 processes, NOT isolated micro-VMs), all reconcilers, and the example
 * manifests applied. The simulated clock starts once all of that is up, so a slow start does not eat simulated
 * time. Closing it stops everything and kills every local sandbox process.
 */
public final class LocalMode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalMode.class);
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss zzz", Locale.ROOT);

  /**
   * Options of {@code make run}: {@code zone} is the zone times are shown in, {@code wide} shows the
   * {@code -o wide} columns and cuts nothing, {@code width} the columns the screen fits otherwise.
   */
  public record Options(Path examples, Instant clockStart, double clockSpeed, int metricsPort,
      Duration tableInterval, ZoneId zone, boolean wide, int width) {
    public Options(Path examples, Instant clockStart, double clockSpeed, int metricsPort, Duration tableInterval) {
      this(examples, clockStart, clockSpeed, metricsPort, tableInterval, ZoneId.of("America/New_York"), false, 100);
    }
  }

  /** Local mode cannot serve: one line for a person, and the exit code (2: the options, 1: anything else). */
  public static final class StartupFailure extends Exception {
    private final int exitCode;

    StartupFailure(int exitCode, String message, Throwable cause) {
      super(message, cause);
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  private final Options options;
  private final SimulatedClock clock;
  private final LocalSandboxRuntime runtime;
  private final LocalApi kube;
  private final E2BOperator operator;
  /** The MCP streamable HTTP endpoint; null when MCP_ENABLED=false. */
  private McpHttpServer mcp;
  private final List<String> banner = new ArrayList<>();
  private ManifestLoader.Outcome manifests = new ManifestLoader.Outcome(List.of(), List.of());

  private LocalMode(Options options, SimulatedClock clock, LocalSandboxRuntime runtime, LocalApi kube,
      E2BOperator operator) {
    this.options = options;
    this.clock = clock;
    this.runtime = runtime;
    this.kube = kube;
    this.operator = operator;
  }

  /**
   * Starts everything, applies the manifests and then starts the simulated clock.
   *
   * @throws StartupFailure when local mode cannot serve (the manifest path is unusable, the metrics port is
   *     taken, LOCAL_API=kube-apiserver without usable binaries, the operator does not start); whatever was
   *     started is stopped again
   */
  public static LocalMode start(Options options, Map<String, String> env) throws StartupFailure {
    List<Path> files;
    try {
      files = ManifestLoader.files(options.examples());
    } catch (ManifestLoader.PathProblem e) {
      throw new StartupFailure(2, e.getMessage(), e);
    }
    OperatorConfig base;
    try {
      base = OperatorConfig.fromEnvironment(env, false);
    } catch (RuntimeException e) {
      throw new StartupFailure(2, "invalid environment: " + ManifestLoader.oneLine(String.valueOf(e.getMessage())),
          e);
    }
    LocalApiChoice.Settings apiSettings;
    try {
      apiSettings = LocalApiChoice.Settings.fromEnvironment(env, Path.of(System.getProperty("user.home")));
    } catch (IllegalArgumentException e) {
      throw new StartupFailure(2, e.getMessage(), e);
    }
    LocalApiChoice.Choice api = LocalApiChoice.resolve(apiSettings, KubeApiServerApi.platform(),
        KubeApiServerApi::fetch);
    SimulatedClock clock = SimulatedClock.startingAt(options.clockStart(), options.clockSpeed());
    LocalSandboxRuntime runtime = null;
    LocalApi kube = null;
    try {
      runtime = LocalSandboxRuntime.start(RuntimeConfig.builder().clock(clock).maxTimeout(Duration.ofHours(24))
          .build());
      try {
        kube = open(api, apiSettings.mode());
      } catch (StartupFailure e) {
        closeQuietly(runtime);
        throw e;
      }
      // The timing variables apply when set; unset, local mode polls faster than a cluster would.
      OperatorConfig config = base.withApiKey(ApiKey.of(runtime.config().apiKey()))
          .withEndpoints(runtime.baseUrl(), runtime.domain(), runtime.baseUrl())
          .withMetrics("127.0.0.1", options.metricsPort())
          .withTimings(env.containsKey("E2B_POLL_INTERVAL") ? base.pollInterval() : Duration.ofSeconds(2),
              env.containsKey("ORPHAN_GRACE") ? base.orphanGrace() : Duration.ofSeconds(30),
              env.containsKey("STATUS_REFRESH") ? base.statusRefresh() : Duration.ofSeconds(10));
      E2BOperator operator = E2BOperator.start(config, kube.client(), clock, E2BOperator.HTTP_CLIENTS);
      LocalMode local = new LocalMode(options, clock, runtime, kube, operator);
      try {
        // MCP over streamable HTTP, on loopback by default (MCP_ENABLED=false turns it off).
        local.mcp = McpEndpoints.startLocalHttp(operator, env).orElse(null);
      } catch (RuntimeException e) {
        operator.close();
        throw e;
      }
      local.manifests = new ManifestLoader(kube.client(), "default").apply(files);
      clock.start();
      local.banner.addAll(local.describe());
      return local;
    } catch (RuntimeException e) {
      closeQuietly(kube);
      closeQuietly(runtime);
      throw new StartupFailure(1, startupMessage(e, options), e);
    }
  }

  /**
   * The chosen API. Binaries that do not start are a failure when asked for by LOCAL_API=kube-apiserver; under
   * auto the in-memory API runs instead and says why.
   */
  private static LocalApi open(LocalApiChoice.Choice choice, LocalApiChoice.Mode mode) throws StartupFailure {
    if (choice.binaries().isEmpty()) {
      return new InMemoryApi(new InMemoryKubernetes(), choice.reason());
    }
    LocalApiChoice.Binaries binaries = choice.binaries().get();
    try {
      return KubeApiServerApi.start(binaries, choice.reason());
    } catch (RuntimeException e) {
      String why = "kube-apiserver from " + binaries.directory() + " did not start: "
          + ManifestLoader.oneLine(String.valueOf(e.getMessage()));
      if (mode == LocalApiChoice.Mode.KUBE_APISERVER) {
        throw new StartupFailure(1, "LOCAL_API=kube-apiserver: " + why, e);
      }
      LOG.warn("{}; the in-memory API runs instead", why);
      LOG.info("kube-apiserver start failure", e);
      return new InMemoryApi(new InMemoryKubernetes(), why + "; LOCAL_API=memory skips it");
    }
  }

  /** One line for what stopped the start; a taken metrics port names the variable that moves it. */
  static String startupMessage(Throwable e, Options options) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return "metrics port " + options.metricsPort() + " is already in use: choose another one with `make run"
            + " METRICS_PORT=" + (options.metricsPort() == 8080 ? 8081 : options.metricsPort() + 1)
            + "` (or --metrics-port N; 0 takes any free port)";
      }
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return "cannot start local mode: " + ManifestLoader.oneLine(message);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("while stopping after a failed start: {}", e.toString());
    }
  }

  public SimulatedClock clock() {
    return clock;
  }

  public LocalSandboxRuntime runtime() {
    return runtime;
  }

  /** The Kubernetes API the operator runs against. */
  public LocalApi kubernetes() {
    return kube;
  }

  public E2BOperator operator() {
    return operator;
  }

  /**
   * Makes the API reachable for kubectl and writes {@code file}, a kubeconfig pointing at it; returns the file's
   * absolute path (for {@code export KUBECONFIG=...}).
   */
  public Path serveKubectl(Path file) throws IOException {
    return kube.writeKubeconfig(file);
  }

  /** What applying the manifests produced. */
  public ManifestLoader.Outcome manifests() {
    return manifests;
  }

  /** The MCP streamable HTTP endpoint, unless MCP_ENABLED=false. */
  public Optional<McpHttpServer> mcp() {
    return Optional.ofNullable(mcp);
  }

  /** The lines above the tables: what runs where, and every manifest problem. */
  public List<String> banner() {
    return List.copyOf(banner);
  }

  /** Adds a line to the banner (a further endpoint local mode serves). */
  public void addBannerLine(String line) {
    banner.add(line);
  }

  private List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add("e2b-operator LOCAL MODE   Ctrl-C stops the operator, the runtime and every local sandbox");
    int width = options.wide() ? Integer.MAX_VALUE : options.width();
    lines.add("  Kubernetes API  " + kube.description() + ": the tables below, and kubectl with the KUBECONFIG below");
    lines.addAll(wrap("                  (" + kube.reason() + ")", "                  ", width));
    lines.add("  E2B             " + runtime.baseUrl() + ": sandboxes are local python3 processes,");
    lines.add("                  NOT isolated micro-VMs: for trying and developing only");
    lines.add("  metrics         http://127.0.0.1:" + operator.metricsPort() + "/metrics  (also /healthz, /readyz)");
    if (mcp != null) {
      lines.add("  MCP             " + mcp.url() + "  (streamable HTTP, all ten tools)");
    }
    String logFile = System.getProperty("e2b.local.logFile");
    if (logFile != null) {
      lines.add("  logs            " + logFile);
    }
    int problems = manifests.problems().size();
    lines.add("  manifests       " + options.examples() + ": " + manifests.appliedCount() + " applied"
        + (problems == 0 ? "" : ", " + problems + " refused:"));
    for (String problem : manifests.problems()) {
      lines.addAll(wrap("    " + problem, "      ", width));
    }
    return lines;
  }

  /** Breaks a long line at spaces; a manifest problem is shown whole, not cut. */
  static List<String> wrap(String line, String indent, int width) {
    List<String> lines = new ArrayList<>();
    String rest = line;
    while (rest.length() > width) {
      int at = rest.lastIndexOf(' ', width);
      if (at <= indent.length()) {
        at = width;
      }
      lines.add(rest.substring(0, at).stripTrailing());
      rest = indent + rest.substring(at).stripLeading();
    }
    lines.add(rest);
    return lines;
  }

  /** The clock line: the simulated time in the display zone and how fast it runs. */
  public String clockLine() {
    return clockLine(clock.instant());
  }

  private String clockLine(Instant now) {
    return CLOCK.format(now.atZone(options.zone())) + "   simulated clock x" + speed(clock.speed())
        + " (" + options.zone() + ")";
  }

  private static String speed(double speed) {
    return speed == Math.rint(speed) ? String.valueOf((long) speed) : String.valueOf(speed);
  }

  /** One frame: the banner, the clock line, the tables. */
  public List<String> frame(boolean withBanner) {
    List<String> lines = new ArrayList<>();
    if (withBanner) {
      lines.addAll(banner);
      lines.add("");
    }
    // One instant for the clock line and the ages, so they agree.
    StatusTable.View view = StatusTable.View.of(clock, options.zone(), options.width(), options.wide());
    lines.add("---- " + clockLine(view.now()) + " ----");
    String table = StatusTable.render(kube.client(), view);
    lines.addAll(table.isEmpty() ? List.of("(no resources)") : table.lines().toList());
    return lines;
  }

  /** What a plain snapshot must differ in to be printed: the tables without ages (they change every second). */
  private String key() {
    return StatusTable.render(kube.client(), new StatusTable.View(Instant.EPOCH, options.zone(), options.width(),
        options.wide(), at -> Instant.EPOCH));
  }

  /**
   * Shows the state until interrupted: on a terminal the whole frame is redrawn in place; without one the
   * banner is printed once and a snapshot whenever the tables changed.
   */
  public void show(Screen screen, boolean terminal, java.io.PrintStream out) throws InterruptedException {
    if (!terminal) {
      banner.forEach(out::println);
      out.println();
    }
    while (!Thread.currentThread().isInterrupted()) {
      screen.show(frame(terminal), key());
      Thread.sleep(options.tableInterval().toMillis());
    }
  }

  @Override
  public void close() {
    LOG.info("stopping local mode");
    if (mcp != null) {
      mcp.close();
    }
    try {
      operator.close();
    } finally {
      try {
        runtime.close();
      } finally {
        kube.close();
      }
    }
  }
}
