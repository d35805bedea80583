package io.neuraltrader.e2b.mcp;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/** Kubernetes API calls of the tools: a refusal (RBAC, admission, schema) becomes a tool error saying why. */
final class Kube {
  private Kube() {}

  static <T> T call(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw refused(what, e);
    }
  }

  static ToolError refused(String what, KubernetesClientException e) {
    String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : e.getMessage();
    String kind = switch (e.getCode()) {
      case 401 -> "unauthenticated";
      case 403 -> "forbidden (RBAC)";
      case 404 -> "not found";
      case 409 -> "conflict";
      case 422, 400 -> "invalid";
      default -> "failed";
    };
    return new ToolError("cannot " + what + ": " + kind + ": " + message);
  }
}
