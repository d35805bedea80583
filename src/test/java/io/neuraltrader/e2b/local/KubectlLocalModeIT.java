package io.neuraltrader.e2b.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.neuraltrader.e2b.api.v1alpha1.PrinterColumns;
import io.neuraltrader.e2b.testing.JarProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl against the packaged jar in local mode, as the README's workflow runs it: apply, get with
 * the CRD's printer columns, describe with events, wait for Ready, scale, a refused patch, explain, a watch,
 * delete through the operator's finalizer. kubectl must be installed (.ci/run installs it): without it this
 * test fails, it does not skip. The same steps run against each of local mode's two APIs; the kube-apiserver one
 * only where its binaries are (KUBE_API_TEST_DIR, default ~/.kubeapitest), and skips elsewhere.
 */
class KubectlLocalModeIT {
  private static final Duration KUBECTL_TIMEOUT = Duration.ofSeconds(120);
  private static final Path DIR = Path.of("target", "kubectl-it");

  /** What one kubectl run printed and how it ended. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  @Test
  void kubectlDrivesLocalModeAsACluster() throws Exception {
    drive(Map.of("LOCAL_API", "memory"), "in-memory");
  }

  @Test
  void kubectlDrivesLocalModeOnARealKubeApiserver() throws Exception {
    LocalApiChoice.Settings settings = LocalApiChoice.Settings.fromEnvironment(System.getenv(),
        Path.of(System.getProperty("user.home")));
    Optional<LocalApiChoice.Binaries> binaries = LocalApiChoice.decide(settings, KubeApiServerApi.platform())
        .binaries();
    assumeTrue(binaries.isPresent(), "no kube-apiserver binaries in " + settings.dir() + " (KUBE_API_TEST_DIR)");
    drive(Map.of("LOCAL_API", "kube-apiserver", "KUBE_API_TEST_DIR", settings.dir().toString(),
        "LOCAL_API_FETCH_TIMEOUT", "0"), "kube-apiserver " + binaries.get().version() + " + etcd");
  }

  /** Local mode with {@code env}; its banner names {@code api}; then the README's kubectl workflow against it. */
  private static void drive(Map<String, String> env, String api) throws Exception {
    Path kubectl = kubectl();
    // Local mode starts with one unrelated manifest; the test's resources come through kubectl.
    Path manifests = Files.createDirectories(DIR.resolve("manifests"));
    Files.writeString(manifests.resolve("settings.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kubectl-it\ndata:\n  started: \"yes\"\n");
    Path kubeconfig = DIR.resolve("kubeconfig").toAbsolutePath();
    Files.deleteIfExists(kubeconfig);
    Path home = Files.createTempDirectory(DIR, "home");
    Map<String, String> jarEnv = new HashMap<>(env);
    jarEnv.put("LOCAL_KUBECONFIG", kubeconfig.toString());
    jarEnv.put("LOCAL_LOG_FILE", DIR.resolve("operator.log").toString());
    try (JarProcess jar = JarProcess.start(jarEnv, "--local",
        "--examples", manifests.toString(), "--metrics-port", "0", "--table-interval", "60000")) {
      await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() ->
          jar.stdout().stream().anyMatch(l -> l.endsWith("export KUBECONFIG=" + kubeconfig))
              || !jar.process().isAlive());
      assertTrue(jar.process().isAlive() && Files.exists(kubeconfig), jar.tail());
      assertTrue(jar.stdout().stream().anyMatch(l -> l.startsWith("  Kubernetes API  " + api + ": ")), jar.tail());
      Kubectl k = new Kubectl(kubectl, kubeconfig, home);

      Result applied = k.run("apply", "-f", "examples/momentum-agent.yaml");
      assertEquals(0, applied.exit(), applied.toString());
      assertEquals("tradingagent.e2b.neuraltrader.io/momentum created", applied.out().trim());

      Result ready = k.run("wait", "--for=condition=Ready", "tragent/momentum", "--timeout=180s");
      assertEquals(0, ready.exit(), ready + "\n" + jar.tail());
      assertEquals("tradingagent.e2b.neuraltrader.io/momentum condition met", ready.out().trim());

      // The printer columns of the CRD, as a cluster prints them.
      List<String> header = columns(k.ok("get", "tragent").out().lines().findFirst().orElseThrow());
      assertEquals(expectedHeader("TradingAgent", false), header);
      List<String> wide = columns(k.ok("get", "tradingagents", "-o", "wide").out().lines().findFirst()
          .orElseThrow());
      assertEquals(expectedHeader("TradingAgent", true), wide);
      List<String> row = columns(k.ok("get", "tragent", "momentum").out().lines().skip(1).findFirst()
          .orElseThrow());
      assertEquals(List.of("momentum", "momentum", "Running"), row.subList(0, 3), row.toString());

      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        String described = k.ok("describe", "tragent", "momentum").out();
        assertTrue(described.contains("Events:") && described.contains("SandboxCreated")
            && described.contains("Created E2BSandbox momentum-sandbox"), described);
      });

      String explained = k.ok("explain", "tragent.spec").out();
      // kubectl 1.27+ reads OpenAPI v3, older ones v2: their layouts differ, the content does not.
      assertTrue(explained.matches("(?s).*KIND:\\s+TradingAgent.*") && explained.contains("spec <Object>")
          && explained.matches("(?s).*\\sstrategy\\t<string>.*"), explained);

      assertEquals(0, k.run("apply", "-f", "examples/market-hours-deployment.yaml").exit());
      assertEquals(expectedHeader("E2BDeployment", false),
          columns(k.ok("get", "e2bdeploy").out().lines().findFirst().orElseThrow()));
      Result scaled = k.run("scale", "e2bdeployment", "momentum-fleet", "--replicas=3");
      assertEquals("e2bdeployment.e2b.neuraltrader.io/momentum-fleet scaled", scaled.out().trim(), scaled.toString());
      assertEquals("3", k.ok("get", "e2bdeploy", "momentum-fleet", "-o", "jsonpath={.spec.replicas}").out());

      Result refused = k.run("patch", "e2bdeployment", "momentum-fleet", "--type=merge", "-p",
          "{\"spec\":{\"replicas\":-5}}");
      assertEquals(1, refused.exit(), refused.toString());
      assertTrue(refused.err().contains("The E2BDeployment \"momentum-fleet\" is invalid")
          && refused.err().contains("spec.replicas: Invalid value: -5: spec.replicas in body should be greater "
          + "than or equal to 0"), refused.toString());
      assertEquals("3", k.ok("get", "e2bdeploy", "momentum-fleet", "-o", "jsonpath={.spec.replicas}").out());

      // A watch sees the deletion; delete returns once the operator's finalizer let the object go.
      assertTrue(k.ok("get", "tragent", "momentum", "-o", "jsonpath={.metadata.finalizers}").out()
          .contains("e2b.neuraltrader.io/finalizer"));
      Process watch = k.start("get", "tragent", "momentum", "--watch", "--output-watch-events");
      try {
        Path watched = DIR.resolve("watch.out");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(watched).contains("ADDED"));
        Result deleted = k.run("delete", "tragent", "momentum");
        assertEquals("tradingagent.e2b.neuraltrader.io \"momentum\" deleted", deleted.out().trim(), deleted.toString());
        Result gone = k.run("get", "tragent", "momentum");
        assertEquals(1, gone.exit(), gone.toString());
        assertTrue(gone.err().contains("Error from server (NotFound): tradingagents.e2b.neuraltrader.io "
            + "\"momentum\" not found"), gone.toString());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertTrue(
            Files.readString(watched).lines().anyMatch(l -> l.startsWith("DELETED") && l.contains("momentum")),
            Files.readString(watched)));
      } finally {
        watch.destroy();
      }
      jar.terminate();
      assertTrue(jar.process().waitFor(60, TimeUnit.SECONDS), jar.tail());
    }
  }

  /** $KUBECTL, else kubectl on the PATH; its absence fails the test with how to fix it. */
  private static Path kubectl() {
    String chosen = System.getenv("KUBECTL");
    if (chosen != null && !chosen.isBlank()) {
      return Path.of(chosen);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("kubectl is not on the PATH: this test drives the real kubectl against local mode; "
        + "install it (apt-get install kubectl, or see .ci/run)");
  }

  /** NAME and the CRD's printer columns, upper-cased as kubectl prints them; priority 1 only when wide. */
  private static List<String> expectedHeader(String kind, boolean wide) {
    List<String> header = new ArrayList<>(List.of("NAME"));
    PrinterColumns.BY_KIND.get(kind).stream().filter(c -> wide || c.priority() == 0)
        .forEach(c -> header.add(c.name().toUpperCase(Locale.ROOT)));
    return header;
  }

  private static List<String> columns(String line) {
    return Arrays.asList(line.trim().split("\\s{2,}"));
  }

  /** kubectl with the local mode's kubeconfig and its own HOME (its discovery cache). */
  private record Kubectl(Path binary, Path kubeconfig, Path home) {
    Result run(String... args) throws IOException, InterruptedException {
      // Output to files: a pipe nobody reads while waiting could fill and stall kubectl.
      Path out = Files.createTempFile(DIR, "kubectl", ".out");
      Path err = Files.createTempFile(DIR, "kubectl", ".err");
      ProcessBuilder b = builder(args);
      b.redirectOutput(out.toFile());
      b.redirectError(err.toFile());
      b.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Process p = b.start();
      boolean ended = p.waitFor(KUBECTL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!ended) {
        p.destroyForcibly();
      }
      assertTrue(ended, "kubectl " + String.join(" ", args) + " did not end");
      Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
      Files.delete(out);
      Files.delete(err);
      return r;
    }

    Result ok(String... args) throws IOException, InterruptedException {
      Result r = run(args);
      assertEquals(0, r.exit(), "kubectl " + String.join(" ", args) + "\n" + r);
      return r;
    }

    /** A long-running kubectl (a watch), its output to target/kubectl-it/watch.out. */
    Process start(String... args) throws IOException {
      ProcessBuilder b = builder(args);
      b.redirectOutput(DIR.resolve("watch.out").toFile());
      b.redirectError(DIR.resolve("watch.err").toFile());
      return b.start();
    }

    private ProcessBuilder builder(String... args) {
      List<String> command = new ArrayList<>(List.of(binary.toString()));
      command.addAll(List.of(args));
      ProcessBuilder b = new ProcessBuilder(command);
      b.environment().put("KUBECONFIG", kubeconfig.toString());
      b.environment().put("HOME", home.toString());
      return b;
    }
  }
}
