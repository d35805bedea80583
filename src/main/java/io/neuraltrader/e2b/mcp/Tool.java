package io.neuraltrader.e2b.mcp;

import java.util.Map;
import java.util.Set;

/**
 * One MCP tool: its name, description, JSON input schema and handler. {@code access} decides where it is
 * served: read-only servers and tokens get only READ tools, {@code disableDestructive} drops DESTRUCTIVE ones.
 */
public record Tool(String name, String description, Map<String, Object> inputSchema, Access access,
    Handler handler) {

  public enum Access { READ, WRITE, DESTRUCTIVE }

  @FunctionalInterface
  public interface Handler {
    /** The structured result; a {@link ToolError} for a refused call. */
    Map<String, Object> call(Caller caller, ToolArgs args);
  }

  /** Argument names the schema declares (anything else is refused). */
  @SuppressWarnings("unchecked")
  public Set<String> argumentNames() {
    Object props = inputSchema.get("properties");
    return props instanceof Map<?, ?> m ? ((Map<String, Object>) m).keySet() : Set.of();
  }
}
