package io.neuraltrader.e2b.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import java.util.List;
import java.util.Optional;

/** The in-memory API (with {@link ApiServerStandIn} in front of it); one per test, namespace "default". */
final class InMemoryCluster implements TestCluster {
  static final String NAMESPACE = "default";

  private final InMemoryKubernetes kube = new InMemoryKubernetes();

  InMemoryCluster() {
    ApiServerStandIn.install(kube.server());
  }

  @Override
  public KubernetesClient client() {
    return kube.client();
  }

  @Override
  public KubernetesClient newClient(Interceptor interceptor) {
    return kube.server().createClient(b -> b.withHttpClientBuilderConsumer(
        http -> http.addOrReplaceInterceptor("e2b-test-recorder", interceptor)));
  }

  @Override
  public String namespace() {
    return NAMESPACE;
  }

  @Override
  public boolean watchOwnNamespaceOnly() {
    return false;
  }

  @Override
  public List<HasMetadata> apply(String yaml) {
    return kube.apply(yaml, NAMESPACE);
  }

  @Override
  public Optional<InMemoryKubernetes> inMemory() {
    return Optional.of(kube);
  }

  @Override
  public void close() {
    kube.close();
  }
}
