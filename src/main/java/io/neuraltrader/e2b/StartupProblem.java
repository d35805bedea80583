package io.neuraltrader.e2b;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.MissingCRDException;
import java.util.List;
import java.util.Set;

/** Turns what stops the operator from starting into one line a person can act on. */
final class StartupProblem {
  private StartupProblem() {}

  /**
   * Lists one object of each kind where the operator will watch: the same verb and scope its informers use, so
   * what fails here would fail them.
   */
  static void checkApi(KubernetesClient kube, Set<String> namespaces, List<Class<? extends HasMetadata>> kinds) {
    for (Class<? extends HasMetadata> kind : kinds) {
      if (namespaces.isEmpty()) {
        check(kube, kind, null);
      } else {
        for (String namespace : namespaces) {
          check(kube, kind, namespace);
        }
      }
    }
  }

  private static void check(KubernetesClient kube, Class<? extends HasMetadata> kind, String namespace) {
    try {
      var resources = kube.resources(kind);
      var options = new ListOptionsBuilder().withLimit(1L).build();
      if (namespace == null) {
        resources.inAnyNamespace().list(options);
      } else {
        resources.inNamespace(namespace).list(options);
      }
    } catch (KubernetesClientException e) {
      throw new E2BOperator.StartupException(describe(e, kube, HasMetadata.getFullResourceName(kind),
          HasMetadata.getVersion(kind), namespace), e);
    }
  }

  private static String describe(KubernetesClientException e, KubernetesClient kube, String resource,
      String version, String namespace) {
    String where = namespace == null ? "in all namespaces" : "in namespace " + namespace;
    return switch (e.getCode()) {
      case 404 -> "the Kubernetes API does not serve " + resource + "/" + version
          + ": install the CRDs first (kubectl apply --server-side -f crds/; the Helm chart installs them)";
      case 401 -> "the Kubernetes API at " + kube.getMasterUrl() + " did not accept the operator's credentials"
          + " (HTTP 401)";
      case 403 -> "the Kubernetes API refused to list " + resource + " " + where + " (HTTP 403): grant the"
          + " operator's ServiceAccount the chart's RBAC rules (" + statusMessage(e) + ")";
      case 0 -> "cannot reach the Kubernetes API at " + kube.getMasterUrl() + ": " + rootMessage(e);
      default -> "listing " + resource + " " + where + " failed with HTTP " + e.getCode() + ": " + statusMessage(e);
    };
  }

  /** For anything else that failed during start (an informer, the leader election check, the client). */
  static String describe(Throwable failure, KubernetesClient kube) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MissingCRDException missing) {
        return "the Kubernetes API does not serve " + missing.getCrdName()
            + ": install the CRDs first (kubectl apply --server-side -f crds/; the Helm chart installs them)";
      }
      if (t instanceof KubernetesClientException k) {
        if (k.getCode() == 0) {
          return "cannot reach the Kubernetes API at " + kube.getMasterUrl() + ": " + rootMessage(k);
        }
        return "the Kubernetes API answered HTTP " + k.getCode() + ": " + statusMessage(k)
            + (k.getCode() == 404 ? " (are the CRDs installed? kubectl apply --server-side -f crds/)" : "");
      }
    }
    return failure.getClass().getSimpleName() + ": " + rootMessage(failure);
  }

  private static String statusMessage(KubernetesClientException e) {
    String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : rootMessage(e);
    return oneLine(message);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    return oneLine(message);
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
