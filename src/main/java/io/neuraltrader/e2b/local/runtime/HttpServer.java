package io.neuraltrader.e2b.local.runtime;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server on a plain ServerSocket: one thread per connection, keep-alive, Content-Length and
 * chunked bodies. Plain sockets give fault injection real control over the wire (resets, dropped responses).
 */
final class HttpServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  /** Handles one request; must answer through the exchange (or leave it unanswered for a 500). */
  interface Handler {
    void handle(HttpRequest request, HttpExchange exchange) throws IOException;
  }

  private final ServerSocket serverSocket;
  private final Handler handler;
  private final int idleTimeoutMillis;
  private final ExecutorService connections;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  HttpServer(int port, int idleTimeoutMillis, Handler handler) throws IOException {
    this.handler = handler;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.serverSocket = new ServerSocket();
    serverSocket.setReuseAddress(true);
    serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    AtomicInteger n = new AtomicInteger();
    this.connections = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "e2b-local-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.acceptor = new Thread(this::acceptLoop, "e2b-local-accept-" + serverSocket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("accept failed: {}", e.toString());
        }
        continue;
      }
      open.add(socket);
      try {
        connections.execute(() -> serve(socket));
      } catch (RuntimeException e) {
        open.remove(socket);
        closeQuietly(socket);
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(idleTimeoutMillis);
      InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
      while (!closed) {
        HttpRequest request;
        try {
          request = HttpRequest.read(in, () -> writeContinue(out));
        } catch (HttpRequest.BadRequest e) {
          byte[] body = RequestJson.errorBody(400, e.getMessage());
          new HttpExchange(socket, out, false).send(400, java.util.Map.of(), "application/json", body);
          return;
        }
        if (request == null) {
          return;
        }
        HttpExchange exchange = new HttpExchange(socket, out, request.keepAlive());
        handler.handle(request, exchange);
        if (!exchange.answered()) {
          exchange.send(500, java.util.Map.of(), "application/json", RequestJson.errorBody(500, "no response"));
        }
        if (!exchange.keepAlive()) {
          return;
        }
      }
    } catch (SocketTimeoutException | SocketException e) {
      // idle keep-alive connection timed out, or the peer (or a fault) closed it
    } catch (IOException e) {
      log.debug("connection ended: {}", e.toString());
    } catch (RuntimeException e) {
      log.warn("request handling failed", e);
    } finally {
      open.remove(socket);
    }
  }

  private static void writeContinue(OutputStream out) {
    try {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    } catch (IOException e) {
      // the request read that follows fails on the same broken socket
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(serverSocket);
    for (Socket s : open) {
      closeQuietly(s);
    }
    connections.shutdownNow();
    try {
      connections.awaitTermination(5, TimeUnit.SECONDS);
      acceptor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing on shutdown: nothing left to do
    }
  }
}
