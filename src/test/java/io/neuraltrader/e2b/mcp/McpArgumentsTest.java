package io.neuraltrader.e2b.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Argument checks of the tools: every refusal names the argument, and no input reaches sandbox source. */
class McpArgumentsTest {
  private static final Caller ANYONE = new Caller("t", Set.of(), false, "default");

  private static ToolArgs args(Map<String, Object> values, String... known) {
    return new ToolArgs(values, Set.of(known));
  }

  @Test
  void unknownArgumentsAreRefusedByName() {
    ToolError e = assertThrows(ToolError.class, () -> args(Map.of("timout", 5), "timeout", "namespace"));
    assertTrue(e.getMessage().contains("'timout'") && e.getMessage().contains("timeout"), e.getMessage());
  }

  @Test
  void typeAndRangeErrorsNameTheArgument() {
    ToolArgs a = args(Map.of("timeout", "x", "wait", 900, "n", 1.5, "flag", "yes"), "timeout", "wait", "n", "flag");
    assertTrue(assertThrows(ToolError.class, () -> a.integer("timeout", 1, 0, 10)).getMessage()
        .startsWith("invalid argument 'timeout'"));
    assertTrue(assertThrows(ToolError.class, () -> a.integer("wait", 1, 0, 600)).getMessage()
        .contains("between 0 and 600, got 900"));
    assertTrue(assertThrows(ToolError.class, () -> a.integer("n", 1, 0, 5)).getMessage().contains("whole number"));
    assertTrue(assertThrows(ToolError.class, () -> a.bool("flag", false)).getMessage().contains("'flag'"));
    assertEquals(7, args(Map.of(), "timeout").integer("timeout", 7, 0, 10));
  }

  @Test
  void namespacesAreCheckedAgainstTheCaller() {
    Caller limited = new Caller("research", Set.of("trading"), false, "trading");
    assertEquals("trading", args(Map.of(), "namespace").namespace(limited));
    ToolError e = assertThrows(ToolError.class, () -> args(Map.of("namespace", "prod"), "namespace").namespace(limited));
    assertEquals("namespace 'prod' is not allowed for research", e.getMessage());
    assertTrue(assertThrows(ToolError.class, () -> args(Map.of("namespace", "Bad_NS"), "namespace")
        .namespace(ANYONE)).getMessage().contains("'namespace'"));
  }

  @Test
  void objectNamesMustBeKubernetesNames() {
    ToolError e = assertThrows(ToolError.class, () -> args(Map.of("name", "My Sandbox"), "name").optionalName("name"));
    assertTrue(e.getMessage().startsWith("invalid argument 'name'"), e.getMessage());
  }

  @Test
  void envVarsReachTheSandboxOnlyAsBase64() throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GREETING", "it's \"quoted\"\n'); import os; os.system('x') #\\");
    env.put("B", "é€");
    String cell = ExecuteTool.envCell(env);
    Matcher literal = Pattern.compile("b64decode\\('([A-Za-z0-9+/=]*)'\\)").matcher(cell);
    assertTrue(literal.find(), cell);
    // Outside the base64 literal the cell is fixed text: nothing of the values is in it.
    String fixed = cell.replace(literal.group(1), "");
    assertEquals(ExecuteTool.envCell(Map.of("A", "1")).replaceAll("b64decode\\('[^']*'\\)", "b64decode('')"), fixed);
    String json = new String(Base64.getDecoder().decode(literal.group(1)), StandardCharsets.UTF_8);
    assertEquals(env, new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class));
  }

  @Test
  void envVarNamesAreChecked() {
    ToolError e = assertThrows(ToolError.class, () -> ExecuteTool.env(args(Map.of("env_vars",
        Map.of("1BAD", "v")), "env_vars")));
    assertTrue(e.getMessage().contains("'env_vars'") && e.getMessage().contains("1BAD"), e.getMessage());
    assertTrue(assertThrows(ToolError.class, () -> ExecuteTool.env(args(Map.of("env_vars", Map.of("A", 5)),
        "env_vars"))).getMessage().contains("must be a string"));
  }

  @Test
  void codeOrCodeBlocksExactlyOne() {
    assertEquals(List.of("print(1)"), ExecuteTool.blocks(args(Map.of("code", "print(1)"), "code", "codeBlocks")));
    assertEquals(List.of("a=1", "a"), ExecuteTool.blocks(args(Map.of("codeBlocks", List.of("a=1", "a")), "code",
        "codeBlocks")));
    assertTrue(assertThrows(ToolError.class, () -> ExecuteTool.blocks(args(Map.of(), "code", "codeBlocks")))
        .getMessage().contains("'code'"));
    assertTrue(assertThrows(ToolError.class, () -> ExecuteTool.blocks(args(Map.of("code", "x", "codeBlocks",
        List.of("y")), "code", "codeBlocks"))).getMessage().contains("not both"));
    assertTrue(assertThrows(ToolError.class, () -> ExecuteTool.blocks(args(Map.of("codeBlocks", List.of("a", " ")),
        "code", "codeBlocks"))).getMessage().contains("block 1 is empty"));
  }

  @Test
  void outputIsCappedAndSaysSo() {
    ExecuteTool.Capped c = ExecuteTool.Capped.of("x".repeat(10), 4);
    assertEquals("xxxx", c.text());
    assertTrue(c.truncated());
    assertFalse(ExecuteTool.Capped.of("abc", 4).truncated());
    assertEquals("", ExecuteTool.Capped.of("abc", -3).text());
  }

  @Test
  void agentArgumentsAreValidatedBeforeAnythingIsCreated() {
    Set<String> known = Set.of("agentType", "symbols", "pairs", "strategyParams", "capital", "interval");
    assertTrue(assertThrows(ToolError.class, () -> FleetTools.agentSpec(new ToolArgs(Map.of("agentType",
        "scalping"), known))).getMessage().startsWith("invalid argument 'agentType'"));
    ToolError hostile = assertThrows(ToolError.class, () -> FleetTools.agentSpec(new ToolArgs(Map.of(
        "agentType", "momentum", "symbols", List.of("\"; import os")), known)));
    assertTrue(hostile.getMessage().contains("symbol"), hostile.getMessage());
    assertTrue(assertThrows(ToolError.class, () -> FleetTools.agentSpec(new ToolArgs(Map.of("agentType",
        "pairs_trading", "pairs", List.of("KO")), known))).getMessage().contains("'pairs'"));
    TradingAgentSpec spec = FleetTools.agentSpec(new ToolArgs(Map.of("agentType", "pairs_trading",
        "pairs", List.of("KO,PEP"), "capital", 5000, "interval", "5m"), known));
    assertEquals(Strategy.pairs_trading, spec.getStrategy());
    assertEquals("PEP", spec.getPairs().get(0).getSecond());
    assertEquals(5000.0, spec.getCapital());
    assertEquals("5m", spec.getInterval());
  }

  @Test
  void cacheKeysSeparateTheirParts() {
    assertFalse(ResultCache.key(List.of("ab", "c")).equals(ResultCache.key(List.of("a", "bc"))));
    assertEquals(ResultCache.key(List.of("a", "b")), ResultCache.key(List.of("a", "b")));
  }
}
