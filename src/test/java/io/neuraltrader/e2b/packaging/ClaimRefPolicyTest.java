package io.neuraltrader.e2b.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's ValidatingAdmissionPolicy on E2BSandbox spec.claimRef, evaluated with CEL as the API server does:
 * its variables first, then its validation, with {@code object}, {@code oldObject} and {@code request}.
 */
class ClaimRefPolicyTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String OPERATOR = "system:serviceaccount:" + "e2b-system:e2b-operator";
  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("object", SimpleType.DYN).addVar("oldObject", SimpleType.DYN).addVar("request", SimpleType.DYN)
      .addVar("variables", SimpleType.DYN).build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private final JsonNode policy = Chart.render().one("ValidatingAdmissionPolicy");

  @Test
  void thePolicyIsBoundAndCoversWritesOfE2BSandboxesOnly() {
    JsonNode rule = policy.path("spec").path("matchConstraints").path("resourceRules").get(0);
    assertEquals("e2bsandboxes", rule.path("resources").get(0).asText());
    assertEquals(2, rule.path("operations").size());
    JsonNode binding = Chart.render().one("ValidatingAdmissionPolicyBinding");
    assertEquals(policy.path("metadata").path("name").asText(), binding.path("spec").path("policyName").asText());
    assertEquals("Deny", binding.path("spec").path("validationActions").get(0).asText());
    assertTrue(Chart.render("claimRefPolicy: {enabled: false}\n").ofKind("ValidatingAdmissionPolicy").isEmpty());
  }

  @Test
  void onlyTheOperatorBindsOrReleasesAMember() throws Exception {
    Map<String, Object> claim = Map.of("kind", "TradingAgent", "name", "a", "uid", "u-1");
    Map<String, Object> other = Map.of("kind", "TradingAgent", "name", "b", "uid", "u-2");
    Map<String, Object> warm = sandbox(null);
    Map<String, Object> claimed = sandbox(claim);

    assertTrue(allowed(OPERATOR, warm, claimed), "the operator claims");
    assertTrue(allowed(OPERATOR, claimed, warm), "the operator releases");
    assertTrue(allowed("alice", null, warm), "anyone creates an unclaimed sandbox");
    assertTrue(allowed("alice", claimed, sandboxWith(claim, "paused", true)), "other fields stay editable");
    assertFalse(allowed("alice", null, claimed), "nobody else creates a claimed sandbox");
    assertFalse(allowed("alice", warm, claimed), "nobody else claims a warm member");
    assertFalse(allowed("alice", claimed, warm), "nobody else releases a member");
    assertFalse(allowed("alice", claimed, sandbox(other)), "nobody else moves a claim");
    assertFalse(allowed("system:serviceaccount:e2b-system:default", warm, claimed), "another ServiceAccount");
  }

  private static Map<String, Object> sandbox(Map<String, Object> claimRef) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("template", "code-interpreter-v1");
    if (claimRef != null) {
      spec.put("claimRef", claimRef);
    }
    return Map.of("metadata", Map.of("name", "m"), "spec", spec);
  }

  private static Map<String, Object> sandboxWith(Map<String, Object> claimRef, String field, Object value) {
    Map<String, Object> s = sandbox(claimRef);
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) s.get("spec"));
    spec.put(field, value);
    return Map.of("metadata", s.get("metadata"), "spec", spec);
  }

  private boolean allowed(String user, Map<String, Object> old, Map<String, Object> object) throws Exception {
    Map<String, Object> vars = new HashMap<>();
    vars.put("object", object);
    vars.put("oldObject", old == null ? dev.cel.common.values.NullValue.NULL_VALUE : old);
    vars.put("request", Map.of("operation", old == null ? "CREATE" : "UPDATE", "userInfo", Map.of("username", user)));
    Map<String, Object> variables = new HashMap<>();
    for (JsonNode v : policy.path("spec").path("variables")) {
      variables.put(v.path("name").asText(), eval(v.path("expression").asText(), vars, variables));
    }
    for (JsonNode validation : policy.path("spec").path("validations")) {
      if (!Boolean.TRUE.equals(eval(validation.path("expression").asText(), vars, variables))) {
        return false;
      }
    }
    return true;
  }

  private static Object eval(String expression, Map<String, Object> vars, Map<String, Object> variables)
      throws Exception {
    Map<String, Object> all = new HashMap<>(vars);
    all.put("variables", variables);
    var ast = COMPILER.compile(expression).getAst();
    return RUNTIME.createProgram(ast).eval(all);
  }
}
