package io.neuraltrader.e2b.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The Kubernetes API a test runs against: the in-memory API, or, when {@value #KUBECONFIG_ENV} names a kubeconfig,
 * a real cluster (a fresh namespace per instance, deleted on close). Tests see one namespace, {@link #namespace()}.
 */
public interface TestCluster extends AutoCloseable {
  /** Environment variable naming a kubeconfig whose current context the tests run against. */
  String KUBECONFIG_ENV = "E2B_TEST_KUBECONFIG";

  /** The in-memory API unless {@value #KUBECONFIG_ENV} is set. */
  static TestCluster create() {
    return create(KUBECONFIG_ENV);
  }

  /** The in-memory API unless the environment variable {@code kubeconfigEnv} names a kubeconfig. */
  static TestCluster create(String kubeconfigEnv) {
    String kubeconfig = System.getenv(kubeconfigEnv);
    if (kubeconfig == null || kubeconfig.isBlank()) {
      return new InMemoryCluster();
    }
    String home = System.getProperty("user.home");
    String expanded = kubeconfig.startsWith("~/") ? home + kubeconfig.substring(1) : kubeconfig;
    return RealCluster.connect(Path.of(expanded));
  }

  /** The test's own client (requests made through it are the test's, never recorded as the operator's). */
  KubernetesClient client();

  /** A separate client of the same API, e.g. the operator's, with {@code interceptor} on every request. */
  KubernetesClient newClient(Interceptor interceptor);

  /** The namespace the test's objects live in. */
  String namespace();

  /** True when the operator must watch only {@link #namespace()} (a shared, real cluster). */
  boolean watchOwnNamespaceOnly();

  /**
   * Creates or replaces every object of a multi-document manifest in {@link #namespace()} unless it names its
   * own; custom resources go through the CRD schema (defaults, validation) first.
   *
   * @throws InMemoryKubernetes.AdmissionException when the schema rejects an object
   */
  List<HasMetadata> apply(String yaml);

  /** The in-memory API, for mock-only hooks (injected errors, request counts); empty on a real cluster. */
  Optional<InMemoryKubernetes> inMemory();

  @Override
  void close();
}
