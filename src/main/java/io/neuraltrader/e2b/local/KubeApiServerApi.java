package io.neuraltrader.e2b.local;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfig;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.Utils;
import io.fabric8.kubeapitest.binary.BinaryManager;
import io.fabric8.kubeapitest.binary.OSInfo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.neuraltrader.e2b.local.apiserver.Kubeconfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real kube-apiserver with etcd (fabric8 kube-api-test, from binaries already on disk: it never downloads here)
 * with the operator's CRDs installed and Established. Its etcd keeps its data in a temporary directory that
 * stopping removes, so every start begins empty, as the in-memory API does.
 */
public final class KubeApiServerApi implements LocalApi {
  private static final Logger LOG = LoggerFactory.getLogger(KubeApiServerApi.class);
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final KubeAPIServer server;
  private final KubernetesClient client;
  private final String version;
  private final String reason;

  private KubeApiServerApi(KubeAPIServer server, KubernetesClient client, String version, String reason) {
    this.server = server;
    this.client = client;
    this.version = version;
    this.reason = reason;
  }

  /** kube-api-test's name for this machine's binaries, e.g. {@code -linux-amd64}. */
  public static String platform() {
    return Utils.platformSuffix(new OSInfo());
  }

  /**
   * Every setting given, so that kube-api-test's own environment variables cannot change what starts; the
   * directory absolute, as the kubeconfig names its certificates by path.
   */
  private static KubeAPIServerConfig config(Path dir, String version, boolean offline) {
    return KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(dir.toAbsolutePath().toString())
        .withApiServerVersion(version)
        .withOfflineMode(offline)
        .withUpdateKubeConfig(false)
        .withWaitForEtcdHealthCheckOnStartup(true)
        .withStartupTimeout((int) STARTUP.toMillis())
        .build();
  }

  /**
   * Starts the server from {@code binaries}, installs the CRDs and waits until they are Established.
   *
   * @throws RuntimeException when it does not come up; whatever was started is stopped again
   */
  public static KubeApiServerApi start(LocalApiChoice.Binaries binaries, String reason) {
    KubeAPIServer server = new KubeAPIServer(config(binaries.testDir(), binaries.version(), true));
    KubernetesClient client = null;
    try {
      server.start();
      client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
      for (Class<?> kind : InMemoryKubernetes.KINDS) {
        String name = CustomResource.getCRDName(kind.asSubclass(CustomResource.class));
        client.apiextensions().v1().customResourceDefinitions().resource(InMemoryKubernetes.loadCrd(name))
            .createOr(existing -> existing.update());
      }
      for (Class<?> kind : InMemoryKubernetes.KINDS) {
        String name = CustomResource.getCRDName(kind.asSubclass(CustomResource.class));
        client.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(crd -> crd != null
            && crd.getStatus() != null && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
            STARTUP.toSeconds(), TimeUnit.SECONDS);
      }
      return new KubeApiServerApi(server, client, binaries.version(), reason);
    } catch (RuntimeException e) {
      if (client != null) {
        client.close();
      }
      try {
        // A half-started server: etcd may run without kube-apiserver.
        server.stop();
      } catch (RuntimeException stopping) {
        e.addSuppressed(stopping);
      }
      throw e;
    }
  }

  /**
   * Lets kube-api-test fetch the newest binaries into {@code dir}, waiting at most {@code timeout}: the download
   * has no timeouts of its own, so it runs on a daemon thread that is left behind (and ends with the JVM) when it
   * takes longer. Empty when it finished, else what happened ("failed: ...", "did not finish within 30s").
   */
  public static Optional<String> fetch(Path dir, Duration timeout) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread fetcher = new Thread(() -> {
      try {
        new BinaryManager(config(dir, null, false)).initAndDownloadIfRequired();
        done.complete(null);
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    }, "kube-api-test-fetch");
    fetcher.setDaemon(true);
    LOG.info("fetching kube-apiserver binaries into {} (at most {}s)", dir, timeout.toSeconds());
    fetcher.start();
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (TimeoutException e) {
      return Optional.of("did not finish within " + timeout.toSeconds() + "s");
    } catch (ExecutionException e) {
      LOG.info("fetching kube-apiserver binaries failed", e.getCause());
      return Optional.of("failed: " + rootCause(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("was interrupted");
    }
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : ": " + ManifestLoader.oneLine(root.getMessage());
    return root.getClass().getSimpleName() + message;
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  /** The server's own kubeconfig (client certificate of kube-api-test's directory). */
  @Override
  public Path writeKubeconfig(Path file) throws IOException {
    return Kubeconfig.write(file, server.getKubeConfigYaml());
  }

  @Override
  public String description() {
    return "kube-apiserver " + version + " + etcd";
  }

  @Override
  public String reason() {
    return reason;
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      server.stop();
    }
  }
}
