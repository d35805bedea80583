package io.neuraltrader.e2b.mcp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How the MCP server is served: the HTTP listener (off unless enabled), the bearer tokens file, and the two
 * server-wide restrictions. {@code readOnly} serves only the tools that change nothing; {@code disableDestructive}
 * leaves out the tools that delete or replace (terminate, scale).
 */
public record McpSettings(boolean httpEnabled, String host, int port, Path tokensFile, boolean readOnly,
    boolean disableDestructive, Duration cacheTtl) {

  public static final int DEFAULT_PORT = 8090;

  /**
   * From the environment: MCP_ENABLED, MCP_HOST, MCP_PORT, MCP_TOKENS_FILE, MCP_READ_ONLY,
   * MCP_DISABLE_DESTRUCTIVE, MCP_CACHE_TTL_SECONDS. {@code defaultEnabled}/{@code defaultHost} differ between
   * cluster mode (off, 0.0.0.0) and local mode (on, 127.0.0.1).
   */
  public static McpSettings fromEnvironment(Map<String, String> env, boolean defaultEnabled, String defaultHost) {
    boolean enabled = bool(env, "MCP_ENABLED", defaultEnabled);
    String host = env.getOrDefault("MCP_HOST", defaultHost).trim();
    int port = integer(env, "MCP_PORT", DEFAULT_PORT, 0, 65535);
    String file = env.get("MCP_TOKENS_FILE");
    long ttl = integer(env, "MCP_CACHE_TTL_SECONDS", 300, 0, 86400);
    return new McpSettings(enabled, host, port, file == null || file.isBlank() ? null : Path.of(file.trim()),
        bool(env, "MCP_READ_ONLY", false), bool(env, "MCP_DISABLE_DESTRUCTIVE", false), Duration.ofSeconds(ttl));
  }

  public McpSettings withPort(int value) {
    return new McpSettings(httpEnabled, host, value, tokensFile, readOnly, disableDestructive, cacheTtl);
  }

  public McpSettings withRestrictions(boolean ro, boolean noDestructive) {
    return new McpSettings(httpEnabled, host, port, tokensFile, readOnly || ro, disableDestructive || noDestructive,
        cacheTtl);
  }

  private static boolean bool(Map<String, String> env, String name, boolean dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false, got " + v);
    };
  }

  private static int integer(Map<String, String> env, String name, int dflt, int min, int max) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a number " + min + "-" + max + ", got " + v);
  }
}
