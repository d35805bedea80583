package io.neuraltrader.e2b.mcp;

import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;

/** The stdio transport: JSON-RPC on stdin/stdout until the client closes stdin (logs go to stderr). */
public final class McpStdio {
  private McpStdio() {}

  /** Serves until {@code in} ends. */
  public static void serve(E2BMcpServer server, InputStream in, OutputStream out) throws InterruptedException {
    CountDownLatch ended = new CountDownLatch(1);
    InputStream watched = new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        return seen(super.read());
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return seen(super.read(b, off, len));
      }

      private int seen(int n) {
        if (n < 0) {
          ended.countDown();
        }
        return n;
      }
    };
    McpSyncServer mcp = server.start(new StdioServerTransportProvider(E2BMcpServer.jsonMapper(), watched, out));
    try {
      ended.await();
    } finally {
      mcp.close();
    }
  }
}
