package io.neuraltrader.e2b.local;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.neuraltrader.e2b.local.apiserver.Kubeconfig;
import java.io.IOException;
import java.nio.file.Path;

/** The in-memory API as local mode's API: kubectl reaches it through the loopback API beside the store. */
public final class InMemoryApi implements LocalApi {
  private final InMemoryKubernetes kube;
  private final String reason;

  /** {@code reason}: why this back end runs (it goes to the banner). */
  public InMemoryApi(InMemoryKubernetes kube, String reason) {
    this.kube = kube;
    this.reason = reason;
  }

  /** The store itself (tests inject API errors through its server). */
  public InMemoryKubernetes store() {
    return kube;
  }

  @Override
  public KubernetesClient client() {
    return kube.client();
  }

  @Override
  public Path writeKubeconfig(Path file) throws IOException {
    return Kubeconfig.write(file, kube.serveKubectl(0).url());
  }

  @Override
  public String description() {
    return "in-memory";
  }

  @Override
  public String reason() {
    return reason;
  }

  @Override
  public void close() {
    kube.close();
  }
}
