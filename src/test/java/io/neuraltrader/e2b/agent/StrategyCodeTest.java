package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import org.junit.jupiter.api.Test;

class StrategyCodeTest {
  @Test
  void deployTextIsTheRuntimeFollowedByTheStrategy() {
    String custom = StrategyCode.custom("def generate_signals(ctx):\n    return []\n");
    assertTrue(custom.startsWith("\"\"\"Paper-trading runtime"));
    long offset = StrategyCode.runtimeLineOffset();
    assertEquals("def generate_signals(ctx):", custom.lines().skip(offset).findFirst().orElseThrow(),
        "the strategy starts right after the offset");
    assertTrue(StrategyCode.shipped(Strategy.momentum).contains("STRATEGY = \"momentum\""));
    assertThrows(IllegalArgumentException.class, () -> StrategyCode.shipped(Strategy.custom));
  }

  @Test
  void everyRuntimeModuleIsDeployedOnce() {
    String runtime = StrategyCode.runtime();
    for (String definition : new String[] {"def is_flat(", "def parse_input(", "class SyntheticMarket",
        "class Portfolio", "def run_tick(", "def __agent_tick__("}) {
      assertTrue(runtime.contains(definition), definition + " is part of the deploy text");
      assertEquals(runtime.indexOf(definition), runtime.lastIndexOf(definition), definition + " once");
    }
  }

  @Test
  void tracebackLocationsNameTheStrategyLine() {
    long offset = StrategyCode.runtimeLineOffset();
    String where = "File \"<cell>\", line " + (offset + 5) + ", in generate_signals";
    assertEquals(where + " (strategy line 5)", StrategyCode.strategyLocation(where));
    String inRuntime = "File \"<cell>\", line 12, in parse_input";
    assertEquals(inRuntime, StrategyCode.strategyLocation(inRuntime), "runtime lines stay as they are");
    assertEquals("no location", StrategyCode.strategyLocation("no location"));
    assertNull(StrategyCode.strategyLocation(null));
  }
}
