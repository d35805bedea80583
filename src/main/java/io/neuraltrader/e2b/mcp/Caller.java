package io.neuraltrader.e2b.mcp;

import java.util.Set;

/**
 * Who calls a tool: a bearer token of the HTTP endpoint (its name, the namespaces it may touch, read-only or not)
 * or the local user of the stdio server (every namespace; the kubeconfig's RBAC decides).
 *
 * @param namespaces allowed namespaces; empty means any
 * @param defaultNamespace where a call without {@code namespace} goes
 */
public record Caller(String name, Set<String> namespaces, boolean readOnly, String defaultNamespace) {
  public Caller {
    namespaces = Set.copyOf(namespaces);
  }

  public boolean allows(String namespace) {
    return namespaces.isEmpty() || namespaces.contains(namespace);
  }

  @Override
  public String toString() {
    return "Caller[" + name + "]";
  }
}
