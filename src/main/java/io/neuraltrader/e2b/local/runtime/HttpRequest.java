package io.neuraltrader.e2b.local.runtime;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One parsed HTTP/1.1 request, body fully read (requests here are small JSON documents). */
final class HttpRequest {

  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_HEADERS = 200;
  private static final int MAX_BODY = 16 * 1024 * 1024;

  final String method;
  final String path;
  final String rawQuery;
  final String version;
  private final Map<String, String> headers;
  private final Map<String, List<String>> query;
  final byte[] body;

  private HttpRequest(String method, String target, String version, Map<String, String> headers, byte[] body) {
    this.method = method;
    int q = target.indexOf('?');
    this.path = q < 0 ? target : target.substring(0, q);
    this.rawQuery = q < 0 ? "" : target.substring(q + 1);
    this.version = version;
    this.headers = headers;
    this.query = parseQuery(rawQuery);
    this.body = body;
  }

  /** Header value by case-insensitive name, or null. */
  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** All values of a query parameter (repeated parameters keep their order). */
  List<String> queryAll(String name) {
    return query.getOrDefault(name, List.of());
  }

  /** First value of a query parameter, or null. */
  String queryFirst(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  boolean keepAlive() {
    String connection = header("connection");
    if ("HTTP/1.0".equals(version)) {
      return connection != null && connection.equalsIgnoreCase("keep-alive");
    }
    return connection == null || !connection.equalsIgnoreCase("close");
  }

  /** Reads the next request, or returns null when the peer closed the connection between requests. */
  static HttpRequest read(InputStream in, Runnable onExpectContinue) throws IOException {
    String requestLine = readLine(in, true);
    while (requestLine != null && requestLine.isEmpty()) {
      requestLine = readLine(in, true); // tolerate stray CRLF between requests (RFC 9112 2.2)
    }
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new BadRequest("malformed request line");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; ; i++) {
      if (i > MAX_HEADERS) {
        throw new BadRequest("too many headers");
      }
      String line = readLine(in, false);
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new BadRequest("malformed header");
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
      onExpectContinue.run();
    }
    byte[] body;
    String transferEncoding = headers.get("transfer-encoding");
    if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      body = readChunked(in);
    } else {
      String length = headers.get("content-length");
      int n = 0;
      if (length != null) {
        try {
          n = Integer.parseInt(length.trim());
        } catch (NumberFormatException e) {
          throw new BadRequest("invalid Content-Length");
        }
        if (n < 0 || n > MAX_BODY) {
          throw new BadRequest("invalid Content-Length");
        }
      }
      body = in.readNBytes(n);
      if (body.length != n) {
        throw new EOFException("body truncated");
      }
    }
    return new HttpRequest(parts[0], parts[1], parts[2], headers, body);
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in, false);
      int semi = sizeLine.indexOf(';');
      int size;
      try {
        size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new BadRequest("invalid chunk size");
      }
      if (size < 0 || out.size() + size > MAX_BODY) {
        throw new BadRequest("invalid chunk size");
      }
      if (size == 0) {
        while (!readLine(in, false).isEmpty()) {
          // trailers are ignored
        }
        return out.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length != size) {
        throw new EOFException("chunk truncated");
      }
      out.write(chunk);
      readLine(in, false);
    }
  }

  /** Reads a CRLF (or LF) terminated ISO-8859-1 line; null on EOF before any byte when allowed. */
  private static String readLine(InputStream in, boolean eofAllowed) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (eofAllowed && sb.length() == 0) {
          return null;
        }
        throw new EOFException("connection closed mid-request");
      }
      if (b == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
          sb.setLength(len - 1);
        }
        return sb.toString();
      }
      if (sb.length() >= MAX_LINE) {
        throw new BadRequest("line too long");
      }
      sb.append((char) b);
    }
  }

  private static Map<String, List<String>> parseQuery(String raw) {
    if (raw.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid percent-encoding in query: " + s);
    }
  }

  /** A request that cannot be parsed; the connection answers 400 and closes. */
  static final class BadRequest extends IOException {
    BadRequest(String message) {
      super(message);
    }
  }
}
