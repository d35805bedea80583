package io.neuraltrader.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The command line and the environment, as the chart and `make run-cluster` pass them. */
class MainTest {
  private static final Map<String, String> KEY = Map.of("E2B_API_KEY", "e2b_test");

  @Test
  void metricsPortComesFromTheEnvironmentUnlessTheFlagIsGiven() {
    Map<String, String> env = new HashMap<>(KEY);
    env.put("METRICS_PORT", "9090");
    assertEquals(9090, Main.clusterConfig(env, Main.Args.parse(new String[] {"--cluster"})).metricsPort(),
        "the chart sets METRICS_PORT and no flag");
    assertEquals(7070, Main.clusterConfig(env, Main.Args.parse(new String[] {"--cluster", "--metrics-port", "7070"}))
        .metricsPort());
    assertEquals(8080, Main.clusterConfig(KEY, Main.Args.parse(new String[] {"--cluster"})).metricsPort());
    assertNull(Main.Args.parse(new String[0]).metricsPort());
  }

  @Test
  void badPortsAreRefusedWithTheirValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Main.Args.parse(new String[] {"--metrics-port", "http"}));
    assertEquals("--metrics-port takes a port number 0-65535, got http", e.getMessage());
  }

  @Test
  void sandboxUrlIsReadFromTheEnvironment() {
    Map<String, String> env = new HashMap<>(KEY);
    env.put("E2B_SANDBOX_URL", "http://127.0.0.1:49983");
    assertEquals("http://127.0.0.1:49983", OperatorConfig.fromEnvironment(env, true).sandboxUrlOverride());
    assertNull(OperatorConfig.fromEnvironment(KEY, true).sandboxUrlOverride());
  }

  @Test
  void helpIsAnAnswerNotAnError() {
    Main.HelpRequested help = assertThrows(Main.HelpRequested.class, () -> Main.Args.parse(new String[] {"--help"}));
    assertEquals(Main.usage(), help.getMessage());
    assertThrows(Main.HelpRequested.class, () -> Main.Args.parse(new String[] {"--local", "-h"}));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> Main.Args.parse(new String[] {"--verbose"}));
    assertEquals("unknown option --verbose (--help lists the options)", unknown.getMessage());
    IllegalArgumentException speed = assertThrows(IllegalArgumentException.class,
        () -> Main.Args.parse(new String[] {"--clock-speed", "fast"}));
    assertEquals("--clock-speed takes a number, got fast", speed.getMessage());
  }

  @Test
  void localOptionsComeFromTheEnvironment() {
    Main.Args args = Main.Args.parse(new String[] {"--local"});
    var options = Main.localOptions(Map.of("METRICS_PORT", "9191", "LOCAL_WIDE", "1",
        "LOCAL_TIMEZONE", "Europe/London"), args);
    assertEquals(9191, options.metricsPort());
    assertTrue(options.wide());
    assertEquals("Europe/London", options.zone().getId());
    var defaults = Main.localOptions(Map.of(), args);
    assertEquals(8080, defaults.metricsPort());
    assertEquals("America/New_York", defaults.zone().getId());
    assertEquals(100, defaults.width());
    IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
        () -> Main.localOptions(Map.of("METRICS_PORT", "http"), args));
    assertEquals("METRICS_PORT takes a port number 0-65535, got http", port.getMessage());
    assertEquals(7070, Main.localOptions(Map.of("METRICS_PORT", "9191"),
        Main.Args.parse(new String[] {"--local", "--metrics-port", "7070"})).metricsPort(), "the flag wins");
  }

  /** Every variable the operator reads is in --help and in the README's configuration table. */
  @Test
  void everyEnvironmentVariableIsDocumented() throws Exception {
    Set<String> read = new TreeSet<>();
    Map<String, String> env = new HashMap<>(KEY) {
      @Override
      public String get(Object key) {
        read.add((String) key);
        return super.get(key);
      }

      @Override
      public String getOrDefault(Object key, String fallback) {
        read.add((String) key);
        return super.getOrDefault(key, fallback);
      }

      @Override
      public boolean containsKey(Object key) {
        read.add((String) key);
        return super.containsKey(key);
      }
    };
    OperatorConfig.fromEnvironment(env, true);
    Main.localOptions(env, Main.Args.parse(new String[] {"--local"}));
    Main.localLogFile(env);
    io.neuraltrader.e2b.local.LocalApiChoice.Settings.fromEnvironment(env, Path.of("/home/you"));
    io.neuraltrader.e2b.mcp.McpSettings.fromEnvironment(env, false, "0.0.0.0");
    assertTrue(read.contains("E2B_SANDBOX_URL") && read.contains("METRICS_PORT") && read.contains("LOCAL_WIDE")
        && read.contains("LOCAL_TIMEZONE") && read.contains("LOCAL_LOG_FILE") && read.contains("MCP_TOKENS_FILE")
        && read.contains("LOCAL_API") && read.contains("KUBE_API_TEST_DIR"),
        read.toString());
    String usage = Main.usage();
    String readme = Files.readString(Path.of("README.md"));
    for (String variable : read) {
      assertTrue(usage.contains(variable), variable + " is missing from --help");
      assertTrue(readme.contains("`" + variable + "`"), variable + " is missing from the README");
    }
  }
}
