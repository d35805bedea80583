package io.neuraltrader.e2b.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Local mode as a user runs it: the packaged jar as a process, the momentum example applied. It must reach
 * Running with signals, and stopping it (SIGTERM, as Ctrl-C does) must leave no python3 process behind.
 */
class LocalModeIT {

  @Test
  void theJarTradesLocallyAndLeavesNothingRunning() throws Exception {
    Path jar = Path.of("target/e2b-operator.jar");
    assertTrue(Files.exists(jar), "mvn package builds " + jar);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-jar", jar.toString(), "--local",
        "--examples", "examples/momentum-agent.yaml", "--metrics-port", "0", "--table-interval", "1000",
        "--clock-speed", "4")
        .redirectErrorStream(true).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          lines.add(line);
        }
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    List<ProcessHandle> pythons;
    try {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
          lines.stream().anyMatch(l -> l.matches("^momentum\\s+momentum\\s+Running\\s+[1-9].*"))
              && lines.stream().anyMatch(l -> l.startsWith("signals momentum:") && l.contains("AAPL")));
      assertTrue(lines.stream().anyMatch(l -> l.contains("NOT isolated")), "local mode says sandboxes are not isolated");
      String screen = String.join("\n", lines);
      assertTrue(screen.matches("(?s).*\n  Kubernetes API  [^\n]+\n {18}\\(.*"), "which API runs, and why:\n" + screen);
      pythons = process.descendants().filter(p -> p.info().command().map(c -> c.contains("python")).orElse(false))
          .toList();
      assertFalse(pythons.isEmpty(), "the strategy runs in a local python3 process");
    } finally {
      // SIGTERM, as Ctrl-C does; Process.destroy() would also close our end of its output.
      process.toHandle().destroy();
    }
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "local mode stops on SIGTERM");
    reader.join(Duration.ofSeconds(10).toMillis());
    assertEquals(List.of(), pythons.stream().filter(ProcessHandle::isAlive).toList(), "no python3 process is left");
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("stopped:")),
        "exit " + process.exitValue() + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size())));
  }

  @Test
  void helpIsOnStdoutWithExitZero() throws Exception {
    Run run = run("--help");
    assertEquals(0, run.exit(), run.stderr());
    assertTrue(run.stdout().startsWith("usage: java -jar e2b-operator.jar") && run.stdout().contains("METRICS_PORT"),
        run.stdout());
    assertEquals("", run.stderr());
  }

  /** A start that cannot serve ends the process with one line naming the problem, not a headless JVM. */
  @Test
  void aMissingManifestPathEndsTheProcessWithOneLine() throws Exception {
    Run run = run("--local", "--examples", "examples/no-such.yaml", "--metrics-port", "0");
    assertEquals(2, run.exit(), run.stdout() + run.stderr());
    assertEquals("e2b-operator: examples/no-such.yaml: no such file or directory (EXAMPLES names a manifest file or"
        + " a directory of them)\n", run.stderr());
  }

  /** Asked for by LOCAL_API=kube-apiserver, missing binaries are a configuration error: exit 2, one line. */
  @Test
  void kubeApiserverWithoutBinariesEndsTheProcessWithOneLine() throws Exception {
    Run run = run(Map.of("LOCAL_API", "kube-apiserver", "KUBE_API_TEST_DIR", "target/no-kube-api-test",
        "LOCAL_API_FETCH_TIMEOUT", "0"), "--local", "--metrics-port", "0");
    assertEquals(2, run.exit(), run.stdout() + run.stderr());
    assertEquals("e2b-operator: LOCAL_API=kube-apiserver: no kube-apiserver binaries in"
        + " KUBE_API_TEST_DIR=target/no-kube-api-test; set KUBE_API_TEST_DIR to a dir with k8s/<version>"
        + KubeApiServerApi.platform() + "/{kube-apiserver,etcd,kubectl} (or LOCAL_API=memory)\n", run.stderr());
  }

  /**
   * A fetch that never gets an answer (a network that drops the connection: here a proxy that accepts and stays
   * silent) is abandoned after LOCAL_API_FETCH_TIMEOUT, and the process still ends.
   */
  @Test
  void aFetchThatHangsIsBounded() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Run run = run(List.of("-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=" + silent.getLocalPort()),
          Map.of("LOCAL_API", "kube-apiserver", "KUBE_API_TEST_DIR", "target/no-kube-api-test",
              "LOCAL_API_FETCH_TIMEOUT", "2"), "--local", "--metrics-port", "0");
      assertEquals(2, run.exit(), run.stdout() + run.stderr());
      assertTrue(run.stderr().startsWith("e2b-operator: LOCAL_API=kube-apiserver: no kube-apiserver binaries in"
          + " KUBE_API_TEST_DIR=target/no-kube-api-test, and fetching them did not finish within 2s; set"
          + " KUBE_API_TEST_DIR") && run.stderr().lines().count() == 1, run.stderr());
    }
  }

  private record Run(int exit, String stdout, String stderr) {}

  private static Run run(String... args) throws Exception {
    return run(List.of(), Map.of(), args);
  }

  private static Run run(Map<String, String> env, String... args) throws Exception {
    return run(List.of(), env, args);
  }

  /** The jar with {@code jvm} options and this process's environment plus {@code env}. */
  private static Run run(List<String> jvm, Map<String, String> env, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java));
    command.addAll(jvm);
    command.addAll(List.of("-jar", "target/e2b-operator.jar"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("local-mode", ".out");
    Path err = Files.createTempFile("local-mode", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process ends by itself");
      return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
