package io.neuraltrader.e2b;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import io.neuraltrader.e2b.local.runtime.LocalSandboxRuntime;
import io.neuraltrader.e2b.local.runtime.RuntimeConfig;
import io.neuraltrader.e2b.testing.ApiAccess;
import io.neuraltrader.e2b.testing.ApiRecorder;
import io.neuraltrader.e2b.testing.ApiServerStandIn;
import io.neuraltrader.e2b.testing.JarProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar in --cluster mode, as the chart runs it, against a test API server (the in-memory API, reached
 * through a kubeconfig) and the local E2B runtime (E2B_API_URL, E2B_DOMAIN, E2B_SANDBOX_URL). The operator's
 * requests (told apart by its bearer token) are recorded for RbacIT.
 */
class ClusterModeIT {
  private static final String TOKEN = "operator-token";
  private static final String LEASE_NAMESPACE = "e2b-system";
  private static final String LEASE_NAME = "e2b-operator-leader";

  @TempDir
  Path dir;
  private InMemoryKubernetes kube;
  private ApiServerStandIn api;
  private LocalSandboxRuntime runtime;
  private ApiRecorder recorder;
  private final java.util.concurrent.atomic.AtomicLong operatorRequests = new java.util.concurrent.atomic.AtomicLong();

  @BeforeEach
  void setUp() {
    kube = new InMemoryKubernetes();
    api = ApiServerStandIn.install(kube.server());
    runtime = LocalSandboxRuntime.start(RuntimeConfig.builder().build());
  }

  @AfterEach
  void tearDown() {
    try {
      if (recorder != null) {
        recorder.flush("ClusterModeIT");
      }
      runtime.close();
    } finally {
      kube.close();
    }
  }

  private void recordOperatorRequests(boolean leaderElection) {
    recorder = new ApiRecorder(ApiAccess.Mode.of(Set.of(), leaderElection, LEASE_NAMESPACE, LEASE_NAME));
    api.observe(r -> {
      if (("Bearer " + TOKEN).equals(r.getHeader("Authorization"))) {
        operatorRequests.incrementAndGet();
        recorder.record(r.getMethod(), r.getPath(), ApiServerStandIn.body(r));
      }
    });
  }

  private Map<String, String> env(int metricsPort) throws IOException {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: %s
        users:
        - name: operator
          user:
            token: %s
        contexts:
        - name: test
          context:
            cluster: test
            user: operator
            namespace: %s
        current-context: test
        """.formatted(kube.server().url("/"), TOKEN, LEASE_NAMESPACE));
    Map<String, String> env = new HashMap<>();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("E2B_API_KEY", runtime.config().apiKey());
    env.put("E2B_API_URL", runtime.baseUrl());
    env.put("E2B_DOMAIN", runtime.domain());
    env.put("E2B_SANDBOX_URL", runtime.baseUrl());
    env.put("POD_NAMESPACE", LEASE_NAMESPACE);
    env.put("POD_NAME", "e2b-operator-7d9f-abcde");
    env.put("LEADER_ELECTION_LEASE_NAME", LEASE_NAME);
    env.put("METRICS_PORT", Integer.toString(metricsPort));
    return env;
  }

  @Test
  void leaderElectedOperatorReconcilesAndStopsWithinTenSecondsOfSigterm() throws Exception {
    recordOperatorRequests(true);
    int metricsPort = freePort();
    Map<String, String> env = env(metricsPort);
    env.put("LEADER_ELECTION", "true");
    try (JarProcess jar = JarProcess.start(env, "--cluster")) {
      // No --metrics-port: METRICS_PORT is where the probes are.
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .failFast("the operator exited: " + jar.tail(), () -> !jar.process().isAlive())
          .until(() -> status(metricsPort, "/readyz") == 200);
      Lease lease = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .failFast("the operator exited: " + jar.tail(), () -> !jar.process().isAlive())
          .until(() -> kube.client().leases().inNamespace(LEASE_NAMESPACE).withName(LEASE_NAME).get(),
              l -> l != null && l.getSpec().getHolderIdentity() != null
                  && l.getSpec().getHolderIdentity().startsWith("e2b-operator-7d9f-abcde"));
      assertTrue(lease.getSpec().getLeaseDurationSeconds() > 0);

      kube.apply(Files.readString(Path.of("examples/sandbox.yaml")), "default");
      E2BSandbox sandbox = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
          .failFast("the operator exited: " + jar.tail(), () -> !jar.process().isAlive())
          .until(() -> kube.client().resources(E2BSandbox.class).inNamespace("default").withName("research").get(),
              s -> s != null && s.getStatus() != null && s.getStatus().getPhase() == SandboxPhase.Running);
      assertEquals(1, runtime.sandboxCount(), "one sandbox in the local E2B runtime");
      assertTrue(runtime.sandboxes().stream().anyMatch(s -> s.sandboxId().equals(sandbox.getStatus().getSandboxID())));

      long signalled = System.nanoTime();
      jar.terminate();
      assertTrue(jar.process().waitFor(10, TimeUnit.SECONDS),
          "with leader election the operator must exit on SIGTERM within the pod's grace period\n" + jar.tail());
      System.out.println("leader-elected operator: SIGTERM to exit in "
          + Duration.ofNanos(System.nanoTime() - signalled).toMillis() + " ms");
    }
  }

  /**
   * On a pod with 2 CPUs the JVM's common pool has one thread, and the JDK HTTP client then completes every
   * request on a thread created for it. The operator sizes the pool at startup, so a burst of work starts a
   * handful of threads (reconcile workers), not one per API request.
   */
  @Test
  void onTwoCpusTheOperatorDoesNotStartAThreadPerApiRequest() throws Exception {
    recordOperatorRequests(false);
    int metricsPort = freePort();
    try (JarProcess jar = JarProcess.start(List.of("-XX:ActiveProcessorCount=2"), env(metricsPort), "--cluster")) {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .failFast("the operator exited: " + jar.tail(), () -> !jar.process().isAlive())
          .until(() -> status(metricsPort, "/readyz") == 200);
      // The first round grows the pools (up to 50 reconcile workers, connections); the second is measured.
      burstOfSandboxes(jar, 0, 25);
      double threadsBefore = threadsStarted(metricsPort);
      long requestsBefore = operatorRequests.get();
      burstOfSandboxes(jar, 25, 10);
      double started = threadsStarted(metricsPort) - threadsBefore;
      long requests = operatorRequests.get() - requestsBefore;
      System.out.printf("2 CPUs: %d Kubernetes API requests, %.0f threads started%n", requests, started);
      assertTrue(requests >= 30, "each sandbox takes several API requests: " + requests);
      assertTrue(started < requests / 2.0, started + " threads started for " + requests + " API requests");
    }
  }

  /** Applies sandboxes burst-{@code from} .. burst-{@code from + n - 1} and waits until all of them run. */
  private void burstOfSandboxes(JarProcess jar, int from, int n) {
    for (int i = from; i < from + n; i++) {
      kube.apply("""
          apiVersion: e2b.neuraltrader.io/v1alpha1
          kind: E2BSandbox
          metadata: {name: burst-%d}
          spec: {template: code-interpreter-v1, timeoutSeconds: 300}
          """.formatted(i), "default");
    }
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .failFast("the operator exited: " + jar.tail(), () -> !jar.process().isAlive())
        .until(() -> kube.client().resources(E2BSandbox.class).inNamespace("default").list().getItems().stream()
            .filter(s -> s.getStatus() != null && s.getStatus().getPhase() == SandboxPhase.Running).count()
            == from + n);
  }

  /** jvm_threads_started from the operator's /metrics. */
  private static double threadsStarted(int port) throws IOException, InterruptedException {
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    return body.lines().filter(l -> l.startsWith("jvm_threads_started")).findFirst()
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .orElseThrow(() -> new AssertionError("no jvm_threads_started in /metrics"));
  }

  @Test
  void withoutTheCrdsTheOperatorExitsNonZeroWithOneClearLine() throws Exception {
    api.withoutCrds();
    Map<String, String> env = env(freePort());
    env.put("LEADER_ELECTION", "true");
    try (JarProcess jar = JarProcess.start(env, "--cluster")) {
      assertTrue(jar.process().waitFor(90, TimeUnit.SECONDS), "a failed start ends the process\n" + jar.tail());
      assertEquals(1, jar.process().exitValue(), jar.tail());
      jar.awaitOutput();
      List<String> lines = jar.stderr().stream().filter(l -> l.startsWith("e2b-operator:")).toList();
      assertEquals(1, lines.size(), jar.tail());
      assertTrue(lines.get(0).startsWith("e2b-operator: cannot start: the Kubernetes API does not serve "
          + "e2bsandboxes.e2b.neuraltrader.io/v1alpha1: install the CRDs"), lines.get(0));
      assertTrue(jar.stderr().stream().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")),
          "no stack trace\n" + jar.tail());
    }
  }

  @Test
  void withoutAnApiKeyTheOperatorExitsWithTwoAndSaysWhatIsMissing() throws Exception {
    Map<String, String> env = env(freePort());
    env.remove("E2B_API_KEY");
    try (JarProcess jar = JarProcess.start(env, "--cluster")) {
      assertTrue(jar.process().waitFor(60, TimeUnit.SECONDS), jar.tail());
      assertEquals(2, jar.process().exitValue(), jar.tail());
      jar.awaitOutput();
      assertEquals(List.of("e2b-operator: no E2B API key: set E2B_API_KEY or E2B_API_KEY_FILE (or run in local mode"
          + " with --local)"), jar.stderr(), jar.tail());
    }
  }

  private static int status(int port, String path) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
