package io.neuraltrader.e2b.local;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The Kubernetes API local mode runs the operator against: the in-memory API ({@link InMemoryApi}) or a real
 * kube-apiserver with etcd ({@link KubeApiServerApi}); {@link LocalApiChoice} picks one. Either has the operator's
 * CRDs installed once it is returned; {@link ManifestLoader} applies manifests through its client.
 */
public interface LocalApi extends AutoCloseable {
  /** The operator's client of this API. */
  KubernetesClient client();

  /** Makes this API reachable for kubectl and writes {@code file}, a kubeconfig for it; returns its absolute path. */
  Path writeKubeconfig(Path file) throws IOException;

  /** What this API is, in a few words for the banner: {@code in-memory}, {@code kube-apiserver 1.32.0 + etcd}. */
  String description();

  /** Why local mode runs against this API (LocalApiChoice's reason), one line. */
  String reason();

  @Override
  void close();
}
