package io.neuraltrader.e2b.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.validation.SchemaValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example loads into the Java types and passes the CRD schema, CEL rules included. */
class ExamplesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Map<String, Class<?>> TYPES = Map.of(
      "E2BSandbox", E2BSandbox.class,
      "SandboxPool", SandboxPool.class,
      "TradingAgent", TradingAgent.class,
      "E2BDeployment", E2BDeployment.class);
  private static final Map<String, String> CRDS = Map.of(
      "E2BSandbox", "e2bsandboxes.e2b.neuraltrader.io",
      "SandboxPool", "sandboxpools.e2b.neuraltrader.io",
      "TradingAgent", "tradingagents.e2b.neuraltrader.io",
      "E2BDeployment", "e2bdeployments.e2b.neuraltrader.io");

  static Stream<Path> examples() throws IOException {
    return Files.list(Path.of("examples")).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @Test
  void theDocumentedExamplesExist() throws IOException {
    List<String> names = examples().map(p -> p.getFileName().toString()).toList();
    assertTrue(names.containsAll(List.of("sandbox.yaml", "pool.yaml", "momentum-agent.yaml",
        "pairs-agent.yaml", "market-hours-deployment.yaml")), names.toString());
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleLoadsAndValidates(Path file) throws IOException {
    String text = Files.readString(file);
    assertTrue(text.lines().filter(l -> l.trim().startsWith("#")).count() >= 3, file + " is documented");
    List<String> problems = new ArrayList<>();
    int customResources = 0;
    for (JsonNode doc : Manifests.read(file)) {
      String kind = doc.path("kind").asText();
      Class<?> type = TYPES.get(kind);
      if (type == null) {
        continue;
      }
      customResources++;
      Object typed = MAPPER.treeToValue(doc, type);
      assertNotNull(typed);
      assertEquals("e2b.neuraltrader.io/v1alpha1", doc.path("apiVersion").asText());
      SchemaValidator.Result result = SchemaValidator.forCrd(CRDS.get(kind)).validate(doc);
      if (!result.valid()) {
        problems.add(kind + "/" + doc.path("metadata").path("name").asText() + ": " + result);
      }
    }
    assertTrue(customResources > 0, file + " holds at least one custom resource");
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void momentumExampleReadsAsTheUserWroteIt() throws IOException {
    JsonNode doc = Manifests.read(Path.of("examples/momentum-agent.yaml")).get(0);
    TradingAgent agent = MAPPER.treeToValue(doc, TradingAgent.class);
    assertEquals(Strategy.momentum, agent.getSpec().getStrategy());
    assertEquals(List.of("AAPL", "MSFT", "NVDA"), agent.getSpec().getSymbols());
    assertEquals(10.0, agent.getSpec().getParameters().get("period"));
    assertEquals(42L, agent.getSpec().getMarketData().getSeed());
    assertNotNull(agent.getSpec().getSandbox().getTemplate());
    assertFalse(agent.getSpec().getSuspend());
  }

  @Test
  void deploymentExampleScalesWithTheNyseSession() throws IOException {
    JsonNode doc = Manifests.read(Path.of("examples/market-hours-deployment.yaml")).get(0);
    E2BDeployment deployment = MAPPER.treeToValue(doc, E2BDeployment.class);
    assertEquals(1, deployment.getSpec().getReplicas());
    assertEquals("09:30", deployment.getSpec().getSchedules().get(0).getStart());
    assertEquals(10, deployment.getSpec().getSchedules().get(0).getReplicas());
    assertEquals(15, deployment.getSpec().getPreWarmMinutes());
    assertEquals(20, deployment.getSpec().getSharding().getSymbols().size());
  }
}
