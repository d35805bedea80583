package io.neuraltrader.e2b.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsOrArray;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrdRulesTest {
  private static final String ROOT = "spec.validation.openAPIV3Schema";
  private static final String TOTAL = ROOT + ": Forbidden: x-kubernetes-validations estimated rule cost total for"
      + " entire OpenAPIv3 schema exceeds budget by factor of more than 100x (try simplifying the rule, or adding"
      + " maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)";

  /** The CRDs as committed when a v1.32 API server refused three of the four (issue 14). */
  private static CustomResourceDefinition issue14(String name) throws IOException {
    try (InputStream in = CrdRulesTest.class.getResourceAsStream("/crd-rules/issue-14/" + name + "-v1.yml")) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
  }

  @Test
  void refusesTheCrdsTheServerRefused() throws IOException {
    List<String> agent = CrdRules.violations(issue14("tradingagents.e2b.neuraltrader.io"));
    assertTrue(agent.contains(ROOT + ".properties[spec].properties[marketData].properties[http].properties[url]"
        + ".pattern: Invalid value: \"^https?://[^\\\\s\\\"'`]{1,2000}$\": must be a valid regular expression, but"
        + " isn't: error parsing regexp: invalid repeat count: `{1,2000}`"), String.join("\n", agent));
    assertTrue(agent.contains(TOTAL), String.join("\n", agent));
    assertTrue(agent.contains(ROOT + ".properties[spec].properties[symbols].x-kubernetes-validations[0].rule:"
        + " Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema"));

    List<String> deployment = CrdRules.violations(issue14("e2bdeployments.e2b.neuraltrader.io"));
    assertTrue(deployment.stream().anyMatch(e -> e.contains("properties[url].pattern: Invalid value")));
    assertTrue(deployment.contains(TOTAL));
    assertTrue(deployment.contains(ROOT + ".properties[spec].properties[schedules].items.properties[days]"
        + ".x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than"
        + " 100x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps,"
        + " and strings are declared)"), String.join("\n", deployment));

    List<String> pool = CrdRules.violations(issue14("sandboxpools.e2b.neuraltrader.io"));
    assertTrue(pool.contains(TOTAL));
    assertTrue(pool.stream().noneMatch(e -> e.contains(".pattern:")));

    assertEquals(List.of(), CrdRules.violations(issue14("e2bsandboxes.e2b.neuraltrader.io")),
        "the server accepted E2BSandbox");
  }

  @Test
  void patternsMustBeRe2() {
    assertEquals("error parsing regexp: invalid repeat count: `{1,1001}`", CrdRules.re2Problem("^a{1,1001}$"));
    assertEquals(null, CrdRules.re2Problem("^a{1,1000}$"));
    assertEquals("error parsing regexp: invalid or unsupported Perl syntax: `(?=`", CrdRules.re2Problem("a(?=b)"));
    assertEquals(null, CrdRules.re2Problem("^https?://[^\\s\"'`]+$"));

    JSONSchemaProps nested = object(Map.of("items", new JSONSchemaPropsBuilder().withType("array")
        .withItems(items(new JSONSchemaPropsBuilder().withType("string").withPattern("\\1").build())).build()));
    assertEquals(List.of(ROOT + ".properties[items].items.pattern: Invalid value: \"\\\\1\": must be a valid regular"
        + " expression, but isn't: error parsing regexp: invalid escape sequence: `\\1`"), violations(nested));
  }

  @Test
  void regexesInRulesMustBeRe2Too() {
    JSONSchemaProps s = new JSONSchemaPropsBuilder().withType("string").withMaxLength(10L)
        .withXKubernetesValidations(new ValidationRuleBuilder().withRule("self.matches('^(?!x)')").build()).build();
    List<String> errors = violations(object(Map.of("name", s)));
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith(ROOT + ".properties[name].x-kubernetes-validations[0].rule: Invalid value:"));
    assertTrue(errors.get(0).endsWith("program instantiation failed: error parsing regexp: invalid or unsupported"
        + " Perl syntax: `(?!`"), errors.get(0));
  }

  /** Largest maxItems a v1.32 server accepts for {@code self.all(x, x.contains('gpu'))}, by item maxLength. */
  @Test
  void matchesTheServersBudgetForAListTraversal() {
    assertEquals(List.of(), violations(object(Map.of("tags", tags(16, 909_090)))));
    assertEquals(1, violations(object(Map.of("tags", tags(16, 909_091)))).stream()
        .filter(e -> e.contains("estimated rule cost exceeds budget by factor of 1.000")).count());
    assertEquals(List.of(), violations(object(Map.of("tags", tags(63, 333_333)))));
    assertEquals(1, violations(object(Map.of("tags", tags(63, 333_334)))).stream()
        .filter(e -> e.contains("rule: Forbidden: estimated rule cost")).count());
    assertEquals(List.of(), violations(object(Map.of("tags", tags(1024, 24_154)))));
    assertEquals(1, violations(object(Map.of("tags", tags(1024, 24_155)))).stream()
        .filter(e -> e.contains("rule: Forbidden: estimated rule cost")).count());
  }

  @Test
  void unboundedStringsAndListsCostWhatFitsInARequest() {
    JSONSchemaProps unbounded = new JSONSchemaPropsBuilder().withType("array")
        .withItems(items(new JSONSchemaPropsBuilder().withType("string").build()))
        .withXKubernetesValidations(new ValidationRuleBuilder()
            .withRule("self.all(s, s.matches('^[A-Z]+$'))").build()).build();
    List<String> errors = violations(object(Map.of("symbols", unbounded)));
    assertTrue(errors.contains(TOTAL), errors.toString());

    JSONSchemaProps bounded = new JSONSchemaPropsBuilder().withType("array").withMaxItems(5000L)
        .withItems(items(new JSONSchemaPropsBuilder().withType("string").withMaxLength(20L).build()))
        .withXKubernetesValidations(new ValidationRuleBuilder()
            .withRule("self.all(s, s.matches('^[A-Z]+$'))").build()).build();
    assertEquals(List.of(), violations(object(Map.of("symbols", bounded))));
    // 5000 x (3 + 1 + ceil(81 x 0.1) x ceil(8 x 0.25)) + 2
    assertEquals(5000L * (3 + 1 + 9 * 2) + 2, CrdRules.ruleCost("self.all(s, s.matches('^[A-Z]+$'))", bounded));
  }

  @Test
  void rulesUnderListsRunOncePerElement() {
    JSONSchemaProps window = new JSONSchemaPropsBuilder().withType("object")
        .addToProperties("start", new JSONSchemaPropsBuilder().withType("string").withMaxLength(5L).build())
        .addToProperties("end", new JSONSchemaPropsBuilder().withType("string").withMaxLength(5L).build())
        .withXKubernetesValidations(new ValidationRuleBuilder().withRule("self.end > self.start").build()).build();
    long once = CrdRules.ruleCost("self.end > self.start", window);
    assertEquals(2 + 2 + 2, once, "two selects of 2 and a comparison of ceil(20 x 0.1)");

    JSONSchemaProps bounded = new JSONSchemaPropsBuilder().withType("array").withMaxItems(32L).withItems(
        items(window)).build();
    assertEquals(List.of(), violations(object(Map.of("windows", bounded))));

    // Unbounded: as many windows as fit in 3 MiB ({} and a comma), each running the rule.
    JSONSchemaProps wide = new JSONSchemaPropsBuilder().withType("object")
        .addToProperties("start", new JSONSchemaPropsBuilder().withType("string").build())
        .addToProperties("end", new JSONSchemaPropsBuilder().withType("string").build())
        .withXKubernetesValidations(new ValidationRuleBuilder().withRule("self.end > self.start").build()).build();
    JSONSchemaProps unbounded = new JSONSchemaPropsBuilder().withType("array").withItems(
        items(wide)).build();
    List<String> errors = violations(object(Map.of("windows", unbounded)));
    assertTrue(errors.contains(ROOT + ".properties[windows].items.x-kubernetes-validations[0].rule: Forbidden:"
        + " estimated rule cost exceeds budget by factor of more than 100x (try simplifying the rule, or adding"
        + " maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)"), errors.toString());
  }

  @Test
  void listMapKeysMustBeRequiredScalarsOfTheItems() {
    JSONSchemaProps window = new JSONSchemaPropsBuilder().withType("object")
        .addToProperties("name", new JSONSchemaPropsBuilder().withType("string").withMaxLength(63L).build())
        .addToProperties("days", new JSONSchemaPropsBuilder().withType("array").withMaxItems(7L)
            .withItems(items(new JSONSchemaPropsBuilder().withType("string").withMaxLength(7L).build())).build())
        .build();
    JSONSchemaProps byName = new JSONSchemaPropsBuilder().withType("array").withMaxItems(32L)
        .withXKubernetesListType("map").withXKubernetesListMapKeys("name").withItems(items(window)).build();
    assertEquals(List.of(ROOT + ".properties[windows].items.properties[name].default: Required value: this property"
        + " is in x-kubernetes-list-map-keys, so it must have a default or be a required property"),
        violations(object(Map.of("windows", byName))));

    byName.getItems().getSchema().setRequired(List.of("name"));
    assertEquals(List.of(), violations(object(Map.of("windows", byName))));

    byName.setXKubernetesListMapKeys(List.of("days", "zone"));
    List<String> errors = violations(object(Map.of("windows", byName)));
    assertTrue(errors.contains(ROOT + ".properties[windows].items.properties[days].type: Invalid value: \"object\":"
        + " must be a scalar type if parent array's x-kubernetes-list-type is map"), errors.toString());
    assertTrue(errors.contains(ROOT + ".properties[windows].x-kubernetes-list-map-keys: Invalid value:"
        + " []string{\"days\", \"zone\"}: entries must all be names of item properties"), errors.toString());

    JSONSchemaProps keysWithoutMap = new JSONSchemaPropsBuilder().withType("array").withMaxItems(3L)
        .withXKubernetesListMapKeys("name").withItems(items(byName.getItems().getSchema())).build();
    assertEquals(List.of(ROOT + ".properties[w].x-kubernetes-list-type: Required value: must be map if"
        + " x-kubernetes-list-map-keys is non-empty"), violations(object(Map.of("w", keysWithoutMap))));
  }

  @Test
  void factorsAreFormattedLikeTheServer() {
    assertTrue(CrdRules.costMessage("estimated rule cost", 12_000_000, 10_000_000)
        .startsWith("estimated rule cost exceeds budget by factor of 1.200000x ("));
    assertTrue(CrdRules.costMessage("estimated rule cost", 29_000_000, 10_000_000).contains("factor of 2.9x ("));
    assertTrue(CrdRules.costMessage("x", Long.MAX_VALUE, 10_000_000).contains("factor of more than 100x ("));
  }

  @Test
  void mapKeysAreSizedAsTheServerSizesThem() {
    JSONSchemaProps labels = new JSONSchemaPropsBuilder().withType("object").withMaxProperties(64L)
        .withNewAdditionalProperties().withNewSchema().withType("string").withMaxLength(63L).endSchema()
        .endAdditionalProperties().build();
    // Keys have no declared length: the server sizes them 0, so a key regex costs ceil(1 x 0.1) x ceil(len/4).
    assertEquals(1 + 1 + 64L * (3 + 1 + 3), CrdRules.ruleCost("self.all(k, k.matches('^[a-z0-9]+$'))", labels));
  }

  private static JSONSchemaProps tags(long maxLength, long maxItems) {
    return new JSONSchemaPropsBuilder().withType("array").withMaxItems(maxItems)
        .withItems(items(new JSONSchemaPropsBuilder().withType("string").withMaxLength(maxLength).build()))
        .withXKubernetesValidations(new ValidationRuleBuilder()
            .withRule("self.all(x, x.contains('gpu'))").build()).build();
  }

  private static JSONSchemaPropsOrArray items(JSONSchemaProps item) {
    return new JSONSchemaPropsOrArray(null, item);
  }

  private static JSONSchemaProps object(Map<String, JSONSchemaProps> properties) {
    return new JSONSchemaPropsBuilder().withType("object").withProperties(properties).build();
  }

  private static List<String> violations(JSONSchemaProps spec) {
    CustomResourceDefinition crd = new CustomResourceDefinitionBuilder().withNewMetadata()
        .withName("things.example.com").endMetadata().withNewSpec().withGroup("example.com")
        .withNewNames().withKind("Thing").withPlural("things").endNames().withScope("Namespaced")
        .addNewVersion().withName("v1").withServed(true).withStorage(true).withNewSchema()
        .withOpenAPIV3Schema(object(Map.of("spec", spec))).endSchema().endVersion().endSpec().build();
    List<String> errors = CrdRules.violations(crd);
    return errors.stream().map(e -> e.replace(ROOT + ".properties[spec]", ROOT)).toList();
  }
}
