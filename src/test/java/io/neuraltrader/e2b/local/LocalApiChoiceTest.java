package io.neuraltrader.e2b.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.local.LocalApiChoice.Binaries;
import io.neuraltrader.e2b.local.LocalApiChoice.Decision;
import io.neuraltrader.e2b.local.LocalApiChoice.Mode;
import io.neuraltrader.e2b.local.LocalApiChoice.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which Kubernetes API local mode runs against, from the environment and what is on disk. The "binaries" here are
 * empty executable files: the choice looks at names and permissions only, it never runs them.
 */
class LocalApiChoiceTest {
  private static final String LINUX = "-linux-amd64";

  @TempDir
  Path home;

  private Settings settings(Map<String, String> env) {
    return Settings.fromEnvironment(env, home);
  }

  private static Path version(Path testDir, String name, List<String> binaries) throws IOException {
    Path dir = Files.createDirectories(testDir.resolve("k8s").resolve(name));
    for (String binary : binaries) {
      Path file = Files.createFile(dir.resolve(binary));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return dir;
  }

  @Test
  void defaultsAreAutoTheLibrarysDirectoryAndABoundedFetch() {
    Settings s = settings(Map.of());
    assertEquals(new Settings(Mode.AUTO, home.resolve(".kubeapitest"), false, Duration.ofSeconds(30)), s);
    assertEquals(new Settings(Mode.KUBE_APISERVER, Path.of("/opt/envtest"), true, Duration.ZERO),
        settings(Map.of("LOCAL_API", "kube-apiserver", "KUBE_API_TEST_DIR", "/opt/envtest",
            "LOCAL_API_FETCH_TIMEOUT", "0")));
    assertEquals(Mode.MEMORY, settings(Map.of("LOCAL_API", " Memory ")).mode());
  }

  @Test
  void badValuesAreNamed() {
    assertEquals("LOCAL_API takes auto, memory or kube-apiserver, got kind",
        assertThrows(IllegalArgumentException.class, () -> settings(Map.of("LOCAL_API", "kind"))).getMessage());
    assertEquals("LOCAL_API_FETCH_TIMEOUT takes seconds (0 never fetches), got -3",
        assertThrows(IllegalArgumentException.class, () -> settings(Map.of("LOCAL_API_FETCH_TIMEOUT", "-3")))
            .getMessage());
  }

  @Test
  void memoryLooksNowhere() throws IOException {
    version(home.resolve(".kubeapitest"), "1.32.0" + LINUX, LocalApiChoice.BINARIES);
    Decision d = LocalApiChoice.decide(settings(Map.of("LOCAL_API", "memory")), LINUX);
    assertTrue(d.memory() && d.binaries().isEmpty() && !d.fetch(), d.toString());
    assertEquals("LOCAL_API=memory", d.reason());
  }

  @Test
  void nothingOnDiskMeansAFetchThenInMemory() {
    Decision d = LocalApiChoice.decide(settings(Map.of()), LINUX);
    assertEquals(new Decision(Mode.AUTO, Optional.empty(), true, "no kube-apiserver binaries in "
        + home.resolve(".kubeapitest")), d);
    Decision noFetch = LocalApiChoice.decide(settings(Map.of("LOCAL_API_FETCH_TIMEOUT", "0")), LINUX);
    assertTrue(noFetch.memory(), noFetch.toString());
  }

  @Test
  void theNewestCompleteVersionOfThisPlatformIsTaken() throws IOException {
    Path dir = home.resolve("envtest");
    version(dir, "1.9.0" + LINUX, LocalApiChoice.BINARIES);
    Path chosen = version(dir, "1.30.2" + LINUX, LocalApiChoice.BINARIES);
    version(dir, "1.31.0" + LINUX, List.of("etcd", "kubectl"));
    version(dir, "1.33.0-darwin-arm64", LocalApiChoice.BINARIES);
    Decision d = LocalApiChoice.decide(settings(Map.of("KUBE_API_TEST_DIR", dir.toString())), LINUX);
    assertEquals(Optional.of(new Binaries(dir, "1.30.2", chosen)), d.binaries());
    assertFalse(d.fetch());
    assertEquals("binaries 1.30.2 in " + chosen, d.reason());
  }

  @Test
  void aDirectoryThatLacksKubeApiserverSaysSo() throws IOException {
    Path dir = home.resolve("bins");
    version(dir, "1.32.0" + LINUX, List.of("etcd", "kubectl"));
    Decision d = LocalApiChoice.decide(settings(Map.of("KUBE_API_TEST_DIR", dir.toString())), LINUX);
    assertEquals(new Decision(Mode.AUTO, Optional.empty(), true, "KUBE_API_TEST_DIR=" + dir + ": k8s/1.32.0"
        + LINUX + " lacks kube-apiserver"), d);
  }

  @Test
  void aBinaryThatCannotBeExecutedIsMissing() throws IOException {
    Path dir = home.resolve("bins");
    Path v = version(dir, "1.32.0" + LINUX, LocalApiChoice.BINARIES);
    Files.setPosixFilePermissions(v.resolve("etcd"), PosixFilePermissions.fromString("rw-r--r--"));
    Decision d = LocalApiChoice.decide(settings(Map.of("KUBE_API_TEST_DIR", dir.toString())), LINUX);
    assertTrue(d.binaries().isEmpty() && d.reason().endsWith("lacks etcd"), d.toString());
  }

  @Test
  void aVersionDirectoryCanBeNamedItself() throws IOException {
    Path dir = home.resolve("assets");
    Path v = version(dir, "1.32.0" + LINUX, LocalApiChoice.BINARIES);
    Decision d = LocalApiChoice.decide(settings(Map.of("KUBE_API_TEST_DIR", v.toString())), LINUX);
    assertEquals(Optional.of(new Binaries(dir, "1.32.0", v)), d.binaries());
  }

  @Test
  void binariesOutsideTheLayoutAreExplained() throws IOException {
    Path flat = Files.createDirectories(home.resolve("bin"));
    for (String binary : LocalApiChoice.BINARIES) {
      Files.setPosixFilePermissions(Files.createFile(flat.resolve(binary)), PosixFilePermissions.fromString("rwx------"));
    }
    Decision d = LocalApiChoice.decide(settings(Map.of("KUBE_API_TEST_DIR", flat.toString())), LINUX);
    assertEquals("KUBE_API_TEST_DIR=" + flat + ": holds the binaries itself; kube-api-test wants them in"
        + " k8s/<version>" + LINUX + "/ below the directory KUBE_API_TEST_DIR names", d.reason());
    Path file = Files.createFile(home.resolve("file"));
    assertEquals("KUBE_API_TEST_DIR=" + file + ": not a directory",
        LocalApiChoice.decide(settings(Map.of("KUBE_API_TEST_DIR", file.toString())), LINUX).reason());
  }

  @Test
  void autoFallsBackToMemoryWithWhyAndWhatToSet() throws Exception {
    var choice = LocalApiChoice.resolve(settings(Map.of()), LINUX,
        (dir, timeout) -> Optional.of("failed: UnknownHostException: raw.githubusercontent.com"));
    assertEquals(Optional.empty(), choice.binaries());
    assertEquals("no kube-apiserver binaries in " + home.resolve(".kubeapitest") + ", and fetching them failed:"
        + " UnknownHostException: raw.githubusercontent.com; set KUBE_API_TEST_DIR to a dir with k8s/<version>"
        + LINUX + "/{kube-apiserver,etcd,kubectl}", choice.reason());
  }

  @Test
  void askingForKubeApiserverWithoutBinariesIsAConfigurationError() {
    AtomicInteger fetches = new AtomicInteger();
    var failure = assertThrows(LocalMode.StartupFailure.class, () -> LocalApiChoice.resolve(
        settings(Map.of("LOCAL_API", "kube-apiserver", "LOCAL_API_FETCH_TIMEOUT", "0")), LINUX, (dir, timeout) -> {
          fetches.incrementAndGet();
          return Optional.empty();
        }));
    assertEquals(0, fetches.get(), "LOCAL_API_FETCH_TIMEOUT=0 never fetches");
    assertEquals(2, failure.exitCode());
    assertEquals("LOCAL_API=kube-apiserver: no kube-apiserver binaries in " + home.resolve(".kubeapitest")
        + "; set KUBE_API_TEST_DIR to a dir with k8s/<version>" + LINUX + "/{kube-apiserver,etcd,kubectl}"
        + " (or LOCAL_API=memory)", failure.getMessage());
  }

  @Test
  void whatAFetchLeavesIsLookedAtAgain() throws Exception {
    Path testDir = home.resolve(".kubeapitest");
    List<Object> asked = new java.util.ArrayList<>();
    var choice = LocalApiChoice.resolve(settings(Map.of("LOCAL_API_FETCH_TIMEOUT", "7")), LINUX, (dir, timeout) -> {
      asked.add(dir);
      asked.add(timeout);
      try {
        version(dir, "1.32.0" + LINUX, LocalApiChoice.BINARIES);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return Optional.empty();
    });
    assertEquals(List.of(testDir, Duration.ofSeconds(7)), asked);
    assertEquals(Optional.of(new Binaries(testDir, "1.32.0", testDir.resolve("k8s/1.32.0" + LINUX))),
        choice.binaries());
    assertTrue(choice.reason().startsWith("fetched binaries 1.32.0 in "), choice.reason());
  }

  @Test
  void versionsCompareNumerically() {
    assertTrue(LocalApiChoice.compareVersions("1.30.0", "1.9.2") > 0);
    assertTrue(LocalApiChoice.compareVersions("1.30", "1.30.1") < 0);
    assertEquals(0, LocalApiChoice.compareVersions("1.30.0", "1.30"));
  }
}
