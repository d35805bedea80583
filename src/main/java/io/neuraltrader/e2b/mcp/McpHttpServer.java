package io.neuraltrader.e2b.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streamable HTTP transport at {@code /mcp}: the SDK's servlet transport in an embedded Jetty, behind a bearer
 * token check. Without a tokens file it serves only on a loopback address (everyone on the machine is trusted,
 * as with the local user's stdio server); on any other address it refuses to start. Browsers' cross-origin
 * requests are refused either way (DNS rebinding against a local port).
 */
public final class McpHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(McpHttpServer.class);
  public static final String PATH = "/mcp";

  private final Server jetty;
  private final McpSyncServer mcp;
  private final HttpServletStreamableServerTransportProvider transport;
  private final String host;
  private final int port;
  private final boolean authenticated;

  private McpHttpServer(Server jetty, McpSyncServer mcp, HttpServletStreamableServerTransportProvider transport,
      String host, int port, boolean authenticated) {
    this.jetty = jetty;
    this.mcp = mcp;
    this.transport = transport;
    this.host = host;
    this.port = port;
    this.authenticated = authenticated;
  }

  /**
   * Starts the endpoint. {@link IllegalArgumentException} when the configuration is unsafe or unusable (a
   * non-loopback address without tokens, an unreadable tokens file); {@link IllegalStateException} when the
   * port cannot be bound.
   */
  public static McpHttpServer start(McpSettings settings, E2BMcpServer server) {
    McpTokens tokens = settings.tokensFile() == null ? null : McpTokens.load(settings.tokensFile());
    if (tokens == null && !loopback(settings.host())) {
      throw new IllegalArgumentException("refusing to serve MCP on " + settings.host() + " without bearer tokens: "
          + "set MCP_TOKENS_FILE (the chart mounts the mcp tokens Secret) or MCP_HOST=127.0.0.1");
    }
    Caller local = new Caller("local", Set.of(), settings.readOnly(), "default");
    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
        .jsonMapper(E2BMcpServer.jsonMapper())
        .mcpEndpoint(PATH)
        .keepAliveInterval(Duration.ofSeconds(30))
        .contextExtractor(request -> {
          Object caller = request.getAttribute(E2BMcpServer.CALLER_KEY);
          return caller == null ? McpTransportContext.EMPTY
              : McpTransportContext.create(Map.of(E2BMcpServer.CALLER_KEY, caller));
        })
        .build();
    McpSyncServer mcp = server.start(transport);
    QueuedThreadPool threads = new QueuedThreadPool(32, 2, 60_000);
    threads.setName("mcp-http");
    threads.setDaemon(true);
    Server jetty = new Server(threads);
    ServerConnector connector = new ServerConnector(jetty, 1, 1);
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    FilterHolder auth = new FilterHolder(new AuthFilter(tokens, local));
    auth.setAsyncSupported(true);
    context.addFilter(auth, PATH, EnumSet.of(DispatcherType.REQUEST));
    ServletHolder servlet = new ServletHolder(transport);
    servlet.setAsyncSupported(true);
    context.addServlet(servlet, PATH);
    jetty.setHandler(context);
    try {
      jetty.start();
    } catch (Exception e) {
      mcp.close();
      try {
        jetty.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IllegalStateException("cannot serve MCP on " + settings.host() + ":" + settings.port() + ": "
          + e.getMessage(), e);
    }
    int port = connector.getLocalPort();
    LOG.info("MCP streamable HTTP on {}:{}{} ({}, {} tools)", settings.host(), port, PATH,
        tokens == null ? "loopback, no token" : tokens.size() + " bearer token(s)", server.tools().size());
    return new McpHttpServer(jetty, mcp, transport, settings.host(), port, tokens != null);
  }

  static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("MCP_HOST " + host + " does not resolve");
    }
  }

  public int port() {
    return port;
  }

  /** The URL clients connect to (for the banner). */
  public String url() {
    String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port + PATH;
  }

  public boolean authenticated() {
    return authenticated;
  }

  @Override
  public void close() {
    try {
      transport.closeGracefully().block(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.debug("closing MCP sessions: {}", e.getClass().getSimpleName());
    }
    mcp.close();
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.warn("stopping the MCP HTTP server: {}", e.getMessage());
    }
  }

  /** Bearer token check (401 otherwise) and the same-origin rule for browsers. */
  static final class AuthFilter implements Filter {
    private final McpTokens tokens;
    private final Caller local;

    AuthFilter(McpTokens tokens, Caller local) {
      this.tokens = tokens;
      this.local = local;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      HttpServletRequest request = (HttpServletRequest) req;
      HttpServletResponse response = (HttpServletResponse) res;
      String origin = request.getHeader("Origin");
      if (origin != null && !sameHost(origin, request)) {
        deny(response, 403, null, "cross-origin requests are not served");
        return;
      }
      Caller caller;
      if (tokens == null) {
        caller = local;
      } else {
        Optional<Caller> authenticated = tokens.authenticate(request.getHeader("Authorization"));
        if (authenticated.isEmpty()) {
          deny(response, 401, "Bearer realm=\"e2b-operator-mcp\"", "a valid bearer token is required");
          return;
        }
        caller = authenticated.get();
      }
      request.setAttribute(E2BMcpServer.CALLER_KEY, caller);
      chain.doFilter(req, res);
    }

    private static boolean sameHost(String origin, HttpServletRequest request) {
      try {
        URI o = URI.create(origin);
        return o.getHost() != null && o.getHost().equalsIgnoreCase(request.getServerName())
            && (o.getPort() == -1 ? 80 : o.getPort()) == request.getServerPort();
      } catch (IllegalArgumentException e) {
        return false;
      }
    }

    private static void deny(HttpServletResponse response, int status, String challenge, String message)
        throws IOException {
      response.setStatus(status);
      if (challenge != null) {
        response.setHeader("WWW-Authenticate", challenge);
      }
      response.setContentType("application/json");
      byte[] body = ("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32001,\"message\":\"" + message + "\"},\"id\":null}")
          .getBytes(StandardCharsets.UTF_8);
      response.getOutputStream().write(body);
    }
  }
}
