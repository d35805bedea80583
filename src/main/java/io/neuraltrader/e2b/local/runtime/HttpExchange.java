package io.neuraltrader.e2b.local.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The answer side of one request: a full response, a chunked stream, or a TCP reset. */
final class HttpExchange {

  private static final byte[] CRLF = {'\r', '\n'};

  private final Socket socket;
  private final OutputStream out;
  private final boolean clientKeepAlive;
  private boolean answered;
  private boolean keepAlive;

  HttpExchange(Socket socket, OutputStream out, boolean clientKeepAlive) {
    this.socket = socket;
    this.out = out;
    this.clientKeepAlive = clientKeepAlive;
    this.keepAlive = clientKeepAlive;
  }

  boolean answered() {
    return answered;
  }

  /** Whether the connection may serve another request after this one. */
  boolean keepAlive() {
    return keepAlive && answered;
  }

  void send(int status, Map<String, String> headers, String contentType, byte[] body) throws IOException {
    StringBuilder head = statusLine(status, headers);
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    boolean bodyless = status == 204 || status == 304;
    if (!bodyless) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    answered = true;
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!bodyless) {
      out.write(body);
    }
    out.flush();
  }

  /** Starts a chunked response; each {@link ChunkedBody#write} reaches the client at once. */
  ChunkedBody startChunked(int status, String contentType) throws IOException {
    StringBuilder head = statusLine(status, Map.of());
    head.append("Content-Type: ").append(contentType).append("\r\n");
    head.append("Transfer-Encoding: chunked\r\n\r\n");
    answered = true;
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return new ChunkedBody();
  }

  /** Ends the connection with a TCP RST (SO_LINGER 0) and no response bytes. */
  void reset() {
    answered = true;
    keepAlive = false;
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException ignored) {
      // the socket is gone either way
    }
  }

  /** Drops the connection without finishing the response (a sandbox dying mid-stream). */
  void abort() {
    answered = true;
    keepAlive = false;
    try {
      socket.close();
    } catch (IOException ignored) {
      // the socket is gone either way
    }
  }

  private StringBuilder statusLine(int status, Map<String, String> headers) {
    StringBuilder head = new StringBuilder(160);
    head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    if (!clientKeepAlive) {
      head.append("Connection: close\r\n");
    }
    return head;
  }

  static String reason(int status) {
    switch (status) {
      case 200: return "OK";
      case 201: return "Created";
      case 204: return "No Content";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 409: return "Conflict";
      case 429: return "Too Many Requests";
      case 500: return "Internal Server Error";
      case 502: return "Bad Gateway";
      case 503: return "Service Unavailable";
      case 504: return "Gateway Timeout";
      default: return "Status " + status;
    }
  }

  /** A chunked response body; {@link #finish()} writes the last chunk. */
  final class ChunkedBody {

    void write(byte[] data) throws IOException {
      if (data.length == 0) {
        return;
      }
      out.write(Integer.toHexString(data.length).getBytes(StandardCharsets.ISO_8859_1));
      out.write(CRLF);
      out.write(data);
      out.write(CRLF);
      out.flush();
    }

    void finish() throws IOException {
      out.write('0');
      out.write(CRLF);
      out.write(CRLF);
      out.flush();
    }
  }
}
