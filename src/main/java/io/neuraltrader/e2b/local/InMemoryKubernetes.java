package io.neuraltrader.e2b.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.apiserver.KubectlApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.time.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory Kubernetes API (fabric8's mock server in CRUD mode) with the operator's CRDs installed. It is
 * a store, not a cluster (no controllers), but it admits custom resources as an API server does: every write
 * is pruned, defaulted and validated against the CRD schema, CEL rules included, and refused with the
 * server's 422 Status otherwise; the status and scale subresources behave as on a cluster (see
 * {@link AdmissionDispatcher}).
 */
public final class InMemoryKubernetes implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  public static final List<Class<? extends HasMetadata>> KINDS =
      List.of(E2BSandbox.class, SandboxPool.class, TradingAgent.class, E2BDeployment.class);
  private static final Map<String, String> CRD_BY_KIND = Map.of(
      "E2BSandbox", "e2bsandboxes.e2b.neuraltrader.io",
      "SandboxPool", "sandboxpools.e2b.neuraltrader.io",
      "TradingAgent", "tradingagents.e2b.neuraltrader.io",
      "E2BDeployment", "e2bdeployments.e2b.neuraltrader.io");

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final AdmissionDispatcher dispatcher;
  private KubectlApiServer kubectlApi;

  public InMemoryKubernetes() {
    // The mock server logs every request through java.util.logging; only problems are of interest here.
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    List<CustomResourceDefinitionContext> contexts = new ArrayList<>();
    KINDS.forEach(k -> contexts.add(CustomResourceDefinitionContext.fromCustomResourceType(
        k.asSubclass(io.fabric8.kubernetes.client.CustomResource.class))));
    dispatcher = new AdmissionDispatcher(contexts);
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    for (String crd : CRD_BY_KIND.values()) {
      client.apiextensions().v1().customResourceDefinitions().resource(loadCrd(crd)).create();
    }
  }

  public KubernetesClient client() {
    return client;
  }

  /** A new client of this API (e.g. for a second operator instance). */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  /**
   * Serves this API to kubectl on a loopback port (see {@link KubectlApiServer}), with the namespace
   * {@code default} a cluster has; idempotent.
   */
  public synchronized KubectlApiServer serveKubectl(int port) throws IOException {
    if (kubectlApi == null) {
      if (client.namespaces().withName("default").get() == null) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata()
            .withNewStatus().withPhase("Active").endStatus().build()).create();
      }
      kubectlApi = KubectlApiServer.start(dispatcher, Clock.systemUTC(), port);
    }
    return kubectlApi;
  }

  /** Every stored change in store order, as the watches get them (for tests of the store's semantics). */
  io.neuraltrader.e2b.local.apiserver.ChangeLog changes() {
    return dispatcher.changes();
  }

  /** The server, for tests that inject API errors (expectations). */
  public KubernetesMockServer server() {
    return server;
  }

  /** The CRD {@code name} as generated into the classpath (also installed into a real kube-apiserver). */
  static CustomResourceDefinition loadCrd(String name) {
    String path = "META-INF/fabric8/" + name + "-v1.yml";
    try (InputStream in = InMemoryKubernetes.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing CRD " + path + " on the classpath");
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rejected by the CRD schema: the same errors an API server would answer with. */
  public static final class AdmissionException extends RuntimeException {
    public AdmissionException(String message) {
      super(message);
    }
  }

  /**
   * Creates (or replaces) every object of a multi-document YAML manifest in {@code namespace} unless it
   * names its own, as {@code kubectl apply} would: custom resources go to the API as written, with strict
   * field validation, and are stored with the schema's defaults; a refusal is an {@link AdmissionException}
   * with the server's message.
   */
  public List<HasMetadata> apply(String yaml, String namespace) {
    List<HasMetadata> applied = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
        continue;
      }
      applied.add(applyObject(MAPPER.valueToTree(Serialization.unmarshal(doc, Object.class)), namespace));
    }
    return applied;
  }

  /**
   * Creates (or replaces) one object, in {@code namespace} unless it names its own; a custom resource is refused
   * as by {@link #apply(String, String)}.
   */
  public HasMetadata applyObject(JsonNode node, String namespace) {
    return ManifestLoader.applyObject(client, node, namespace);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (kubectlApi != null) {
        kubectlApi.close();
      }
    }
    client.close();
    server.destroy();
  }
}
