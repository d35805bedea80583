package io.neuraltrader.e2b.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {

  private LocalSandboxRuntime runtime;

  @BeforeEach
  void start() {
    runtime = LocalSandboxRuntime.start(RuntimeConfig.defaults());
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  @Test
  void servesSeveralRequestsOnOneKeepAliveConnection() throws Exception {
    try (Socket s = new Socket("127.0.0.1", runtime.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      String body = "{\"templateID\":\"base\"}";
      for (int i = 0; i < 3; i++) {
        out.write(("POST /sandboxes HTTP/1.1\r\nHost: x\r\nX-API-Key: e2b_local\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        assertEquals("HTTP/1.1 201 Created", in.readLine());
        int length = -1;
        String line;
        while (!(line = in.readLine()).isEmpty()) {
          if (line.toLowerCase().startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        char[] buf = new char[length];
        int read = 0;
        while (read < length) {
          read += in.read(buf, read, length - read);
        }
        assertTrue(new String(buf).contains("sandboxID"));
      }
    }
    assertEquals(3, runtime.sandboxCount());
  }

  @Test
  void acceptsChunkedRequestBodies() throws Exception {
    try (Socket s = new Socket("127.0.0.1", runtime.port())) {
      s.setSoTimeout(10_000);
      String part1 = "{\"templateID\":";
      String part2 = "\"base\"}";
      String req = "POST /sandboxes HTTP/1.1\r\nHost: x\r\nX-API-Key: e2b_local\r\nTransfer-Encoding: chunked\r\n"
          + "Connection: close\r\n\r\n" + Integer.toHexString(part1.length()) + "\r\n" + part1 + "\r\n"
          + Integer.toHexString(part2.length()) + "\r\n" + part2 + "\r\n0\r\n\r\n";
      s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(response.startsWith("HTTP/1.1 201"), response);
    }
  }

  @Test
  void malformedRequestsGet400() throws Exception {
    try (Socket s = new Socket("127.0.0.1", runtime.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("NONSENSE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(response.startsWith("HTTP/1.1 400"), response);
      assertTrue(response.contains("\"code\":400"), response);
    }
  }

  @Test
  void handlesManyConcurrentCreates() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      HttpRequest req = HttpRequest.newBuilder(URI.create(runtime.baseUrl() + "/sandboxes"))
          .header("X-API-Key", "e2b_local")
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(TestApi.write(Map.of("templateID", "base", "timeout", 600))))
          .build();
      calls.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
    }
    Set<String> ids = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> r = call.get();
      assertEquals(201, r.statusCode(), r.body());
      ids.add(TestApi.JSON.readTree(r.body()).get("sandboxID").asText());
    }
    assertEquals(200, ids.size());
    assertEquals(200, runtime.sandboxCount());
    assertEquals(200L, runtime.requestCount(ServedOperation.CREATE));
  }

  @Test
  void theSameSeedCreatesTheSameIds() throws Exception {
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    for (List<String> out : List.of(a, b)) {
      try (LocalSandboxRuntime rt = LocalSandboxRuntime.start(RuntimeConfig.builder().seed(99).build())) {
        TestApi client = new TestApi(rt);
        for (int i = 0; i < 3; i++) {
          out.add(client.createId(Map.of("templateID", "base")));
        }
      }
    }
    assertEquals(a, b);
  }
}
