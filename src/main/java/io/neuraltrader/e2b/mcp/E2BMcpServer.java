package io.neuraltrader.e2b.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's E2B tools as an MCP server (official Java SDK), on either transport. Which tools are served
 * follows the settings ({@code readOnly}: only tools that change nothing; {@code disableDestructive}: no
 * terminate or scale); a read-only token sees and may call only the read tools.
 */
public final class E2BMcpServer {
  private static final Logger LOG = LoggerFactory.getLogger(E2BMcpServer.class);
  /** Transport-context key of the {@link Caller} the HTTP endpoint authenticated. */
  static final String CALLER_KEY = "e2b.mcp.caller";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final List<Tool> tools;
  private final Caller defaultCaller;

  /**
   * @param defaultCaller the caller when the transport names none (stdio: the local user)
   */
  public E2BMcpServer(List<Tool> allTools, McpSettings settings, Caller defaultCaller) {
    this.tools = served(allTools, settings);
    this.defaultCaller = defaultCaller;
  }

  /** The seven tools backed by the custom resources directly ({@link CatalogTools} serves the other three). */
  public static List<Tool> coreTools(McpBackend backend, McpSettings settings) {
    List<Tool> all = new ArrayList<>(new SandboxTools(backend).tools());
    all.add(1, new ExecuteTool(backend, settings.cacheTtl()).tool());
    all.addAll(new FleetTools(backend).tools());
    return all;
  }

  static List<Tool> served(List<Tool> all, McpSettings settings) {
    return all.stream()
        .filter(t -> !settings.readOnly() || t.access() == Tool.Access.READ)
        .filter(t -> !settings.disableDestructive() || t.access() != Tool.Access.DESTRUCTIVE)
        .toList();
  }

  public List<Tool> tools() {
    return tools;
  }

  public McpSyncServer start(McpStreamableServerTransportProvider transport) {
    return configure(McpServer.sync(transport)).build();
  }

  public McpSyncServer start(McpServerTransportProvider transport) {
    return configure(McpServer.sync(transport)).build();
  }

  private <S extends McpServer.SyncSpecification<S>> McpServer.SyncSpecification<S> configure(
      McpServer.SyncSpecification<S> spec) {
    return spec.serverInfo("e2b-operator", "0.1.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .instructions("E2B sandboxes, trading agents and deployments, served through the e2b-operator's "
            + "Kubernetes custom resources. Every tool takes an optional namespace.")
        // The tools check their own arguments, so errors name the argument the same way for every client.
        .validateToolInputs(false)
        .addToolFilter((context, tool) -> visible(caller(context), tool.name()))
        .tools(tools.stream().map(this::specification).toList());
  }

  private boolean visible(Caller caller, String toolName) {
    return !caller.readOnly() || tools.stream().anyMatch(t -> t.name().equals(toolName)
        && t.access() == Tool.Access.READ);
  }

  private Caller caller(McpTransportContext context) {
    Object c = context == null ? null : context.get(CALLER_KEY);
    return c instanceof Caller caller ? caller : defaultCaller;
  }

  private McpServerFeatures.SyncToolSpecification specification(Tool tool) {
    McpSchema.Tool definition = McpSchema.Tool.builder().name(tool.name()).description(tool.description())
        .inputSchema(tool.inputSchema())
        .annotations(McpSchema.ToolAnnotations.builder()
            .readOnlyHint(tool.access() == Tool.Access.READ)
            .destructiveHint(tool.access() == Tool.Access.DESTRUCTIVE)
            .openWorldHint(false).build())
        .build();
    return McpServerFeatures.SyncToolSpecification.builder().tool(definition)
        .callHandler((exchange, request) -> call(tool, exchange, request.arguments()))
        .build();
  }

  McpSchema.CallToolResult call(Tool tool, McpSyncServerExchange exchange, Map<String, Object> arguments) {
    Caller caller = caller(exchange == null ? null : exchange.transportContext());
    return call(tool, caller, arguments);
  }

  /** Runs one tool call for a caller: a structured result, or a tool error with the reason. */
  static McpSchema.CallToolResult call(Tool tool, Caller caller, Map<String, Object> arguments) {
    try {
      if (caller.readOnly() && tool.access() != Tool.Access.READ) {
        throw new ToolError(tool.name() + " changes resources; " + caller.name() + " is read-only");
      }
      Map<String, Object> result = tool.handler().call(caller, new ToolArgs(arguments, tool.argumentNames()));
      return McpSchema.CallToolResult.builder().structuredContent(result).addTextContent(JSON.writeValueAsString(result))
          .isError(false).build();
    } catch (ToolError e) {
      return error(e.getMessage());
    } catch (Exception e) {
      // Not the arguments or the message: either may carry data the caller sent.
      LOG.warn("MCP tool {} failed for {}: {}", tool.name(), caller.name(), e.getClass().getName());
      return error(tool.name() + " failed: " + e.getClass().getSimpleName());
    }
  }

  private static McpSchema.CallToolResult error(String message) {
    return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
  }

  /** The SDK's JSON mapper (Jackson 3, found through its service file). */
  static io.modelcontextprotocol.json.McpJsonMapper jsonMapper() {
    return McpJsonDefaults.getMapper();
  }
}
