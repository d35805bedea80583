package io.neuraltrader.e2b.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neuraltrader.e2b.api.validation.SchemaValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The schema rules reject what they promise to reject, in the API server's wording and field paths. */
class SchemaValidationTest {

  private static SchemaValidator.Result agent(String specYaml) {
    String yaml = "apiVersion: e2b.neuraltrader.io/v1alpha1\nkind: TradingAgent\nmetadata: {name: a}\nspec:\n"
        + specYaml.indent(2);
    return SchemaValidator.forCrd("tradingagents.e2b.neuraltrader.io").validate(Manifests.single(yaml));
  }

  private static SchemaValidator.Result pool(String specYaml) {
    String yaml = "apiVersion: e2b.neuraltrader.io/v1alpha1\nkind: SandboxPool\nmetadata: {name: p}\nspec:\n"
        + specYaml.indent(2);
    return SchemaValidator.forCrd("sandboxpools.e2b.neuraltrader.io").validate(Manifests.single(yaml));
  }

  private static void assertRejected(SchemaValidator.Result result, String expectedText) {
    assertFalse(result.valid(), "expected a rejection mentioning " + expectedText);
    assertTrue(result.toString().contains(expectedText), result + " should mention " + expectedText);
  }

  @Test
  void aMinimalAgentIsValidAndGetsDefaults() {
    SchemaValidator.Result result = agent("""
        strategy: momentum
        symbols: [AAPL]
        sandbox: {template: {}}
        """);
    assertTrue(result.valid(), result.toString());
    assertEquals("60s", result.defaulted().path("spec").path("interval").asText());
    assertEquals(300, result.defaulted().path("spec").path("sandbox").path("template")
        .path("timeoutSeconds").asInt());
  }

  static Stream<Arguments> agentRejectionsCases() {
    return Stream.of(
        Arguments.of("hostile symbol", "strategy: momentum\nsymbols: ['\"; import os']\nsandbox: {template: {}}", "spec.symbols[0]: Invalid value: \"\\\"; import os\": spec.symbols[0] in body should match"),
        Arguments.of("lower-case symbol", "strategy: momentum\nsymbols: [aapl]\nsandbox: {template: {}}", "symbols"),
        Arguments.of("empty symbols", "strategy: momentum\nsymbols: []\nsandbox: {template: {}}", "spec: Invalid value: \"object\": pairs_trading needs pairs; other strategies need symbols"),
        Arguments.of("unknown strategy", "strategy: martingale\nsymbols: [AAPL]\nsandbox: {template: {}}", "spec.strategy: Unsupported value: \"martingale\": supported values: \"arbitrage\", \"custom\""),
        Arguments.of("pairs without pairs", "strategy: pairs_trading\nsymbols: [KO]\nsandbox: {template: {}}", "spec: Invalid value: \"object\": pairs_trading needs pairs"),
        Arguments.of("two sandbox sources", "strategy: momentum\nsymbols: [AAPL]\nsandbox: {template: {}, poolRef: {name: p}}", "spec.sandbox: Invalid value: \"object\": sandbox needs exactly one of poolRef"),
        Arguments.of("no sandbox source", "strategy: momentum\nsymbols: [AAPL]\nsandbox: {}", "spec.sandbox: Invalid value: \"object\": sandbox needs exactly one of poolRef"),
        Arguments.of("custom without code", "strategy: custom\nsymbols: [AAPL]\nsandbox: {template: {}}", "custom needs code"),
        Arguments.of("string parameter", "strategy: momentum\nsymbols: [AAPL]\nparameters: {period: '__import__(\"os\")'}\nsandbox: {template: {}}", "spec.parameters.period: Invalid value: \"string\": spec.parameters.period in body must be of type number: \"string\""),
        Arguments.of("foreign parameter", "strategy: momentum\nsymbols: [AAPL]\nparameters: {entryZ: 2}\nsandbox: {template: {}}", "parameters must be"),
        Arguments.of("bad interval", "strategy: momentum\nsymbols: [AAPL]\ninterval: soon\nsandbox: {template: {}}", "spec.interval: Invalid value: \"soon\": spec.interval in body should match '^"),
        Arguments.of("negative capital", "strategy: momentum\nsymbols: [AAPL]\ncapital: -5\nsandbox: {template: {}}", "spec.capital: Invalid value: -5: spec.capital in body should be greater than or equal to 100"),
        Arguments.of("risk above one", "strategy: momentum\nsymbols: [AAPL]\nrisk: {maxPositionFraction: 3}\nsandbox: {template: {}}", "spec.risk.maxPositionFraction: Invalid value: 3: spec.risk.maxPositionFraction in body should be less than or equal to 1"),
        Arguments.of("unknown field", "strategy: momentum\nsymbols: [AAPL]\nsymbol: AAPL\nsandbox: {template: {}}", "strict decoding error: unknown field \"spec.symbol\""),
        Arguments.of("csv without configMap", "strategy: momentum\nsymbols: [AAPL]\nmarketData: {type: configMap}\nsandbox: {template: {}}", "configMap needs configMapRef"),
        Arguments.of("missing strategy", "symbols: [AAPL]\nsandbox: {template: {}}", "spec.strategy: Required value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("agentRejectionsCases")
  void agentRejections(String name, String spec, String expected) {
    assertRejected(agent(spec), expected);
  }

  static Stream<Arguments> poolRejectionsCases() {
    return Stream.of(
        Arguments.of("cap below replicas", "replicas: 5\nmaxSandboxes: 3", "maxSandboxes must be at least replicas"),
        Arguments.of("negative replicas", "replicas: -1\nmaxSandboxes: 3", "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0"),
        Arguments.of("huge replicas", "replicas: 100000\nmaxSandboxes: 100000", "spec.replicas: Invalid value: 100000: spec.replicas in body should be less than or equal to 1000"),
        Arguments.of("window above cap", "replicas: 1\nmaxSandboxes: 3\nschedules: [{name: w, timezone: UTC, start: '09:00', end: '10:00', replicas: 9}]", "every schedule window"),
        Arguments.of("bad time", "replicas: 1\nmaxSandboxes: 3\nschedules: [{name: w, timezone: UTC, start: '9am', end: '10:00', replicas: 1}]", "spec.schedules[0].start: Invalid value: \"9am\": spec.schedules[0].start in body should match '^([01][0-9]|2[0-3]):[0-5][0-9]$'"),
        Arguments.of("end before start", "replicas: 1\nmaxSandboxes: 3\nschedules: [{name: w, timezone: UTC, start: '16:00', end: '09:30', replicas: 1}]", "needs overnight: true"),
        Arguments.of("same start and end", "replicas: 1\nmaxSandboxes: 3\nschedules: [{name: w, timezone: UTC, start: '09:00', end: '09:00', replicas: 1}]", "end must be after start"),
        Arguments.of("impossible day", "replicas: 1\nmaxSandboxes: 3\nschedules: [{name: w, timezone: UTC, days: [Funday], start: '09:00', end: '10:00', replicas: 1}]", "spec.schedules[0].days[0]: Invalid value: \"Funday\": spec.schedules[0].days[0] in body should match"),
        Arguments.of("reserved metadata", "replicas: 1\nmaxSandboxes: 3\ntemplate: {spec: {metadata: {e2b.neuraltrader.io/uid: x}}}", "reserved for the operator"),
        Arguments.of("short timeout", "replicas: 1\nmaxSandboxes: 3\ntemplate: {spec: {timeoutSeconds: 5}}", "spec.template.spec.timeoutSeconds: Invalid value: 5: spec.template.spec.timeoutSeconds in body should be greater than or equal to 30"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("poolRejectionsCases")
  void poolRejections(String name, String spec, String expected) {
    assertRejected(pool(spec), expected);
  }

  @Test
  void patternsAreRe2SoADollarDoesNotMatchBeforeATrailingNewline() {
    // java.util.regex lets '$' match before a final line break; RE2 (the API server's engine) does not.
    String interval = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
        SchemaValidationTest.class.getResourceAsStream("/META-INF/fabric8/tradingagents.e2b.neuraltrader.io-v1.yml"),
        io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class).getSpec().getVersions().get(0)
        .getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties().get("interval").getPattern();
    assertTrue(java.util.regex.Pattern.compile(interval).matcher("60s\n").find(), interval);
    assertRejected(agent("strategy: momentum\nsymbols: [AAPL]\ninterval: \"60s\\n\"\nsandbox: {template: {}}"),
        "spec.interval: Invalid value: \"60s\\n\": spec.interval in body should match");
  }

  @Test
  void anUnchangedInvalidValueIsNotValidatedAgainOnUpdate() {
    // Ratcheting: an object admitted under a looser schema stays updatable as long as the bad part is unchanged.
    SchemaValidator v = SchemaValidator.forCrd("sandboxpools.e2b.neuraltrader.io");
    String yaml = "apiVersion: e2b.neuraltrader.io/v1alpha1\nkind: SandboxPool\nmetadata: {name: p}\n"
        + "spec: {replicas: 1, maxSandboxes: 3, template: {spec: {timeoutSeconds: 5}}}\n";
    ObjectNode old = (ObjectNode) Manifests.single(yaml);
    ObjectNode statusOnly = old.deepCopy();
    statusOnly.putObject("status").put("replicas", 1);
    assertTrue(v.validate(statusOnly, old, d -> java.util.List.of()).valid());
    ObjectNode changed = old.deepCopy();
    ((ObjectNode) changed.path("spec").path("template").path("spec")).put("timeoutSeconds", 6);
    assertRejected(v.validate(changed, old, d -> java.util.List.of()),
        "spec.template.spec.timeoutSeconds: Invalid value: 6");
    assertRejected(v.validate(statusOnly), "spec.template.spec.timeoutSeconds: Invalid value: 5");
  }

  @Test
  void aRepeatedSetEntryIsADuplicateValue() {
    SchemaValidator.Result result = agent("strategy: momentum\nsymbols: [AAPL, MSFT, AAPL]\nsandbox: {template: {}}");
    assertRejected(result, "spec.symbols[2]: Duplicate value: \"AAPL\"");
    assertEquals("FieldValueDuplicate", result.causes().get(0).type().cause());
  }

  @Test
  void anOvernightWindowIsAccepted() {
    SchemaValidator.Result result = pool("""
        replicas: 1
        maxSandboxes: 3
        schedules:
          - {name: asia, timezone: Asia/Tokyo, days: [Sun-Thu], start: "23:00", end: "06:00", overnight: true, replicas: 2}
        """);
    assertTrue(result.valid(), result.toString());
  }
}
