package io.neuraltrader.e2b.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The chart lints, and renders the operator as the operator process expects to be run. */
class ChartTest {

  @Test
  void lintPasses() {
    LintResult lint = new Helm(Chart.DIR).lint().strict().call();
    assertFalse(lint.isFailed(), "helm lint: " + lint.getMessages());
  }

  @Test
  void chartMetadata() throws IOException {
    JsonNode chart = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
        Files.readString(Chart.DIR.resolve("Chart.yaml")), JsonNode.class);
    assertEquals("v2", chart.path("apiVersion").asText());
    assertEquals("e2b-operator", chart.path("name").asText());
    assertEquals("0.1.0", chart.path("appVersion").asText());
  }

  @Test
  void chartCrdsAreTheTopLevelCrds() throws IOException {
    // `helm template` leaves crds/ out of its output (Helm installs them separately), so compare the files the
    // chart ships: byte for byte, nothing more and nothing less.
    List<Path> sources = DeployManifests.crdFiles();
    Path chartCrds = Chart.DIR.resolve("crds");
    for (Path source : sources) {
      Path copy = chartCrds.resolve(source.getFileName());
      assertTrue(Files.exists(copy), copy + " is missing: run `make crds`");
      assertEquals(Files.readString(source), Files.readString(copy), copy + " differs from crds/: run `make crds`");
    }
    try (var files = Files.list(chartCrds)) {
      assertEquals(sources.size(), files.count(), chartCrds + " holds only the CRDs of crds/");
    }
  }

  @Test
  void deploymentRunsTheOperatorLockedDown() {
    JsonNode deployment = Chart.render().one("Deployment");
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    assertEquals(1, deployment.path("spec").path("replicas").asInt());
    assertEquals("RuntimeDefault", pod.path("securityContext").path("seccompProfile").path("type").asText());
    assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
    assertEquals("e2b-operator", pod.path("serviceAccountName").asText());

    JsonNode container = onlyContainer(deployment);
    assertEquals("ghcr.io/neuraltrader/e2b-operator:0.1.0", container.path("image").asText(), "tag defaults to appVersion");
    assertEquals("IfNotPresent", container.path("imagePullPolicy").asText());
    JsonNode security = container.path("securityContext");
    assertTrue(security.path("runAsNonRoot").asBoolean());
    assertEquals(65532, security.path("runAsUser").asInt());
    assertTrue(security.path("readOnlyRootFilesystem").asBoolean());
    assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true));
    assertEquals(List.of("ALL"), texts(security.path("capabilities").path("drop")));
    assertEquals("RuntimeDefault", security.path("seccompProfile").path("type").asText());

    assertEquals(8080, container.path("ports").get(0).path("containerPort").asInt());
    assertEquals("metrics", container.path("ports").get(0).path("name").asText());
    assertEquals("/healthz", container.path("livenessProbe").path("httpGet").path("path").asText());
    assertEquals("metrics", container.path("livenessProbe").path("httpGet").path("port").asText());
    assertEquals("/readyz", container.path("readinessProbe").path("httpGet").path("path").asText());
    assertEquals("metrics", container.path("readinessProbe").path("httpGet").path("port").asText());

    // The read-only root filesystem needs a writable /tmp for the JVM.
    assertEquals("/tmp", container.path("volumeMounts").get(0).path("mountPath").asText());
    String tmpVolume = container.path("volumeMounts").get(0).path("name").asText();
    JsonNode volume = pod.path("volumes").get(0);
    assertEquals(tmpVolume, volume.path("name").asText());
    assertTrue(volume.has("emptyDir"));
  }

  @Test
  void deploymentPassesTheOperatorsConfiguration() {
    JsonNode container = onlyContainer(Chart.render().one("Deployment"));
    Map<String, JsonNode> env = env(container);
    assertEquals("metadata.name", env.get("POD_NAME").path("valueFrom").path("fieldRef").path("fieldPath").asText());
    assertEquals("metadata.namespace",
        env.get("POD_NAMESPACE").path("valueFrom").path("fieldRef").path("fieldPath").asText());
    // Stable across pod restarts, so a restarted operator still recognises (adopts, reaps) its sandboxes.
    assertEquals("e2b-operator", env.get("OPERATOR_INSTANCE_ID").path("value").asText());
    assertTrue(env.get("OPERATOR_INSTANCE_ID").path("valueFrom").isMissingNode());
    JsonNode key = env.get("E2B_API_KEY").path("valueFrom").path("secretKeyRef");
    assertEquals("e2b-api-key", key.path("name").asText());
    assertEquals("api-key", key.path("key").asText());
    assertEquals("https://api.e2b.app", env.get("E2B_API_URL").path("value").asText());
    assertEquals("e2b.app", env.get("E2B_DOMAIN").path("value").asText());
    assertEquals("", env.get("WATCH_NAMESPACES").path("value").asText());
    assertEquals("false", env.get("LEADER_ELECTION").path("value").asText());
    assertEquals("e2b-operator-leader", env.get("LEADER_ELECTION_LEASE_NAME").path("value").asText());
    assertEquals("8080", env.get("METRICS_PORT").path("value").asText());
    assertTrue(env.get("JAVA_TOOL_OPTIONS").path("value").asText().contains("MaxRAMPercentage"));
    assertFalse(env.containsKey("E2B_MAX_CONCURRENT_CREATES"), "unset values keep the operator's defaults");
    assertFalse(env.containsKey("E2B_RATE_LIMIT_PER_SECOND"));
    assertFalse(env.containsKey("E2B_SANDBOX_URL"), "sandboxes at https://<port>-<sandboxID>.<domain> by default");
    assertEquals(List.of("--cluster"), texts(container.path("args")));
  }

  @Test
  void valuesReachTheContainer() {
    Chart.Rendered rendered = Chart.render("""
        image: {repository: registry.example.com/e2b-operator, tag: "1.2.3", pullPolicy: Always}
        e2b: {apiUrl: "https://e2b.internal", domain: e2b.internal, maxConcurrentCreates: 7, rateLimitPerSecond: 12,
              sandboxUrl: "http://envd-proxy.e2b.svc:49983"}
        operator: {instanceId: prod-eu}
        metrics: {port: 9090}
        watchNamespaces: [trading, research]
        """);
    JsonNode container = onlyContainer(rendered.one("Deployment"));
    Map<String, JsonNode> env = env(container);
    assertEquals("registry.example.com/e2b-operator:1.2.3", container.path("image").asText());
    assertEquals("Always", container.path("imagePullPolicy").asText());
    assertEquals("https://e2b.internal", env.get("E2B_API_URL").path("value").asText());
    assertEquals("e2b.internal", env.get("E2B_DOMAIN").path("value").asText());
    assertEquals("http://envd-proxy.e2b.svc:49983", env.get("E2B_SANDBOX_URL").path("value").asText());
    assertEquals("7", env.get("E2B_MAX_CONCURRENT_CREATES").path("value").asText());
    assertEquals("12", env.get("E2B_RATE_LIMIT_PER_SECOND").path("value").asText());
    assertEquals("prod-eu", env.get("OPERATOR_INSTANCE_ID").path("value").asText());
    assertEquals("9090", env.get("METRICS_PORT").path("value").asText());
    assertEquals(9090, container.path("ports").get(0).path("containerPort").asInt());
    assertEquals("trading,research", env.get("WATCH_NAMESPACES").path("value").asText());
  }

  @Test
  void apiKeyFromValuesBecomesASecretAndRestartsPodsOnChange() {
    Chart.Rendered first = Chart.render("e2b: {existingSecret: '', apiKey: e2b_first}\n");
    JsonNode secret = first.one("Secret");
    assertEquals("e2b-operator-api-key", secret.path("metadata").path("name").asText());
    assertEquals(java.util.Base64.getEncoder().encodeToString("e2b_first".getBytes()),
        secret.path("data").path("api-key").asText());
    JsonNode key = env(onlyContainer(first.one("Deployment"))).get("E2B_API_KEY").path("valueFrom").path("secretKeyRef");
    assertEquals("e2b-operator-api-key", key.path("name").asText());

    Chart.Rendered second = Chart.render("e2b: {existingSecret: '', apiKey: e2b_second}\n");
    assertNotEquals(checksum(first), checksum(second), "a new key rolls the pods: E2B_API_KEY is read at start");

    assertTrue(Chart.render().ofKind("Secret").isEmpty(), "an existing Secret is used, not duplicated");
  }

  @Test
  void apiKeyCanBeMountedAsAFile() {
    JsonNode deployment = Chart.render("e2b: {mountApiKeyAsFile: true}\n").one("Deployment");
    Map<String, JsonNode> env = env(onlyContainer(deployment));
    assertFalse(env.containsKey("E2B_API_KEY"));
    assertEquals("/var/run/secrets/e2b/api-key", env.get("E2B_API_KEY_FILE").path("value").asText());
    JsonNode volume = deployment.path("spec").path("template").path("spec").path("volumes").get(1);
    assertEquals("e2b-api-key", volume.path("secret").path("secretName").asText());
  }

  @Test
  void missingApiKeyFailsWithAClearMessage() {
    Exception e = assertThrows(Exception.class, () -> Chart.renderRaw(""));
    assertTrue(e.getMessage().contains("e2b-operator needs an E2B API key"), e.getMessage());
    assertTrue(e.getMessage().contains("e2b.existingSecret"), e.getMessage());
    assertTrue(e.getMessage().contains("e2b.apiKey"), e.getMessage());
  }

  @Test
  void mcpIsOffByDefaultAndServedWithMountedTokensWhenEnabled() {
    Chart.Rendered off = Chart.render();
    assertTrue(off.find("Service", "e2b-operator-mcp").isEmpty(), "no MCP Service by default");
    assertFalse(env(onlyContainer(off.one("Deployment"))).containsKey("MCP_ENABLED"));
    Exception noTokens = assertThrows(Exception.class, () -> Chart.render("mcp: {enabled: true}\n"));
    assertTrue(noTokens.getMessage().contains("mcp.enabled needs mcp.tokensSecret"), noTokens.getMessage());

    Chart.Rendered on = Chart.render("mcp: {enabled: true, tokensSecret: mcp-tokens, readOnly: true}\n");
    JsonNode deployment = on.one("Deployment");
    JsonNode container = onlyContainer(deployment);
    Map<String, JsonNode> env = env(container);
    assertEquals("true", env.get("MCP_ENABLED").path("value").asText());
    assertEquals("8090", env.get("MCP_PORT").path("value").asText());
    assertEquals("true", env.get("MCP_READ_ONLY").path("value").asText());
    assertEquals("/var/run/secrets/e2b-mcp/tokens.yaml", env.get("MCP_TOKENS_FILE").path("value").asText());
    assertTrue(container.path("ports").toString().contains("\"mcp\""), container.path("ports").toString());
    assertTrue(deployment.path("spec").path("template").path("spec").path("volumes").toString()
        .contains("\"secretName\":\"mcp-tokens\""));
    JsonNode service = on.find("Service", "e2b-operator-mcp").orElseThrow();
    assertEquals("mcp", service.path("spec").path("ports").get(0).path("targetPort").asText());
  }

  @Test
  void rbacIsLeastPrivilege() {
    Chart.Rendered rendered = Chart.render();
    JsonNode role = rendered.one("ClusterRole");
    assertEquals(expectedRules(), rules(role));
    JsonNode binding = rendered.one("ClusterRoleBinding");
    assertEquals("e2b-operator", binding.path("roleRef").path("name").asText());
    JsonNode subject = binding.path("subjects").get(0);
    assertEquals("ServiceAccount", subject.path("kind").asText());
    assertEquals("e2b-operator", subject.path("name").asText());
    assertEquals(Chart.NAMESPACE, subject.path("namespace").asText());
    assertTrue(rendered.ofKind("Role").isEmpty(), "no lease Role without leader election");
    for (JsonNode rule : role.path("rules")) {
      assertFalse(texts(rule.path("verbs")).contains("*"), "no wildcard verbs");
      assertFalse(texts(rule.path("resources")).contains("*"), "no wildcard resources");
      assertFalse(texts(rule.path("apiGroups")).contains("*"), "no wildcard API groups");
    }
  }

  @Test
  void watchedNamespacesGetRolesAndNoClusterRole() {
    Chart.Rendered rendered = Chart.render("watchNamespaces: [a, b]\n");
    assertTrue(rendered.ofKind("ClusterRole").isEmpty(), rendered.kinds());
    assertTrue(rendered.ofKind("ClusterRoleBinding").isEmpty(), rendered.kinds());
    for (String ns : List.of("a", "b")) {
      JsonNode role = rendered.ofKind("Role").stream()
          .filter(r -> ns.equals(r.path("metadata").path("namespace").asText())).findFirst()
          .orElseThrow(() -> new AssertionError("no Role in " + ns + ": " + rendered.kinds()));
      assertEquals(expectedRules(), rules(role));
      JsonNode binding = rendered.ofKind("RoleBinding").stream()
          .filter(r -> ns.equals(r.path("metadata").path("namespace").asText())).findFirst()
          .orElseThrow(() -> new AssertionError("no RoleBinding in " + ns));
      assertEquals(role.path("metadata").path("name").asText(), binding.path("roleRef").path("name").asText());
      assertEquals("Role", binding.path("roleRef").path("kind").asText());
      assertEquals(Chart.NAMESPACE, binding.path("subjects").get(0).path("namespace").asText(),
          "the binding grants the operator's ServiceAccount in the release namespace");
    }
    assertEquals(2, rendered.ofKind("Role").size(), rendered.kinds());
    assertEquals("a,b", env(onlyContainer(rendered.one("Deployment"))).get("WATCH_NAMESPACES").path("value").asText());
  }

  @Test
  void twoReplicasForceLeaderElectionWithALeaseRole() {
    Chart.Rendered rendered = Chart.render("replicaCount: 2\nleaderElection: {enabled: false}\nwatchNamespaces: [a]\n");
    JsonNode deployment = rendered.one("Deployment");
    assertEquals(2, deployment.path("spec").path("replicas").asInt());
    assertEquals("true", env(onlyContainer(deployment)).get("LEADER_ELECTION").path("value").asText());
    assertEquals("RollingUpdate", deployment.path("spec").path("strategy").path("type").asText());

    JsonNode lease = rendered.find("Role", "e2b-operator-leader-election")
        .orElseThrow(() -> new AssertionError("no lease Role: " + rendered.kinds()));
    assertEquals(Chart.NAMESPACE, lease.path("metadata").path("namespace").asText());
    Map<String, Set<String>> leaseRules = rules(lease);
    assertEquals(Map.of("coordination.k8s.io/leases", Set.of("create"),
        "coordination.k8s.io/leases[e2b-operator-leader]", Set.of("get", "patch", "update")), leaseRules);
    JsonNode leaseBinding = rendered.find("RoleBinding", "e2b-operator-leader-election").orElseThrow();
    assertEquals(Chart.NAMESPACE, leaseBinding.path("metadata").path("namespace").asText());

    JsonNode single = Chart.render().one("Deployment");
    assertEquals("Recreate", single.path("spec").path("strategy").path("type").asText(),
        "without leader election an old and a new pod must never overlap");
  }

  @Test
  void monitoringObjectsOnlyWhenEnabled() {
    Chart.Rendered off = Chart.render();
    assertTrue(off.ofKind("ServiceMonitor").isEmpty());
    assertTrue(off.ofKind("PrometheusRule").isEmpty());
    assertTrue(off.ofKind("ConfigMap").isEmpty());
    JsonNode service = off.one("Service");
    assertEquals("metrics", service.path("spec").path("ports").get(0).path("targetPort").asText());

    Chart.Rendered on = Chart.render(Monitoring.ALL_ON);
    JsonNode monitor = on.one("ServiceMonitor");
    assertEquals("monitoring.coreos.com/v1", monitor.path("apiVersion").asText());
    JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
    assertEquals(service.path("spec").path("ports").get(0).path("name").asText(), endpoint.path("port").asText());
    assertEquals("/metrics", endpoint.path("path").asText());
    assertEquals(service.path("metadata").path("labels").path("app.kubernetes.io/name"),
        monitor.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name"));
    assertEquals("monitoring.coreos.com/v1", on.one("PrometheusRule").path("apiVersion").asText());
    assertEquals("1", on.one("ConfigMap").path("metadata").path("labels").path("grafana_dashboard").asText());
  }

  /** Every permission the operator gets, as "group/resource" (or "group/resource[name]") to verbs. */
  static Map<String, Set<String>> rules(JsonNode role) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (JsonNode rule : role.path("rules")) {
      for (String group : texts(rule.path("apiGroups"))) {
        for (String resource : texts(rule.path("resources"))) {
          String key = group + "/" + resource
              + (rule.has("resourceNames") ? texts(rule.path("resourceNames")).toString() : "");
          out.computeIfAbsent(key, k -> new TreeSet<>()).addAll(texts(rule.path("verbs")));
        }
      }
    }
    return out;
  }

  /**
   * The rules as they are today, a readable summary; RbacIT checks them against the requests the operator was seen
   * to send (nothing missing, nothing unused).
   */
  static Map<String, Set<String>> expectedRules() {
    Map<String, Set<String>> expected = new LinkedHashMap<>();
    String g = "e2b.neuraltrader.io/";
    Set<String> reconcile = Set.of("get", "list", "watch", "patch");
    expected.put(g + "e2bsandboxes", Set.of("get", "list", "watch", "patch", "create", "delete", "update"));
    expected.put(g + "tradingagents", Set.of("get", "list", "watch", "patch", "create", "delete"));
    expected.put(g + "sandboxpools", reconcile);
    // The template catalog (in the MCP server) creates deployments.
    expected.put(g + "e2bdeployments", Set.of("get", "list", "watch", "patch", "create"));
    for (String plural : List.of("e2bsandboxes", "sandboxpools", "tradingagents", "e2bdeployments")) {
      expected.put(g + plural + "/status", Set.of("update"));
    }
    for (String owner : List.of("sandboxpools", "tradingagents", "e2bdeployments")) {
      expected.put(g + owner + "/finalizers", Set.of("update"));
    }
    expected.put(g + "e2bdeployments/scale", Set.of("get", "update"));
    // list: the template catalog's versions, selected by label.
    expected.put("/configmaps", Set.of("get", "list", "create", "update", "delete"));
    expected.put("/secrets", Set.of("get"));
    expected.put("/events", Set.of("create", "get", "patch"));
    Map<String, Set<String>> sorted = new LinkedHashMap<>();
    expected.forEach((k, v) -> sorted.put(k, new TreeSet<>(v)));
    return sorted;
  }

  static JsonNode onlyContainer(JsonNode deployment) {
    JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
    assertEquals(1, containers.size());
    return containers.get(0);
  }

  static Map<String, JsonNode> env(JsonNode container) {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    for (JsonNode var : container.path("env")) {
      assertTrue(env.put(var.path("name").asText(), var) == null, "duplicate env " + var.path("name").asText());
    }
    return env;
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String checksum(Chart.Rendered rendered) {
    return rendered.one("Deployment").path("spec").path("template").path("metadata").path("annotations")
        .path("checksum/api-key").asText();
  }
}
