package io.neuraltrader.e2b.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.neuraltrader.e2b.testing.ApiAccess;
import io.neuraltrader.e2b.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The chart's and deploy/'s RBAC is exactly what the operator uses. The end-to-end tests record every permission
 * behind the operator's Kubernetes requests ({@link ApiAccess}: verb, group, resource, subresource, namespace,
 * name; target/rbac-requests/); this test renders the chart in each mode and reads deploy/rbac.yaml, and fails
 * when a rule is missing for a recorded request (the operator would get 403 there) and when a rule grants what no
 * request used (least privilege).
 *
 * <p>Which verbs the operator needs does not depend on the namespaces it watches; the scope does. So every rule
 * must be used by some run, and each run's requests must be granted by the rules of its own mode: a run that
 * watched all namespaces against the ClusterRole, a run that watched some against the per-namespace Roles (never
 * a request outside them), leader-election runs against the lease Role in the release namespace.
 *
 * <p>Runs last in `mvn verify` (see pom.xml): after surefire's tests and the process-level ITs have recorded. With
 * E2B_TEST_KUBECONFIG (tests on a real cluster, where the mock-only tests skip) only missing rules fail it.
 */
@Order(Integer.MAX_VALUE)
class RbacIT {
  private static final String WATCHED = "team-a";
  /** Granted to every authenticated client by Kubernetes' default ClusterRoles (system:basic-user, discovery). */
  private static final Set<String> DEFAULT_GRANTS = Set.of(
      "create authorization.k8s.io/selfsubjectrulesreviews", "create authorization.k8s.io/selfsubjectaccessreviews",
      "get /version", "get /api", "get /apis", "get /openapi/v2", "get /openapi/v3");

  private static List<ApiAccess> records;

  /** One RBAC rule: a verb on group/resource, in a namespace (null: a ClusterRole), maybe limited to names. */
  record Grant(String namespace, String verb, String groupResource, Set<String> names) {
    boolean covers(ApiAccess a, String namespace) {
      return verb.equals(a.verb()) && groupResource.equals(a.groupResource())
          && (this.namespace == null || this.namespace.equals(namespace))
          && (names.isEmpty() || names.contains(a.name()));
    }

    boolean usedBy(ApiAccess a) {
      return verb.equals(a.verb()) && groupResource.equals(a.groupResource())
          && (names.isEmpty() || names.contains(a.name()));
    }

    @Override
    public String toString() {
      return (namespace == null ? "ClusterRole" : "Role in " + namespace) + ": " + verb + " " + groupResource
          + (names.isEmpty() ? "" : " " + names);
    }
  }

  @BeforeAll
  static void read() throws IOException {
    String selection = System.getProperty("rbac.surefireSelection", "");
    assumeTrue(selection.isBlank(), "surefire ran only -Dtest=" + selection
        + ": the RBAC check needs the records of the whole suite (mvn verify)");
    records = ApiAccess.readAll().stream().map(ApiAccess.Recorded::access).distinct().toList();
    assertFalse(records.isEmpty(), "no records in " + ApiAccess.DIR + ": the end-to-end tests record the operator's"
        + " requests there");
  }

  @Test
  void everyModeWasRecorded() throws IOException {
    assertTrue(records.stream().anyMatch(a -> a.watch().equals(ApiAccess.ALL_NAMESPACES)),
        "a run watching all namespaces");
    assertTrue(records.stream().anyMatch(a -> !a.watch().equals(ApiAccess.ALL_NAMESPACES)),
        "a run watching its own namespace");
    assertTrue(records.stream().anyMatch(ApiAccess::leaderElection), "a run with leader election");
    Set<String> sources = ApiAccess.readAll().stream().map(ApiAccess.Recorded::source).collect(Collectors.toSet());
    assertTrue(sources.contains("ClusterModeIT"), "the packaged jar's requests (ClusterModeIT) in " + sources);
  }

  @Test
  void clusterWideChartGrantsExactlyWhatIsUsed() {
    check("chart, all namespaces", grants(Chart.render()), true, false);
  }

  @Test
  void clusterWideChartWithLeaderElectionGrantsExactlyWhatIsUsed() {
    check("chart, all namespaces, leader election", grants(Chart.render("leaderElection: {enabled: true}\n")),
        true, true);
  }

  @Test
  void namespacedChartGrantsExactlyWhatIsUsed() {
    check("chart, watchNamespaces", grants(Chart.render("watchNamespaces: [" + WATCHED + "]\n")), false, false);
  }

  @Test
  void namespacedChartWithLeaderElectionGrantsExactlyWhatIsUsed() {
    check("chart, watchNamespaces, leader election",
        grants(Chart.render("watchNamespaces: [" + WATCHED + "]\nreplicaCount: 2\n")), false, true);
  }

  @Test
  void plainManifestsGrantExactlyWhatIsUsed() throws IOException {
    List<JsonNode> objects = Chart.parse(Files.readString(Path.of("deploy", "rbac.yaml")));
    check("deploy/rbac.yaml", grants(new Chart.Rendered(objects)), true, false);
  }

  @Test
  void secretsAreReadOnlyByName() {
    Set<String> verbs = grants(Chart.render()).stream().filter(g -> g.groupResource().equals("/secrets"))
        .map(Grant::verb).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of("get"), verbs, "Secrets: get by name only, never list or watch across namespaces");
  }

  /**
   * {@code watchAll}: the render's mode (ClusterRole vs per-namespace Roles); {@code leaderElection}: whether it
   * has the lease Role.
   */
  private static void check(String what, List<Grant> grants, boolean watchAll, boolean leaderElection) {
    java.util.Map<String, String> missing = new java.util.TreeMap<>();
    for (ApiAccess a : records) {
      boolean sameMode = a.watch().equals(ApiAccess.ALL_NAMESPACES) == watchAll;
      if (!sameMode || (a.leaderElection() && !leaderElection) || isDefault(a)) {
        continue;
      }
      String namespace = renderedNamespace(a);
      if (grants.stream().noneMatch(g -> g.covers(a, namespace))) {
        // One line per permission, with one example object.
        missing.putIfAbsent(a.verb() + " " + a.groupResource() + " in "
            + (namespace.isEmpty() ? "all namespaces" : namespace) + " (" + a.origin() + ", watch " + a.watch() + ")",
            a.name().isEmpty() ? "" : ", e.g. " + a.name());
      }
    }
    List<String> unused = new ArrayList<>();
    // On a real cluster the tests that need the in-memory API skip themselves, so some rules may see no use there.
    boolean complete = System.getenv(TestCluster.KUBECONFIG_ENV) == null;
    for (Grant g : complete ? grants : List.<Grant>of()) {
      boolean lease = g.groupResource().equals("coordination.k8s.io/leases");
      if (records.stream().filter(a -> !lease || a.leaderElection()).noneMatch(g::usedBy)) {
        unused.add(g.toString());
      }
    }
    assertTrue(missing.isEmpty() && unused.isEmpty(), what + ":\n  not granted but used:\n    "
        + missing.entrySet().stream().map(e -> e.getKey() + e.getValue()).collect(Collectors.joining("\n    "))
        + "\n  granted but never used:\n    "
        + String.join("\n    ", new TreeSet<>(unused)));
  }

  private static boolean isDefault(ApiAccess a) {
    return DEFAULT_GRANTS.contains(a.verb() + " " + a.groupResource())
        || a.nonResource() && DEFAULT_GRANTS.contains(a.verb() + " " + a.resource());
  }

  /** Where the request would go in the rendered install: leases in the release namespace, the rest watched. */
  private static String renderedNamespace(ApiAccess a) {
    if (a.namespace().isEmpty()) {
      return "";
    }
    return a.groupResource().equals("coordination.k8s.io/leases") ? Chart.NAMESPACE : WATCHED;
  }

  /** Every rule of the render's ClusterRoles and Roles that is bound to the operator's ServiceAccount. */
  static List<Grant> grants(Chart.Rendered rendered) {
    List<Grant> out = new ArrayList<>();
    for (String kind : List.of("ClusterRole", "Role")) {
      for (JsonNode role : rendered.ofKind(kind)) {
        String namespace = kind.equals("Role") ? role.path("metadata").path("namespace").asText() : null;
        assertTrue(bound(rendered, kind, role), kind + " " + role.path("metadata").path("name").asText()
            + " is bound to the operator's ServiceAccount");
        for (JsonNode rule : role.path("rules")) {
          Set<String> names = texts(rule.path("resourceNames"));
          for (String group : texts(rule.path("apiGroups"))) {
            for (String resource : texts(rule.path("resources"))) {
              for (String verb : texts(rule.path("verbs"))) {
                out.add(new Grant(namespace, verb, group + "/" + resource, names));
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static boolean bound(Chart.Rendered rendered, String kind, JsonNode role) {
    String bindingKind = kind.equals("Role") ? "RoleBinding" : "ClusterRoleBinding";
    String name = role.path("metadata").path("name").asText();
    String namespace = role.path("metadata").path("namespace").asText();
    return rendered.ofKind(bindingKind).stream().anyMatch(b -> b.path("roleRef").path("kind").asText().equals(kind)
        && b.path("roleRef").path("name").asText().equals(name)
        && b.path("metadata").path("namespace").asText().equals(namespace)
        && b.path("subjects").get(0).path("name").asText().equals("e2b-operator")
        && b.path("subjects").get(0).path("namespace").asText().equals(Chart.NAMESPACE));
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> out = new TreeSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
