package io.neuraltrader.e2b.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/ is the chart rendered with its defaults: the two cannot drift apart. {@code -Ddeploy.update=true}
 * rewrites the generated files first (see deploy/README.md).
 */
class DeployManifestsTest {
  private static final boolean UPDATE = Boolean.getBoolean("deploy.update");
  private static final String REGENERATE =
      ": regenerate deploy/ with `mvn -q test -Dtest=DeployManifestsTest -Ddeploy.update=true "
          + "-Dsurefire.failIfNoSpecifiedTests=false` and commit it";

  @Test
  void operatorAndRbacManifestsAreTheRenderedChart() throws IOException {
    for (Map.Entry<String, List<JsonNode>> file : DeployManifests.operatorFiles().entrySet()) {
      Path path = DeployManifests.DEPLOY.resolve(file.getKey());
      if (UPDATE) {
        Files.writeString(path, DeployManifests.yaml(file.getValue()));
      }
      assertTrue(Files.exists(path), path + " is missing" + REGENERATE);
      List<JsonNode> committed = Chart.parse(Files.readString(path)).stream()
          .map(DeployManifests::withoutHelmLabels).toList();
      assertEquals(file.getValue(), committed, path + " differs from the chart" + REGENERATE);
      assertFalse(Files.readString(path).contains("helm.sh/chart"), path + " must not carry Helm labels");
    }
  }

  @Test
  void crdCopiesAreIdenticalToTheTopLevelCrds() throws IOException {
    Path copies = DeployManifests.DEPLOY.resolve("crds");
    List<Path> sources = DeployManifests.crdFiles();
    assertEquals(4, sources.size(), "crds/ holds the four CRDs");
    if (UPDATE) {
      Files.createDirectories(copies);
      for (Path source : sources) {
        Files.copy(source, copies.resolve(source.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    for (Path source : sources) {
      Path copy = copies.resolve(source.getFileName());
      assertTrue(Files.exists(copy), copy + " is missing" + REGENERATE);
      assertEquals(Files.readString(source), Files.readString(copy), copy + " differs from " + source + REGENERATE);
    }
    try (var files = Files.list(copies)) {
      assertEquals(sources.size(), files.count(), copies + " holds only copies of crds/");
    }
  }

  @Test
  void argocdConfigMapEmbedsTheLuaFilesExactly() throws IOException {
    if (UPDATE) {
      Files.writeString(DeployManifests.ARGOCD_CM, DeployManifests.argocdConfigMap());
    }
    JsonNode cm = Serialization.unmarshal(Files.readString(DeployManifests.ARGOCD_CM), JsonNode.class);
    assertEquals("argocd-cm", cm.path("metadata").path("name").asText());
    assertEquals("argocd", cm.path("metadata").path("namespace").asText());
    assertEquals(DeployManifests.KINDS.size(), cm.path("data").size(), "one health check per kind, nothing else");
    for (String kind : DeployManifests.KINDS) {
      String key = DeployManifests.healthKey(kind);
      assertTrue(cm.path("data").has(key), DeployManifests.ARGOCD_CM + " lacks " + key + REGENERATE);
      assertEquals(Files.readString(DeployManifests.healthScript(kind)), cm.path("data").path(key).asText(),
          key + " differs from " + DeployManifests.healthScript(kind) + REGENERATE);
    }
  }

  @Test
  void kustomizationAppliesNamespaceCrdsRbacAndOperator() throws IOException {
    JsonNode kustomization = Serialization.unmarshal(
        Files.readString(DeployManifests.DEPLOY.resolve("kustomization.yaml")), JsonNode.class);
    List<String> expected = new ArrayList<>();
    expected.add("namespace.yaml");
    DeployManifests.crdFiles().forEach(f -> expected.add("crds/" + f.getFileName()));
    expected.add("rbac.yaml");
    expected.add("operator.yaml");
    expected.add("admission.yaml");
    List<String> resources = new ArrayList<>();
    kustomization.path("resources").forEach(r -> resources.add(r.asText()));
    assertEquals(expected, resources, "deploy/kustomization.yaml resources");
    for (String resource : resources) {
      assertTrue(Files.exists(DeployManifests.DEPLOY.resolve(resource)), "deploy/" + resource + " exists");
    }

    JsonNode namespace = Serialization.unmarshal(
        Files.readString(DeployManifests.DEPLOY.resolve("namespace.yaml")), JsonNode.class);
    assertEquals("Namespace", namespace.path("kind").asText());
    assertEquals(Chart.NAMESPACE, namespace.path("metadata").path("name").asText(),
        "the namespace deploy/ creates is the one its objects were rendered into");
    // The operator pod satisfies the restricted Pod Security Standard; the namespace enforces it.
    assertEquals("restricted",
        namespace.path("metadata").path("labels").path("pod-security.kubernetes.io/enforce").asText());
  }

  @Test
  void argocdApplicationsSyncTheChartAndToleratesKubectlScale() throws IOException {
    List<JsonNode> apps = Chart.parse(Files.readString(DeployManifests.ARGOCD.resolve("application.yaml")));
    assertEquals(2, apps.size());
    for (JsonNode app : apps) {
      assertEquals("Application", app.path("kind").asText());
      JsonNode sync = app.path("spec").path("syncPolicy");
      assertTrue(sync.path("automated").path("prune").asBoolean(), "prune");
      assertTrue(sync.path("automated").path("selfHeal").asBoolean(), "selfHeal");
      List<String> options = ChartTest.texts(sync.path("syncOptions"));
      assertTrue(options.contains("ServerSideApply=true"), options.toString());
      String path = app.path("spec").path("source").path("path").asText();
      assertTrue(Files.isDirectory(Path.of(path)), "source path " + path + " exists in this repository");
    }
    JsonNode operator = apps.get(0);
    assertEquals(Chart.DIR.toString(), operator.path("spec").path("source").path("path").asText());
    assertEquals(Chart.NAMESPACE, operator.path("spec").path("destination").path("namespace").asText());

    JsonNode trading = apps.get(1);
    assertTrue(ChartTest.texts(trading.path("spec").path("syncPolicy").path("syncOptions"))
        .contains("RespectIgnoreDifferences=true"), "a sync must not undo a kubectl scale");
    List<String> ignored = new ArrayList<>();
    trading.path("spec").path("ignoreDifferences").forEach(d -> ignored.add(
        d.path("group").asText() + "/" + d.path("kind").asText() + ChartTest.texts(d.path("jsonPointers"))));
    assertEquals(List.of("e2b.neuraltrader.io/E2BDeployment[/spec/replicas]",
        "e2b.neuraltrader.io/SandboxPool[/spec/replicas]"), ignored);
  }
}
