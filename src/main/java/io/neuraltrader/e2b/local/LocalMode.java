package io.neuraltrader.e2b.local;

import io.neuraltrader.e2b.E2BOperator;
import io.neuraltrader.e2b.OperatorConfig;
import io.neuraltrader.e2b.client.ApiKey;
import io.neuraltrader.e2b.local.apiserver.Kubeconfig;
import io.neuraltrader.e2b.local.runtime.LocalSandboxRuntime;
import io.neuraltrader.e2b.local.runtime.RuntimeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole operator on one machine without a cluster or an E2B account: an in-memory Kubernetes API, the
 * local E2B-compatible sandbox runtime (code runs in local python3 processes, NOT isolated micro-VMs), all
 * reconcilers, and the example manifests applied. Closing it stops everything and kills every local sandbox
 * process.
 */
public final class LocalMode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalMode.class);

  /** Options of {@code make run}. */
  public record Options(Path examples, Instant clockStart, double clockSpeed, int metricsPort,
      Duration tableInterval) {}

  private final SimulatedClock clock;
  private final LocalSandboxRuntime runtime;
  private final InMemoryKubernetes kube;
  private final E2BOperator operator;

  private LocalMode(Options options, Map<String, String> env) {
    clock = SimulatedClock.running(options.clockStart(), options.clockSpeed());
    runtime = LocalSandboxRuntime.start(RuntimeConfig.builder().clock(clock).maxTimeout(Duration.ofHours(24))
        .build());
    kube = new InMemoryKubernetes();
    OperatorConfig config = OperatorConfig.fromEnvironment(env, false)
        .withApiKey(ApiKey.of(runtime.config().apiKey()))
        .withEndpoints(runtime.baseUrl(), runtime.domain(), runtime.baseUrl())
        .withMetrics("127.0.0.1", options.metricsPort())
        .withTimings(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(10));
    operator = E2BOperator.start(config, kube.client(), clock, E2BOperator.HTTP_CLIENTS);
  }

  public static LocalMode start(Options options, Map<String, String> env) {
    return new LocalMode(options, env);
  }

  public SimulatedClock clock() {
    return clock;
  }

  public LocalSandboxRuntime runtime() {
    return runtime;
  }

  public InMemoryKubernetes kubernetes() {
    return kube;
  }

  public E2BOperator operator() {
    return operator;
  }

  /**
   * Serves the in-memory API to kubectl and writes {@code file}, a kubeconfig pointing at it; returns the
   * file's absolute path (for {@code export KUBECONFIG=...}).
   */
  public Path serveKubectl(Path file) throws IOException {
    return Kubeconfig.write(file, kube.serveKubectl(0).url());
  }

  /** Applies every .yaml file of a directory (or one file) in name order; returns how many objects. */
  public int applyExamples(Path path, PrintStream out) throws IOException {
    List<Path> files;
    if (Files.isDirectory(path)) {
      try (Stream<Path> list = Files.list(path)) {
        files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
      }
    } else {
      files = List.of(path);
    }
    int applied = 0;
    for (Path file : files) {
      try {
        int n = kube.apply(Files.readString(file), "default").size();
        applied += n;
        out.println("applied " + file + " (" + n + " object" + (n == 1 ? "" : "s") + ")");
      } catch (InMemoryKubernetes.AdmissionException e) {
        out.println("rejected " + file + ": " + e.getMessage());
      }
    }
    return applied;
  }

  /** Prints the live table until interrupted. */
  public void printLoop(PrintStream out, Duration interval) throws InterruptedException {
    while (!Thread.currentThread().isInterrupted()) {
      String table = StatusTable.render(kube.client(), clock.instant());
      out.println("---- " + clock.instant() + " (simulated clock, x" + clock.speed() + ") ----");
      out.print(table.isEmpty() ? "(no resources)\n" : table);
      out.flush();
      Thread.sleep(interval.toMillis());
    }
  }

  @Override
  public void close() {
    LOG.info("stopping local mode");
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
