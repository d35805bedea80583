package io.neuraltrader.e2b;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.neuraltrader.e2b.local.LocalLogging;
import io.neuraltrader.e2b.local.LocalMode;
import io.neuraltrader.e2b.local.Screen;
import io.neuraltrader.e2b.mcp.McpCommand;
import io.neuraltrader.e2b.mcp.McpEndpoints;
import io.neuraltrader.e2b.mcp.McpHttpServer;
import io.neuraltrader.e2b.mcp.McpSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * Entry point. {@code --cluster}: the operator against the current kubeconfig (or in-cluster config) and the
 * real E2B API (E2B_API_KEY). {@code --local}: everything in-process, see {@link LocalMode}. Without either,
 * local mode is chosen when there is neither a kubeconfig nor an E2B API key.
 */
public final class Main {
  private Main() {}

  /** Parsed command line; {@code metricsPort} is null when --metrics-port was not given. */
  record Args(Boolean cluster, Path examples, Instant clock, double clockSpeed, Integer metricsPort,
      Duration tableInterval) {
    static Args parse(String[] argv) {
      Boolean cluster = null;
      Path examples = Path.of("examples");
      Instant clock = Instant.now();
      double speed = 1;
      Integer port = null;
      Duration table = Duration.ofSeconds(3);
      for (int i = 0; i < argv.length; i++) {
        String a = argv[i];
        switch (a) {
          case "--cluster" -> cluster = true;
          case "--local" -> cluster = false;
          case "--examples" -> examples = Path.of(value(argv, ++i, a));
          case "--clock" -> clock = parseInstant(value(argv, ++i, a));
          case "--clock-speed" -> speed = number(value(argv, ++i, a), a);
          case "--metrics-port" -> port = parsePort(value(argv, ++i, a));
          case "--table-interval" -> table = Duration.ofMillis((long) number(value(argv, ++i, a), a));
          case "--help", "-h" -> throw new HelpRequested();
          default -> throw new IllegalArgumentException("unknown option " + a + " (--help lists the options)");
        }
      }
      if (speed <= 0) {
        throw new IllegalArgumentException("--clock-speed must be > 0");
      }
      return new Args(cluster, examples, clock, speed, port, table);
    }

    private static String value(String[] argv, int i, String option) {
      if (i >= argv.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return argv[i];
    }

    private static double number(String text, String option) {
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " takes a number, got " + text);
      }
    }

    private static int parsePort(String text) {
      try {
        int port = Integer.parseInt(text);
        if (port >= 0 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("--metrics-port takes a port number 0-65535, got " + text);
    }

    static Instant parseInstant(String text) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        try {
          return Instant.parse(text);
        } catch (DateTimeParseException e2) {
          throw new IllegalArgumentException("--clock takes an ISO-8601 time such as 2026-03-02T09:20:00-05:00");
        }
      }
    }
  }

  static String usage() {
    return """
        usage: java -jar e2b-operator.jar [--local | --cluster] [options]
               java -jar e2b-operator.jar mcp [--local] [--read-only] [--disable-destructive] [--examples PATH]
                                       MCP server on stdio: the current kubeconfig (--local: local mode in-process)
          --local                 local Kubernetes API (kube-apiserver or in-memory, see LOCAL_API) + local
                                  sandbox runtime (no cluster, no E2B key)
          --cluster               current kubeconfig / in-cluster config and the E2B API (needs E2B_API_KEY)
          --examples PATH         (local) manifests to apply: a directory or a file; default examples/
          --clock TIME            (local) start the simulated clock at TIME, e.g. 2026-03-02T09:20:00-05:00;
                                  it starts moving once the operator is ready
          --clock-speed N         (local) simulated seconds per real second; default 1
          --metrics-port N        port of /metrics, /healthz, /readyz; default METRICS_PORT, else 8080
                                  (0 = any free port)
          --table-interval MS     (local) refresh of the status screen; default 3000
          --help, -h              this text
        make run takes EXAMPLES, LOCAL_CLOCK, CLOCK_SPEED and METRICS_PORT, e.g. make run METRICS_PORT=8081
        environment, both modes (the README has the table):
          METRICS_HOST, METRICS_PORT      address of /metrics, /healthz, /readyz; default 0.0.0.0, 8080
                                          (local mode: 127.0.0.1, METRICS_PORT or 8080)
          E2B_POLL_INTERVAL               how often one list call syncs every sandbox's status; default 15s
                                          (local mode 2s)
          ORPHAN_GRACE                    how long an E2B sandbox without its resource lives before it is
                                          killed; default 2m (local mode 30s)
          STATUS_REFRESH                  refresh of usage and cost in status; default 5m (local mode 10s)
          E2B_MAX_CONCURRENT_CREATES, E2B_RATE_LIMIT_PER_SECOND   client-side caps; default 5, 10
          RECONCILE_THREADS               concurrent reconciles; default 50
          WATCH_NAMESPACES                comma-separated namespaces to watch; default all
          OPERATOR_INSTANCE_ID            tag on every sandbox this operator owns; default e2b-operator
          E2B_LOG_LEVEL                   the operator's log level; default INFO
        environment, cluster mode:
          E2B_API_KEY, E2B_API_KEY_FILE   the operator's E2B API key (one of them is required)
          E2B_API_URL, E2B_DOMAIN         E2B API endpoint and sandbox domain; default https://api.e2b.app, e2b.app
          E2B_SANDBOX_URL                 one fixed URL for requests to sandboxes (code execution) instead of
                                          https://<port>-<sandboxID>.<domain>, the sandbox named in headers
                                          (self-hosted or local E2B behind one proxy); default none
          LEADER_ELECTION, LEADER_ELECTION_LEASE_NAME, POD_NAMESPACE
                                          Lease-based HA; default false, e2b-operator-leader, default
        environment, local mode:
          LOCAL_WIDE=1                    show the -o wide columns and whole reasons (lines are not cut to
                                          100 columns)
          LOCAL_TIMEZONE                  zone of the times on the screen; default America/New_York (NYSE)
          LOCAL_LOG_FILE                  where the logs go; default .local/e2b-operator.log
          LOCAL_KUBECONFIG                the kubeconfig written for kubectl; default .local/kubeconfig
          LOCAL_API                       the Kubernetes API: auto (a real kube-apiserver + etcd when their
                                          binaries are there or can be fetched, else in-memory), memory or
                                          kube-apiserver; default auto
          KUBE_API_TEST_DIR               kube-api-test directory: k8s/<version>-<os>-<arch>/ with
                                          kube-apiserver, etcd and kubectl; default ~/.kubeapitest
          LOCAL_API_FETCH_TIMEOUT         seconds kube-api-test may take to fetch missing binaries into it;
                                          default 30 (0 = never fetch)
        environment, MCP server (streamable HTTP at /mcp; `mcp` subcommand for stdio):
          MCP_ENABLED, MCP_HOST, MCP_PORT default false, 0.0.0.0, 8090 (local mode: true, 127.0.0.1)
          MCP_TOKENS_FILE                 bearer tokens (YAML) of the MCP endpoint; required off loopback
          MCP_READ_ONLY, MCP_DISABLE_DESTRUCTIVE   serve only read tools / no terminate or scale; default false
          MCP_CACHE_TTL_SECONDS           execute_e2b_process result cache; default 300 (0 = off)
        """;
  }

  /** Asked for the usage: it goes to stdout and the exit code is 0. */
  static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super(usage());
    }
  }

  /** The system property that sizes the JVM's common fork-join pool. */
  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /**
   * With 2 CPUs or fewer (an operator pod's usual limit) the common pool's parallelism is 1, and
   * CompletableFuture then runs every async step on a thread of its own. The JDK HTTP client (under the
   * Kubernetes and E2B clients) completes each request through such a step: one new thread per API request,
   * over half the CPU of a claim burst spent creating threads. A common pool of at least 2 threads takes
   * them instead. Must run before anything touches ForkJoinPool or CompletableFuture; an explicit
   * {@code -D} setting wins.
   */
  static void shareTheCommonPool() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM,
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }

  public static void main(String[] argv) throws Exception {
    shareTheCommonPool();
    if (argv.length > 0 && argv[0].equals("mcp")) {
      System.exit(McpCommand.run(java.util.Arrays.copyOfRange(argv, 1, argv.length), System.getenv()));
      return;
    }
    Args args;
    try {
      args = Args.parse(argv);
    } catch (HelpRequested e) {
      System.out.print(e.getMessage());
      System.out.flush();
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("e2b-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    Map<String, String> env = System.getenv();
    boolean cluster = args.cluster() != null ? args.cluster() : hasClusterAndKey(env);
    if (cluster) {
      runCluster(env, args);
    } else {
      runLocal(env, args, System.out);
    }
  }

  private static boolean hasClusterAndKey(Map<String, String> env) {
    boolean kubeconfig = env.containsKey("KUBECONFIG")
        || Files.exists(Path.of(System.getProperty("user.home"), ".kube", "config"))
        || env.containsKey("KUBERNETES_SERVICE_HOST");
    boolean key = env.containsKey("E2B_API_KEY") || env.containsKey("E2B_API_KEY_FILE");
    return kubeconfig && key;
  }

  /** The cluster-mode configuration: the environment, then --metrics-port when given. */
  static OperatorConfig clusterConfig(Map<String, String> env, Args args) {
    OperatorConfig config = OperatorConfig.fromEnvironment(env, true);
    return args.metricsPort() == null ? config : config.withMetrics(config.metricsHost(), args.metricsPort());
  }

  /**
   * Runs until SIGTERM. Any failure to start (configuration, Kubernetes API, CRDs, metrics port) ends the
   * process with exit code 2 (configuration) or 1 (everything else) and one line on stderr: a pod in a crash loop
   * with a reason in its log, never a pod that hangs unready.
   */
  private static void runCluster(Map<String, String> env, Args args) throws InterruptedException {
    OperatorConfig config;
    try {
      config = clusterConfig(env, args);
    } catch (IllegalArgumentException e) {
      fail(2, e.getMessage());
      return;
    }
    KubernetesClient kube;
    E2BOperator operator;
    try {
      kube = new KubernetesClientBuilder().build();
    } catch (RuntimeException e) {
      fail(1, "cannot configure the Kubernetes client: " + e.getMessage());
      return;
    }
    try {
      operator = E2BOperator.start(config, kube, Clock.systemUTC(), E2BOperator.HTTP_CLIENTS,
          // Losing the lease: exit so that the pod restarts and campaigns again (the shutdown hook closes).
          () -> System.exit(1));
    } catch (E2BOperator.StartupException e) {
      kube.close();
      fail(1, "cannot start: " + e.getMessage());
      return;
    }
    McpHttpServer mcp;
    try {
      mcp = McpEndpoints.startHttp(operator, McpSettings.fromEnvironment(env, false, "0.0.0.0")).orElse(null);
    } catch (RuntimeException e) {
      operator.close();
      kube.close();
      fail(e instanceof IllegalArgumentException ? 2 : 1, "cannot start the MCP server: " + e.getMessage());
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        if (mcp != null) {
          mcp.close();
        }
        operator.close();
        kube.close();
      } finally {
        stopped.countDown();
      }
    }, "shutdown"));
    stopped.await();
  }

  /** Ends the process: non-daemon threads (HTTP clients, executors) must not keep a failed start alive. */
  private static void fail(int status, String message) {
    System.err.println("e2b-operator: " + message);
    System.err.flush();
    System.exit(status);
  }

  /**
   * Local mode until Ctrl-C. A start that cannot serve (unusable manifest path, metrics port taken) ends the
   * process with one line on stderr and a non-zero exit code, as in cluster mode.
   */
  private static void runLocal(Map<String, String> env, Args args, PrintStream out) {
    boolean terminal = System.console() != null && !"dumb".equals(env.get("TERM"));
    Path logFile = LocalLogging.toFile(localLogFile(env), !terminal);
    LocalMode.Options options;
    try {
      options = localOptions(env, args);
    } catch (IllegalArgumentException e) {
      fail(2, e.getMessage());
      return;
    }
    out.println("e2b-operator: starting local mode" + (logFile == null ? "" : " (logs: " + logFile + ")") + " ...");
    out.flush();
    LocalMode local;
    try {
      local = LocalMode.start(options, env);
    } catch (LocalMode.StartupFailure e) {
      // The file keeps the details; stderr gets the one line.
      LoggerFactory.getLogger(Main.class).info("local mode did not start", e);
      fail(e.exitCode(), e.getMessage());
      return;
    }
    try {
      local.addBannerLine("  kubectl         export KUBECONFIG="
          + local.serveKubectl(Path.of(env.getOrDefault("LOCAL_KUBECONFIG", ".local/kubeconfig"))));
    } catch (IOException e) {
      local.close();
      fail(1, "cannot serve the Kubernetes API to kubectl: " + e.getMessage());
      return;
    }
    Thread main = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      main.interrupt();
      local.close();
      out.println("stopped: operator, local sandbox runtime and every local sandbox process");
    }, "shutdown"));
    Screen screen = terminal ? Screen.terminal(out, Screen::terminalRows) : Screen.plain(out);
    try {
      local.show(screen, terminal, out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(Main.class).error("local mode failed", e);
      fail(1, "local mode failed: " + e + (logFile == null ? "" : " (details in " + logFile + ")"));
    }
  }

  static Path localLogFile(Map<String, String> env) {
    return Path.of(env.getOrDefault("LOCAL_LOG_FILE", ".local/e2b-operator.log"));
  }

  /** The local-mode options from the command line and the environment (METRICS_PORT, LOCAL_*). */
  static LocalMode.Options localOptions(Map<String, String> env, Args args) {
    int metricsPort;
    if (args.metricsPort() != null) {
      metricsPort = args.metricsPort();
    } else {
      String port = env.getOrDefault("METRICS_PORT", "8080").trim();
      try {
        metricsPort = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        metricsPort = -1;
      }
      if (metricsPort < 0 || metricsPort > 65535) {
        throw new IllegalArgumentException("METRICS_PORT takes a port number 0-65535, got " + port);
      }
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(env.getOrDefault("LOCAL_TIMEZONE", "America/New_York"));
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("LOCAL_TIMEZONE takes a zone such as America/New_York, got "
          + env.get("LOCAL_TIMEZONE"));
    }
    boolean wide = Set.of("1", "true", "yes").contains(env.getOrDefault("LOCAL_WIDE", "").trim().toLowerCase());
    return new LocalMode.Options(args.examples(), args.clock(), args.clockSpeed(), metricsPort, args.tableInterval(),
        zone, wide, 100);
  }
}
