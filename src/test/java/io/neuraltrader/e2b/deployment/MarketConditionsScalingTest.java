package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.MarketRuleStatus;
import io.neuraltrader.e2b.reconcile.Times;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two agents read one price feed. A volatility spike scales the fleet up in the evaluation that sees it, the
 * rule holds through the cooldown after the market calms, and the fleet goes back to its base afterwards.
 */
class MarketConditionsScalingTest {
  private static final Duration COOLDOWN = Duration.ofSeconds(180);
  private final AtomicReference<String> price = new AtomicReference<>("100");
  private OperatorHarness h;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/quotes", exchange -> {
      byte[] body = ("{\"AAPL\": {\"price\": " + price.get() + ", \"bid\": 99.9, \"ask\": 100.1, \"volume\": 5000}}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
    server.stop(0);
  }

  @Test
  void aVolatilitySpikeScalesUpAtOnceAndBackAfterTheCooldown() {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BDeployment
        metadata: {name: fleet}
        spec:
          replicas: 2
          scaling: {maxStep: 5, stepIntervalSeconds: 0, maxReplicas: 6, maxScaleUpFactor: 10}
          autoscaling:
            cooldownSeconds: 180
            marketConditions:
              - {name: high-volatility, metric: volatility, above: 0.03, replicas: 3}
              - {name: high-volume, metric: volume, above: 1000000, replicas: 2}
          template:
            spec:
              strategy: momentum
              symbols: [AAPL]
              parameters: {period: 3, threshold: 0.5}
              interval: 60s
              marketData: {type: http, http: {url: "http://127.0.0.1:%d/quotes"}}
              sandbox: {template: {timeoutSeconds: 86400}}
        """.formatted(server.getAddress().getPort()));
    Fleet.awaitReady(h, 2);
    for (int i = 0; i < 3; i++) {
      Fleet.stepAll(h);
    }
    E2BDeployment calm = Fleet.await(h, d -> d.getStatus().getMarketConditions() != null
        && Fleet.is(d.getStatus().getMarketConditions().getAgents(), 2)
        && Double.valueOf(0.0).equals(d.getStatus().getMarketConditions().getVolatility()));
    assertEquals(2, calm.getStatus().getDesiredReplicas());
    assertEquals("spec.replicas 2", calm.getStatus().getDesiredReason());
    assertEquals(5000.0, calm.getStatus().getMarketConditions().getVolume());
    assertEquals(0.002, calm.getStatus().getMarketConditions().getSpread(), 1e-9);
    assertFalse(rule(calm).getActive());

    // One tick at 110 after 100, 100, 100: the last three returns 0, 0, 10% have a stdev of 5.8%.
    price.set("110");
    Fleet.stepAll(h);
    E2BDeployment spiked = Fleet.await(h, d -> Fleet.is(d.getStatus().getDesiredReplicas(), 5));
    assertTrue(rule(spiked).getActive());
    assertTrue(spiked.getStatus().getDesiredReason().startsWith("spec.replicas 2; market conditions +3 -> 5:"
        + " high-volatility (+3: volatility > 0.03, now 0.0577"), spiked.getStatus().getDesiredReason());
    h.awaitEvent(Fleet.NAME, "MarketConditions");
    Fleet.awaitReady(h, 5);

    // Calm again: the rule holds until the cooldown after the figure last exceeded the threshold.
    price.set("100");
    for (int step = 0; step < 20; step++) {
      Fleet.stepAll(h);
      E2BDeployment d = h.get(E2BDeployment.class, Fleet.NAME);
      MarketRuleStatus r = rule(d);
      Instant lastMet = Times.parse(r.getLastMetAt());
      if (!r.getActive()) {
        assertFalse(h.clock().instant().isBefore(lastMet.plus(COOLDOWN)), "cleared only after the cooldown");
        E2BDeployment back = Fleet.awaitReady(h, 2);
        assertEquals("spec.replicas 2", back.getStatus().getDesiredReason());
        assertTrue(h.events(Fleet.NAME).stream().anyMatch(e -> e.getMessage().startsWith("high-volatility cleared")));
        return;
      }
      assertEquals(5, d.getStatus().getDesiredReplicas(), "active during the cooldown");
    }
    throw new AssertionError("the rule never cleared");
  }

  private static MarketRuleStatus rule(E2BDeployment d) {
    return d.getStatus().getMarketConditions().getRules().stream()
        .filter(r -> r.getName().equals("high-volatility")).findFirst().orElseThrow();
  }
}
