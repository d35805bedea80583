package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.Signal;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Market data from a ConfigMap (CSV) and from an HTTP provider whose credential reaches the sandbox as data. */
class MarketDataAgentTest {
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static Map<String, Signal> bySymbol(TradingAgent a) {
    return a.getStatus().getSignals().stream().collect(java.util.stream.Collectors.toMap(Signal::getSymbol, s -> s));
  }

  @Test
  void csvPricesFromAConfigMapDriveTheTicks() {
    h.client().resource(new ConfigMapBuilder().withNewMetadata().withName("prices").withNamespace(h.namespace())
        .endMetadata().addToData("prices.csv", """
            timestamp,symbol,price
            2026-03-02T14:30:00Z,AAPL,100
            2026-03-02T14:30:00Z,MSFT,200
            2026-03-02T14:31:00Z,AAPL,103
            2026-03-02T14:31:00Z,MSFT,196
            2026-03-02T14:32:00Z,AAPL,103.5
            2026-03-02T14:32:00Z,MSFT,196
            """).build()).create();
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: TradingAgent
        metadata: {name: csv}
        spec:
          strategy: momentum
          symbols: [AAPL, MSFT]
          parameters: {period: 1, threshold: 0.01}
          interval: 10s
          marketData: {type: configMap, configMapRef: {name: prices, key: prices.csv}}
          sandbox: {template: {template: code-interpreter-v1}}
        """);
    TradingAgent t0 = h.awaitResource(TradingAgent.class, "csv", a -> Agents.runs(a) >= 1);
    assertEquals(100.0, bySymbol(t0).get("AAPL").getPrice());
    assertEquals(200.0, bySymbol(t0).get("MSFT").getPrice());
    assertEquals("hold", bySymbol(t0).get("AAPL").getAction(), "one price is not yet a rate of change");

    TradingAgent t1 = Agents.step(h, "csv");
    assertEquals(2, Agents.runs(t1), t1.getStatus().getLastError());
    assertEquals(103.0, bySymbol(t1).get("AAPL").getPrice());
    assertEquals("buy", bySymbol(t1).get("AAPL").getAction(), "+3% > 1%");
    assertEquals(196.0, bySymbol(t1).get("MSFT").getPrice());
    assertEquals("sell", bySymbol(t1).get("MSFT").getAction(), "-2% < -1%");
    assertEquals(2, t1.getStatus().getPortfolio().getPositions().size(), "a long AAPL and a short MSFT");

    TradingAgent t2 = Agents.step(h, "csv");
    assertEquals(103.5, bySymbol(t2).get("AAPL").getPrice());
    assertEquals("hold", bySymbol(t2).get("AAPL").getAction());
  }

  @Test
  void httpPricesAreFetchedInsideTheSandboxWithTheSecretHeader() throws Exception {
    String secret = "Bearer t0k3n-'\"); import os #";
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/quotes", exchange -> {
      seen.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Feed-Key")));
      byte[] body = "{\"AAPL\": 101.5, \"MSFT\": {\"price\": 300.25, \"venues\": {\"A\": 300.2, \"B\": 300.3}}}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      h.client().resource(new SecretBuilder().withNewMetadata().withName("feed").withNamespace(h.namespace())
          .endMetadata().addToStringData("token", secret).build()).create();
      h.apply("""
          apiVersion: e2b.neuraltrader.io/v1alpha1
          kind: TradingAgent
          metadata: {name: feed}
          spec:
            strategy: momentum
            symbols: [AAPL, MSFT]
            interval: 10s
            marketData:
              type: http
              http:
                url: http://127.0.0.1:%d/quotes
                headerName: X-Feed-Key
                secretRef: {name: feed, key: token}
            sandbox: {template: {template: code-interpreter-v1}}
          """.formatted(server.getAddress().getPort()));
      TradingAgent agent = h.awaitResource(TradingAgent.class, "feed", a -> Agents.runs(a) >= 1);
      assertEquals(List.of(secret), seen, "the provider received the credential exactly, once per tick");
      assertEquals(101.5, bySymbol(agent).get("AAPL").getPrice());
      assertEquals(300.25, bySymbol(agent).get("MSFT").getPrice());

      // The credential is not copied anywhere a user or log could read it.
      assertFalse(Serialization.asJson(agent).contains("t0k3n"), "not in the agent");
      assertFalse(Serialization.asJson(h.get(E2BSandbox.class, "feed-sandbox")).contains("t0k3n"),
          "not in the sandbox resource (it is per-tick data, not a sandbox env var)");
      assertTrue(h.events("feed").stream().noneMatch(e -> e.getMessage().contains("t0k3n")), "not in events");
      String state = h.client().configMaps().inNamespace(h.namespace()).withName("feed-state").get().getData().toString();
      assertFalse(state.contains("t0k3n"), "not in the persisted state");
    } finally {
      server.stop(0);
    }
  }
}
