package io.neuraltrader.e2b.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens, read-only and disableDestructive, the loopback rule, and that no token reaches an answer or a log. */
class McpSecurityTest {
  private static final String TOKEN = "s3cr3t-token-abcdefghijklmnop";

  @TempDir
  Path dir;

  private Path tokensFile() throws Exception {
    Path file = dir.resolve("tokens.yaml");
    Files.writeString(file, """
        tokens:
          - name: writer
            token: "%s"
            namespaces: [trading]
          - name: reader
            token: "reader-token-0123456789"
            readOnly: true
        """.formatted(TOKEN));
    return file;
  }

  private static Tool tool(String name, Tool.Access access) {
    return new Tool(name, name, Schemas.object(List.of(), "namespace", Schemas.namespace()), access,
        (caller, args) -> Map.of("namespace", args.namespace(caller), "caller", caller.name()));
  }

  private static final List<Tool> TOOLS = List.of(tool("read", Tool.Access.READ), tool("write", Tool.Access.WRITE),
      tool("destroy", Tool.Access.DESTRUCTIVE));

  private static McpSettings settings(boolean readOnly, boolean noDestructive, Path tokens) {
    return new McpSettings(true, "127.0.0.1", 0, tokens, readOnly, noDestructive, Duration.ofMinutes(5));
  }

  @Test
  void tokensAuthenticateByDigestWithTheirNamespacesAndMode() throws Exception {
    McpTokens tokens = McpTokens.load(tokensFile());
    Caller writer = tokens.authenticate("Bearer " + TOKEN).orElseThrow();
    assertEquals("writer", writer.name());
    assertEquals(Set.of("trading"), writer.namespaces());
    assertEquals("trading", writer.defaultNamespace());
    assertFalse(writer.readOnly());
    assertTrue(tokens.authenticate("Bearer reader-token-0123456789").orElseThrow().readOnly());
    assertTrue(tokens.authenticate("Bearer " + TOKEN + "x").isEmpty());
    assertTrue(tokens.authenticate(TOKEN).isEmpty());
    assertTrue(tokens.authenticate(null).isEmpty());
    assertFalse(writer.toString().contains(TOKEN));
  }

  @Test
  void aBrokenTokensFileNamesTheEntryNotTheToken() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "tokens:\n  - name: short\n    token: \"tiny-secret\"\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> McpTokens.load(file));
    assertTrue(e.getMessage().contains("entry 1 (short)"), e.getMessage());
    assertFalse(e.getMessage().contains("tiny-secret"), e.getMessage());
  }

  @Test
  void readOnlyAndDisableDestructiveDecideWhichToolsAreServed() {
    assertEquals(List.of("read", "write", "destroy"), names(E2BMcpServer.served(TOOLS, settings(false, false, null))));
    assertEquals(List.of("read"), names(E2BMcpServer.served(TOOLS, settings(true, false, null))));
    assertEquals(List.of("read", "write"), names(E2BMcpServer.served(TOOLS, settings(false, true, null))));
  }

  @Test
  void aReadOnlyCallerCannotWrite() {
    Caller reader = new Caller("reader", Set.of(), true, "default");
    McpSchema.CallToolResult refused = E2BMcpServer.call(TOOLS.get(1), reader, Map.of());
    assertTrue(refused.isError());
    assertEquals("write changes resources; reader is read-only", text(refused));
    McpSchema.CallToolResult read = E2BMcpServer.call(TOOLS.get(0), reader, Map.of());
    assertFalse(read.isError());
    assertEquals(Map.of("namespace", "default", "caller", "reader"), read.structuredContent());
  }

  @Test
  void refusesANonLoopbackAddressWithoutTokens() {
    McpSettings open = new McpSettings(true, "0.0.0.0", 0, null, false, false, Duration.ZERO);
    E2BMcpServer server = new E2BMcpServer(TOOLS, open, new Caller("local", Set.of(), false, "default"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> McpHttpServer.start(open, server));
    assertTrue(e.getMessage().contains("without bearer tokens"), e.getMessage());
  }

  @Test
  void onLoopbackWithoutTokensEveryLocalClientIsServed() throws Exception {
    McpSettings s = settings(false, false, null);
    E2BMcpServer server = new E2BMcpServer(TOOLS, s, new Caller("local", Set.of(), false, "default"));
    try (McpHttpServer http = McpHttpServer.start(s, server)) {
      assertTrue(http.url().matches("http://127\\.0\\.0\\.1:\\d+/mcp"), http.url());
      HttpResponse<String> ok = HttpClient.newHttpClient().send(initialize(http).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode(), ok.body());
    }
  }

  private static HttpRequest.Builder initialize(McpHttpServer http) {
    String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
        + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    return HttpRequest.newBuilder(URI.create(http.url()))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(init));
  }

  @Test
  void theHttpEndpointAnswers401WithoutAValidToken() throws Exception {
    McpSettings s = settings(false, false, tokensFile());
    E2BMcpServer server = new E2BMcpServer(TOOLS, s, new Caller("local", Set.of(), false, "default"));
    try (McpHttpServer http = McpHttpServer.start(s, server)) {
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest.Builder post = initialize(http);
      HttpResponse<String> none = client.send(post.build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, none.statusCode());
      assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
      HttpResponse<String> wrong = client.send(post.copy().header("Authorization", "Bearer nope-nope-nope-nope")
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, wrong.statusCode());
      HttpResponse<String> crossOrigin = client.send(post.copy().header("Authorization", "Bearer " + TOKEN)
          .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(403, crossOrigin.statusCode());
      HttpResponse<String> ok = client.send(post.copy().header("Authorization", "Bearer " + TOKEN).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode(), ok.body());
      assertTrue(ok.body().contains("e2b-operator"), ok.body());
      assertFalse(ok.body().contains(TOKEN));
    }
  }

  @Test
  void aTakenPortIsAStartupErrorNamingIt() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      McpSettings s = settings(false, false, null).withPort(taken.getLocalPort());
      E2BMcpServer server = new E2BMcpServer(TOOLS, s, new Caller("local", Set.of(), false, "default"));
      // Local mode falls back to any free port on exactly this exception.
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> McpHttpServer.start(s, server));
      assertTrue(e.getMessage().contains(":" + taken.getLocalPort()), e.getMessage());
    }
  }

  @Test
  void badSettingsAreRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> McpSettings.fromEnvironment(Map.of("MCP_PORT", "http"), false, "0.0.0.0"));
    assertTrue(e.getMessage().startsWith("MCP_PORT"), e.getMessage());
  }

  private static List<String> names(List<Tool> tools) {
    return tools.stream().map(Tool::name).toList();
  }

  private static String text(McpSchema.CallToolResult r) {
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }
}
