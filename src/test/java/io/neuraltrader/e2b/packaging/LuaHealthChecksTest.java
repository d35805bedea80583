package io.neuraltrader.e2b.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.neuraltrader.e2b.api.v1alpha1.AgentPhase;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health checks under deploy/argocd/health, run with a Lua interpreter the way Argo CD runs them: the
 * resource as a global table {@code obj}, JSON numbers as Lua numbers, the script's return value read as
 * {@code {status, message}}. Cases live in src/test/resources/packaging/health/<Kind>.yaml.
 */
class LuaHealthChecksTest {
  private static final Set<String> ARGO_STATUSES =
      Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");

  record Health(String status, String message) {}

  @TestFactory
  Stream<DynamicTest> everyCaseGetsItsHealth() {
    return DeployManifests.KINDS.stream().flatMap(kind -> cases(kind).stream().map(c -> DynamicTest.dynamicTest(
        kind + ": " + c.path("name").asText(), () -> {
          Health health = evaluate(kind, c.path("object"));
          JsonNode expect = c.path("expect");
          assertEquals(expect.path("status").asText(), health.status(), "status; message was " + health.message());
          assertTrue(health.message() != null && health.message().contains(expect.path("message").asText()),
              "message \"" + health.message() + "\" should contain \"" + expect.path("message").asText() + "\"");
        })));
  }

  @Test
  void everySandboxPhaseHasACase() {
    assertEquals(names(SandboxPhase.values()), phasesCovered("E2BSandbox"));
  }

  @Test
  void everyAgentPhaseHasACase() {
    assertEquals(names(AgentPhase.values()), phasesCovered("TradingAgent"));
  }

  @Test
  void anUnknownPhaseIsProgressingNotAnError() {
    // A newer operator may add a phase before Argo CD's scripts are updated: that must not break the app view.
    for (String kind : List.of("E2BSandbox", "TradingAgent")) {
      JsonNode object = Serialization.unmarshal(
          """
          {"metadata": {"name": "x", "generation": 1},
           "status": {"observedGeneration": 1, "phase": "Hibernating"}}
          """, JsonNode.class);
      Health health = evaluate(kind, object);
      assertEquals("Progressing", health.status(), kind);
      assertTrue(health.message().contains("Hibernating"), kind + ": " + health.message());
    }
  }

  @Test
  void scriptsOnlyReturnArgoCdStatuses() {
    for (String kind : DeployManifests.KINDS) {
      for (JsonNode c : cases(kind)) {
        assertTrue(ARGO_STATUSES.contains(c.path("expect").path("status").asText()), kind + " " + c);
        assertTrue(ARGO_STATUSES.contains(evaluate(kind, c.path("object")).status()), kind + " " + c);
      }
    }
  }

  static Health evaluate(String kind, JsonNode object) {
    String script;
    try {
      script = Files.readString(DeployManifests.healthScript(kind));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(object));
    LuaValue result = globals.load(script, kind + ".lua").call();
    assertTrue(result.istable(), kind + ".lua returns a table");
    LuaValue message = result.get("message");
    return new Health(result.get("status").tojstring(), message.isnil() ? null : message.tojstring());
  }

  /** JSON to Lua as Argo CD converts it: objects and arrays to tables (arrays 1-based), numbers to floats. */
  static LuaValue toLua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        table.set(field.getKey(), toLua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    if (node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    return LuaValue.valueOf(node.asText());
  }

  static List<JsonNode> cases(String kind) {
    String resource = "/packaging/health/" + kind + ".yaml";
    try (InputStream in = LuaHealthChecksTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing " + resource);
      }
      JsonNode all = Serialization.unmarshal(new String(in.readAllBytes()), JsonNode.class);
      List<JsonNode> out = new ArrayList<>();
      all.forEach(out::add);
      assertTrue(out.size() >= 5, resource + " has cases");
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> phasesCovered(String kind) {
    Set<String> phases = new TreeSet<>();
    cases(kind).forEach(c -> {
      JsonNode phase = c.path("object").path("status").path("phase");
      if (phase.isTextual()) {
        phases.add(phase.asText());
      }
    });
    return phases;
  }

  private static Set<String> names(Enum<?>[] values) {
    Set<String> out = new TreeSet<>();
    Arrays.stream(values).forEach(v -> out.add(v.name()));
    return out;
  }
}
