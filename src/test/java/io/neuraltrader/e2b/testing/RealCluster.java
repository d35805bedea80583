package io.neuraltrader.e2b.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.neuraltrader.e2b.E2BOperator;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real API server from a kubeconfig (its current context). Each instance works in a namespace of its own,
 * created on connect and deleted on close; the CRDs of {@code crds/} are installed when the cluster has none.
 */
final class RealCluster implements TestCluster {
  static final Path CRDS = Path.of("crds");
  static final String TEST_LABEL = "e2b.neuraltrader.io/test";

  private final Config config;
  private final KubernetesClient client;
  private final String namespace;
  private final List<KubernetesClient> extraClients = new ArrayList<>();

  private RealCluster(Config config) {
    this.config = config;
    this.client = new KubernetesClientBuilder().withConfig(config).build();
    this.namespace = "e2b-test-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)
        .toLowerCase(Locale.ROOT);
    try {
      installCrdsIfAbsent();
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
          .addToLabels(TEST_LABEL, "true").endMetadata().build()).create();
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  static RealCluster connect(Path kubeconfig) {
    try {
      String text = Files.readString(kubeconfig);
      return new RealCluster(Config.fromKubeconfig(null, text, kubeconfig.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + TestCluster.KUBECONFIG_ENV + "=" + kubeconfig, e);
    }
  }

  private void installCrdsIfAbsent() {
    List<Path> files;
    try (var list = Files.list(CRDS)) {
      files = list.filter(f -> f.toString().endsWith("-v1.yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path file : files) {
      CustomResourceDefinition crd;
      try {
        crd = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      var resource = client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName());
      if (resource.get() == null) {
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
      resource.waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
          && c.getStatus().getConditions().stream()
              .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 60, TimeUnit.SECONDS);
    }
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public synchronized KubernetesClient newClient(Interceptor interceptor) {
    KubernetesClient extra = new KubernetesClientBuilder().withConfig(config).withHttpClientBuilderConsumer(
        http -> http.addOrReplaceInterceptor("e2b-test-recorder", interceptor)).build();
    extraClients.add(extra);
    return extra;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public boolean watchOwnNamespaceOnly() {
    return true;
  }

  @Override
  public List<HasMetadata> apply(String yaml) {
    List<HasMetadata> applied = new ArrayList<>();
    for (HasMetadata object : client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
      if (object.getMetadata().getNamespace() == null) {
        object.getMetadata().setNamespace(namespace);
      }
      try {
        applied.add(client.resource(object).createOr(NonDeletingOperation::update));
      } catch (KubernetesClientException e) {
        if (e.getCode() == 422) {
          // The API server's schema validation: the same failure the in-memory API reports.
          throw new InMemoryKubernetes.AdmissionException(e.getStatus() != null && e.getStatus().getMessage() != null
              ? e.getStatus().getMessage() : e.getMessage());
        }
        throw e;
      }
    }
    return applied;
  }

  @Override
  public Optional<InMemoryKubernetes> inMemory() {
    return Optional.empty();
  }

  /** Frees the namespace: the operator is gone, so its finalizers would keep the namespace terminating. */
  @Override
  public void close() {
    try {
      for (Class<? extends HasMetadata> kind : E2BOperator.KINDS) {
        for (HasMetadata item : client.resources(kind).inNamespace(namespace).list().getItems()) {
          if (item.getMetadata().getFinalizers() != null && !item.getMetadata().getFinalizers().isEmpty()) {
            try {
              client.resources(kind).inNamespace(namespace).withName(item.getMetadata().getName())
                  .edit(r -> {
                    r.getMetadata().setFinalizers(null);
                    return r;
                  });
            } catch (KubernetesClientException e) {
              // already gone
            }
          }
        }
      }
      client.namespaces().withName(namespace).delete();
    } finally {
      synchronized (this) {
        extraClients.forEach(KubernetesClient::close);
      }
      client.close();
    }
  }
}
