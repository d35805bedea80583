package io.neuraltrader.e2b.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.reconcile.Times;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local mode in-process: what it does with bad manifests, a missing path and a taken port. */
class LocalModeTest {
  private static final Instant START = Instant.parse("2026-03-02T14:10:00Z");
  /** The in-memory API without looking for kube-apiserver binaries (no fetch: the tests need no network). */
  private static final Map<String, String> MEMORY = Map.of("LOCAL_API", "memory");

  @TempDir
  Path dir;

  private LocalMode.Options options(Path examples, int port) {
    return new LocalMode.Options(examples, START, 1, port, Duration.ofSeconds(1));
  }

  @Test
  void aBadManifestAmongGoodOnesIsShownAndTheRestRun() throws Exception {
    Files.copy(Path.of("examples/momentum-agent.yaml"), dir.resolve("a-momentum.yaml"));
    Files.writeString(dir.resolve("b-broken.yaml"), "kind: TradingAgent\nmetadata: {name: x\n");
    try (LocalMode local = LocalMode.start(options(dir, 0), MEMORY)) {
      assertEquals(1, local.manifests().appliedCount());
      assertEquals(1, local.manifests().problems().size());
      String problem = local.manifests().problems().get(0);
      assertTrue(problem.startsWith(dir.resolve("b-broken.yaml") + ":"), problem);
      List<String> banner = local.banner();
      assertTrue(banner.stream().anyMatch(l -> l.contains(dir + ": 1 applied, 1 refused:")), banner.toString());
      assertTrue(String.join("\n", banner).contains("b-broken.yaml"), "the problem is on the screen: " + banner);
      banner.forEach(l -> assertTrue(l.length() <= 100, l));
      TradingAgent agent = local.kubernetes().client().resources(TradingAgent.class).inNamespace("default")
          .withName("momentum").get();
      assertNotNull(agent, "the good manifest runs");
      // Applied before the clock started: as old as the simulated clock, not months in its future.
      Instant created = Times.parse(agent.getMetadata().getCreationTimestamp());
      assertEquals(START, local.clock().toSimulated(created));
      assertTrue(local.clock().isStarted(), "the clock runs once local mode is up");
      assertTrue(local.frame(true).stream().anyMatch(l -> l.startsWith("momentum ")), "the agent is on screen");
    }
  }

  @Test
  void aMissingPathCannotServe() {
    var failure = assertThrows(LocalMode.StartupFailure.class,
        () -> LocalMode.start(options(dir.resolve("no-such-dir"), 0), MEMORY));
    assertEquals(2, failure.exitCode());
    assertEquals(dir.resolve("no-such-dir") + ": no such file or directory (EXAMPLES names a manifest file or a"
        + " directory of them)", failure.getMessage());
  }

  @Test
  void aTakenMetricsPortSaysSoAndNamesTheVariable() throws Exception {
    Files.copy(Path.of("examples/pool.yaml"), dir.resolve("pool.yaml"));
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      var failure = assertThrows(LocalMode.StartupFailure.class,
          () -> LocalMode.start(options(dir, port), MEMORY));
      assertEquals(1, failure.exitCode());
      assertEquals("metrics port " + port + " is already in use: choose another one with `make run METRICS_PORT="
          + (port + 1) + "` (or --metrics-port N; 0 takes any free port)", failure.getMessage());
    }
  }

  @Test
  void aBadEnvironmentValueIsAConfigurationError() {
    var failure = assertThrows(LocalMode.StartupFailure.class,
        () -> LocalMode.start(options(Path.of("examples"), 0), Map.of("LOCAL_API", "memory", "RECONCILE_THREADS", "many")));
    assertEquals(2, failure.exitCode());
    assertTrue(failure.getMessage().startsWith("invalid environment: "), failure.getMessage());
  }

  @Test
  void withoutKubeApiserverBinariesAutoRunsInMemoryAndSaysWhy() throws Exception {
    Files.copy(Path.of("examples/pool.yaml"), dir.resolve("pool.yaml"));
    Path empty = Files.createDirectories(dir.resolve("kube-api-test"));
    try (LocalMode local = LocalMode.start(options(dir, 0), Map.of("KUBE_API_TEST_DIR", empty.toString(),
        "LOCAL_API_FETCH_TIMEOUT", "0"))) {
      assertTrue(local.kubernetes() instanceof InMemoryApi, local.kubernetes().description());
      List<String> banner = local.banner();
      String text = String.join("\n", banner);
      assertTrue(banner.contains("  Kubernetes API  in-memory: the tables below, and kubectl with the KUBECONFIG"
          + " below"), text);
      // The reason is wrapped under the label: joined again, it is the whole sentence.
      String reason = text.substring(text.indexOf("(no kube-apiserver")).replaceAll("\n {18}", " ");
      assertTrue(reason.startsWith("(no kube-apiserver binaries in KUBE_API_TEST_DIR=" + empty + "; set"
          + " KUBE_API_TEST_DIR to a dir with k8s/<version>" + KubeApiServerApi.platform()
          + "/{kube-apiserver,etcd,kubectl})"), text);
      banner.forEach(l -> assertTrue(l.length() <= 100, l));
      assertEquals(1, local.manifests().appliedCount(), "the in-memory API serves as before");
    }
  }

  @Test
  void askingForKubeApiserverWithoutBinariesIsAConfigurationError() throws Exception {
    Files.copy(Path.of("examples/pool.yaml"), dir.resolve("pool.yaml"));
    Path empty = Files.createDirectories(dir.resolve("kube-api-test"));
    var failure = assertThrows(LocalMode.StartupFailure.class, () -> LocalMode.start(options(dir, 0),
        Map.of("LOCAL_API", "kube-apiserver", "KUBE_API_TEST_DIR", empty.toString(), "LOCAL_API_FETCH_TIMEOUT",
            "0")));
    assertEquals(2, failure.exitCode());
    assertEquals("LOCAL_API=kube-apiserver: no kube-apiserver binaries in KUBE_API_TEST_DIR=" + empty + "; set"
        + " KUBE_API_TEST_DIR to a dir with k8s/<version>" + KubeApiServerApi.platform()
        + "/{kube-apiserver,etcd,kubectl} (or LOCAL_API=memory)", failure.getMessage());
    var bad = assertThrows(LocalMode.StartupFailure.class, () -> LocalMode.start(options(dir, 0),
        Map.of("LOCAL_API", "kind")));
    assertEquals(2, bad.exitCode());
    assertEquals("LOCAL_API takes auto, memory or kube-apiserver, got kind", bad.getMessage());
  }

  @Test
  void longLinesAreWrappedAtSpaces() {
    assertEquals(List.of("    a.yaml:3: one two", "      three four"),
        LocalMode.wrap("    a.yaml:3: one two three four", "      ", 21));
  }
}
