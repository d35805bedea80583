package io.neuraltrader.e2b.mcp;

/** Manifests the MCP tests apply. */
final class McpFixtures {
  private McpFixtures() {}

  /** An E2BDeployment "fleet" of one momentum agent; {@code schedules} is YAML under spec (may be empty). */
  static String deployment(String schedules) {
    return """
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BDeployment
        metadata:
          name: fleet
        spec:
          replicas: 1
        %s  template:
            spec:
              strategy: momentum
              symbols: [AAPL]
              interval: 60s
              sandbox:
                template:
                  template: code-interpreter-v1
        """.formatted(schedules.indent(2));
  }
}
