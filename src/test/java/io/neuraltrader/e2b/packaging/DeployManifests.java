package io.neuraltrader.e2b.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What deploy/ must contain, derived from the chart and the repository's own files. {@link DeployManifestsTest}
 * compares deploy/ with it and, with {@code -Ddeploy.update=true}, writes it.
 */
final class DeployManifests {
  static final Path DEPLOY = Path.of("deploy");
  static final Path CRDS = Path.of("crds");
  static final Path ARGOCD = DEPLOY.resolve("argocd");
  static final Path HEALTH = ARGOCD.resolve("health");
  static final Path ARGOCD_CM = ARGOCD.resolve("argocd-cm-health.yaml");
  static final List<String> KINDS = List.of("E2BSandbox", "SandboxPool", "TradingAgent", "E2BDeployment");

  /** Labels that describe the Helm release, not the objects: kubectl-applied manifests must not claim Helm. */
  static final Set<String> HELM_LABELS = Set.of("helm.sh/chart", "app.kubernetes.io/managed-by");

  /** Which generated file each rendered kind goes to; a kind missing here fails the check. */
  static final Map<String, String> FILE_OF_KIND = Map.of(
      "ServiceAccount", "operator.yaml",
      "Deployment", "operator.yaml",
      "Service", "operator.yaml",
      "ClusterRole", "rbac.yaml",
      "ClusterRoleBinding", "rbac.yaml",
      "Role", "rbac.yaml",
      "RoleBinding", "rbac.yaml",
      "ValidatingAdmissionPolicy", "admission.yaml",
      "ValidatingAdmissionPolicyBinding", "admission.yaml");

  static final String HEADER = """
      # Generated from helm/e2b-operator (default values, release e2b-operator, namespace e2b-system,
      # e2b.existingSecret=e2b-api-key) by DeployManifestsTest; do not edit by hand. Regenerate with:
      #   mvn -q test -Dtest=DeployManifestsTest -Ddeploy.update=true -Dsurefire.failIfNoSpecifiedTests=false
      """;

  private DeployManifests() {}

  /** The chart's objects for deploy/, grouped by file name, with the Helm release labels removed. */
  static Map<String, List<JsonNode>> operatorFiles() {
    Map<String, List<JsonNode>> files = new LinkedHashMap<>();
    files.put("rbac.yaml", new ArrayList<>());
    files.put("operator.yaml", new ArrayList<>());
    files.put("admission.yaml", new ArrayList<>());
    for (JsonNode object : Chart.render().objects()) {
      String kind = object.path("kind").asText();
      String file = FILE_OF_KIND.get(kind);
      if (file == null) {
        throw new AssertionError("the chart renders a " + kind + " that no file under deploy/ takes");
      }
      files.get(file).add(withoutHelmLabels(object));
    }
    return files;
  }

  static JsonNode withoutHelmLabels(JsonNode object) {
    ObjectNode copy = object.deepCopy();
    stripLabels(copy.path("metadata"));
    stripLabels(copy.path("spec").path("template").path("metadata"));
    return copy;
  }

  private static void stripLabels(JsonNode metadata) {
    if (metadata.path("labels") instanceof ObjectNode labels) {
      labels.remove(HELM_LABELS);
    }
  }

  static String yaml(List<JsonNode> objects) {
    StringBuilder out = new StringBuilder(HEADER);
    objects.forEach(o -> out.append(Serialization.asYaml(o)));
    return out.toString();
  }

  static List<Path> crdFiles() throws IOException {
    try (Stream<Path> files = Files.list(CRDS)) {
      return files.filter(f -> f.getFileName().toString().endsWith("-v1.yml")).sorted().toList();
    }
  }

  static Path healthScript(String kind) {
    return HEALTH.resolve(kind + ".lua");
  }

  static String healthKey(String kind) {
    return "resource.customizations.health.e2b.neuraltrader.io_" + kind;
  }

  /** The argocd-cm patch: each health script embedded verbatim as a literal block. */
  static String argocdConfigMap() throws IOException {
    StringBuilder out = new StringBuilder("""
        # Argo CD health checks for the e2b.neuraltrader.io kinds, merged into Argo CD's argocd-cm:
        #   kubectl -n argocd patch configmap argocd-cm --type merge --patch-file deploy/argocd/argocd-cm-health.yaml
        # or list this file under `patches:` of the kustomization that installs Argo CD.
        # Generated from deploy/argocd/health/*.lua by DeployManifestsTest; edit the .lua files, then regenerate:
        #   mvn -q test -Dtest=DeployManifestsTest -Ddeploy.update=true -Dsurefire.failIfNoSpecifiedTests=false
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: argocd-cm
          namespace: argocd
          labels:
            app.kubernetes.io/name: argocd-cm
            app.kubernetes.io/part-of: argocd
        data:
        """);
    for (String kind : KINDS) {
      String script = Files.readString(healthScript(kind));
      if (!script.endsWith("\n") || script.endsWith("\n\n")) {
        // A literal block ("|") keeps exactly one final newline: anything else would not round-trip.
        throw new AssertionError(healthScript(kind) + " must end with exactly one newline");
      }
      out.append("  ").append(healthKey(kind)).append(": |\n");
      script.lines().forEach(l -> out.append(l.isEmpty() ? "" : "    " + l).append('\n'));
    }
    return out.toString();
  }
}
