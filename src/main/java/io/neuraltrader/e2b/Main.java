package io.neuraltrader.e2b;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.neuraltrader.e2b.local.LocalMode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point. {@code --cluster}: the operator against the current kubeconfig (or in-cluster config) and the
 * real E2B API (E2B_API_KEY). {@code --local}: everything in-process, see {@link LocalMode}. Without either,
 * local mode is chosen when there is neither a kubeconfig nor an E2B API key.
 */
public final class Main {
  private Main() {}

  /** Parsed command line. */
  record Args(Boolean cluster, Path examples, Instant clock, double clockSpeed, int metricsPort,
      Duration tableInterval) {
    static Args parse(String[] argv) {
      Boolean cluster = null;
      Path examples = Path.of("examples");
      Instant clock = Instant.now();
      double speed = 1;
      int port = 8080;
      Duration table = Duration.ofSeconds(3);
      for (int i = 0; i < argv.length; i++) {
        String a = argv[i];
        switch (a) {
          case "--cluster" -> cluster = true;
          case "--local" -> cluster = false;
          case "--examples" -> examples = Path.of(value(argv, ++i, a));
          case "--clock" -> clock = parseInstant(value(argv, ++i, a));
          case "--clock-speed" -> speed = Double.parseDouble(value(argv, ++i, a));
          case "--metrics-port" -> port = Integer.parseInt(value(argv, ++i, a));
          case "--table-interval" -> table = Duration.ofMillis(Long.parseLong(value(argv, ++i, a)));
          case "--help", "-h" -> throw new IllegalArgumentException(usage());
          default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
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
          --local                 in-memory Kubernetes API + local sandbox runtime (no cluster, no E2B key)
          --cluster               current kubeconfig / in-cluster config and the E2B API (needs E2B_API_KEY)
          --examples PATH         (local) manifests to apply: a directory or a file; default examples/
          --clock TIME            (local) start the simulated clock at TIME, e.g. 2026-03-02T09:20:00-05:00
          --clock-speed N         (local) simulated seconds per real second; default 1
          --metrics-port N        port of /metrics, /healthz, /readyz; default 8080 (0 = any free port)
          --table-interval MS     (local) refresh of the status table; default 3000
        environment (cluster): E2B_API_KEY or E2B_API_KEY_FILE, E2B_API_URL, E2B_DOMAIN, WATCH_NAMESPACES,
          OPERATOR_INSTANCE_ID, LEADER_ELECTION, POD_NAMESPACE, E2B_MAX_CONCURRENT_CREATES, E2B_RATE_LIMIT_PER_SECOND
        """;
  }

  public static void main(String[] argv) throws Exception {
    Args args;
    try {
      args = Args.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
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

  private static void runCluster(Map<String, String> env, Args args) throws InterruptedException {
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnvironment(env, true).withMetrics("0.0.0.0", args.metricsPort());
    } catch (IllegalArgumentException e) {
      System.err.println("e2b-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient kube = new KubernetesClientBuilder().build();
    E2BOperator operator = E2BOperator.start(config, kube, Clock.systemUTC(), E2BOperator.HTTP_CLIENTS);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      kube.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }

  private static void runLocal(Map<String, String> env, Args args, PrintStream out) throws Exception {
    out.println("""
        e2b-operator LOCAL MODE
          Kubernetes API: in-memory (kubectl cannot reach it; the table below is the view)
          E2B:            local sandbox runtime; sandboxes are plain local python3 processes,
                          NOT isolated micro-VMs: use it for trying and developing only
        """);
    LocalMode local = LocalMode.start(new LocalMode.Options(args.examples(), args.clock(), args.clockSpeed(),
        args.metricsPort(), args.tableInterval()), env);
    Thread main = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      main.interrupt();
      local.close();
      out.println("stopped: operator, local sandbox runtime and every local sandbox process");
    }, "shutdown"));
    out.println("metrics: http://127.0.0.1:" + local.operator().metricsPort() + "/metrics  (also /healthz, /readyz)");
    out.println("local E2B API: " + local.runtime().baseUrl());
    out.println("simulated clock: " + local.clock().instant() + " at x" + args.clockSpeed());
    local.applyExamples(args.examples(), out);
    try {
      local.printLoop(out, args.tableInterval());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
