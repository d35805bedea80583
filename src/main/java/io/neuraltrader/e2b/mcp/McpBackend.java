package io.neuraltrader.e2b.mcp;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.neuraltrader.e2b.E2BOperator;
import io.neuraltrader.e2b.shared.E2BClients;
import io.neuraltrader.e2b.shared.SandboxActivity;
import java.time.Clock;

/**
 * What the tools work with: the Kubernetes API (under the operator's identity in the operator, the user's in
 * {@code mcp} over stdio) and, inside the operator only, its E2B clients and the activity record the idle
 * policies read. {@code clients} and {@code activity} are null outside the operator.
 */
public record McpBackend(KubernetesClient kube, Clock clock, E2BClients clients, SandboxActivity activity) {

  public static McpBackend of(E2BOperator operator) {
    return new McpBackend(operator.kubernetes(), operator.clock(), operator.clients(), operator.activity());
  }

  public static McpBackend kubernetesOnly(KubernetesClient kube, Clock clock) {
    return new McpBackend(kube, clock, null, null);
  }

  public boolean inOperator() {
    return clients != null && activity != null;
  }
}
