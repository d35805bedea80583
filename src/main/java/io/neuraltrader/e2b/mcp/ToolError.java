package io.neuraltrader.e2b.mcp;

/** A call the tool refuses or cannot complete; the message goes back to the caller as an MCP tool error. */
public final class ToolError extends RuntimeException {
  public ToolError(String message) {
    super(message, null, false, false);
  }

  /** A bad argument: the message names it. */
  public static ToolError argument(String name, String problem) {
    return new ToolError("invalid argument '" + name + "': " + problem);
  }
}
