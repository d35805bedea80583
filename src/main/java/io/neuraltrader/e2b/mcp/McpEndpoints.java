package io.neuraltrader.e2b.mcp;

import io.neuraltrader.e2b.E2BOperator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Wiring of the MCP server into a running operator (cluster and local mode). */
public final class McpEndpoints {
  private McpEndpoints() {}

  /** Every tool this build serves, backed by the given API access. */
  public static List<Tool> tools(McpBackend backend, McpSettings settings) {
    List<Tool> all = new java.util.ArrayList<>(E2BMcpServer.coreTools(backend, settings));
    all.addAll(new CatalogTools(backend).tools());
    return all;
  }

  /**
   * Local mode's endpoint: on loopback by default; when the default port is taken (a second {@code make run}), any
   * free port, which the banner shows. A port set with MCP_PORT is used or fails.
   */
  public static Optional<McpHttpServer> startLocalHttp(E2BOperator operator, java.util.Map<String, String> env) {
    McpSettings settings = McpSettings.fromEnvironment(env, true, "127.0.0.1");
    try {
      return startHttp(operator, settings);
    } catch (IllegalStateException portTaken) {
      if (env.get("MCP_PORT") != null) {
        throw portTaken;
      }
      return startHttp(operator, settings.withPort(0));
    }
  }

  /** The streamable HTTP endpoint inside the operator, when enabled. */
  public static Optional<McpHttpServer> startHttp(E2BOperator operator, McpSettings settings) {
    if (!settings.httpEnabled()) {
      return Optional.empty();
    }
    McpBackend backend = McpBackend.of(operator);
    E2BMcpServer server = new E2BMcpServer(tools(backend, settings), settings,
        new Caller("local", Set.of(), settings.readOnly(), "default"));
    return Optional.of(McpHttpServer.start(settings, server));
  }
}
