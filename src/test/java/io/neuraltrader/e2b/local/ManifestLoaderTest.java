package io.neuraltrader.e2b.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local mode's manifests: every problem is one line naming the file, the line, the object and the field. */
class ManifestLoaderTest {
  private static InMemoryKubernetes kube;

  @TempDir
  Path dir;

  @BeforeAll
  static void api() {
    kube = new InMemoryKubernetes();
  }

  @AfterAll
  static void close() {
    kube.close();
  }

  /** A TradingAgent on one line (flow style), so line numbers in the files below are easy to count. */
  private static String agent(String name, String capital) {
    return "{apiVersion: e2b.neuraltrader.io/v1alpha1, kind: TradingAgent, metadata: {name: " + name + "},"
        + " spec: {strategy: momentum, symbols: [AAPL], capital: " + capital + ", sandbox: {template: {}}}}\n";
  }

  @Test
  void aBadManifestAmongGoodOnesIsReportedAndTheRestApplied() throws Exception {
    Files.writeString(dir.resolve("a-good.yaml"), agent("good-a", "5000"));
    Files.writeString(dir.resolve("b-syntax.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n");
    Files.writeString(dir.resolve("c-schema.yaml"), "# two objects, the second is refused\n"
        + agent("good-c", "5000") + "---\n" + agent("poor", "10"));
    Files.writeString(dir.resolve("d-kind.yml"), "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n");
    Files.writeString(dir.resolve("e-version.yaml"), agent("old", "5000").replace("v1alpha1", "v1beta9"));
    Files.writeString(dir.resolve("notes.txt"), "not a manifest");

    ManifestLoader.Outcome outcome = new ManifestLoader(kube, "default").apply(ManifestLoader.files(dir));

    assertEquals(List.of(dir.resolve("a-good.yaml") + ": TradingAgent \"good-a\"",
        dir.resolve("c-schema.yaml") + ": TradingAgent \"good-c\""), outcome.applied());
    assertNotNull(kube.client().resources(TradingAgent.class).inNamespace("default").withName("good-a").get());
    assertNotNull(kube.client().resources(TradingAgent.class).inNamespace("default").withName("good-c").get());
    List<String> problems = outcome.problems();
    assertEquals(4, problems.size(), String.join("\n", problems));
    problems.forEach(p -> assertFalse(p.contains("\n"), "one line: " + p));
    assertTrue(problems.get(0).startsWith(dir.resolve("b-syntax.yaml") + ":4:") && problems.get(0)
        .contains("YAML syntax error") && problems.get(0).endsWith("(nothing in this file was applied)"),
        problems.get(0));
    // The refused object: file, the line its document starts on, object and field, in the API's words.
    assertTrue(problems.get(1).startsWith(dir.resolve("c-schema.yaml") + ":4: "), problems.get(1));
    assertTrue(problems.get(1).contains("\"poor\"") && problems.get(1).contains("spec.capital"), problems.get(1));
    assertEquals(dir.resolve("d-kind.yml") + ":1: Widget \"w\": kind: unknown kind Widget of apiVersion"
        + " example.com/v1 (local mode serves E2BSandbox, SandboxPool, TradingAgent, E2BDeployment and the"
        + " built-in kinds such as ConfigMap and Secret)", problems.get(2));
    assertEquals(dir.resolve("e-version.yaml") + ":1: TradingAgent \"old\": apiVersion: Unsupported value:"
        + " \"e2b.neuraltrader.io/v1beta9\": supported values: \"e2b.neuraltrader.io/v1alpha1\"", problems.get(3));
  }

  @Test
  void aMissingPathOrAnEmptyDirectoryCannotBeUsed() throws Exception {
    var missing = assertThrows(ManifestLoader.PathProblem.class, () -> ManifestLoader.files(dir.resolve("nope")));
    assertEquals(dir.resolve("nope") + ": no such file or directory (EXAMPLES names a manifest file or a"
        + " directory of them)", missing.getMessage());
    var empty = assertThrows(ManifestLoader.PathProblem.class, () -> ManifestLoader.files(dir));
    assertEquals(dir + ": no .yaml or .yml files in this directory", empty.getMessage());
  }

  @Test
  void builtInKindsAndCommentOnlyDocumentsAreFine() throws Exception {
    Path file = dir.resolve("cm.yaml");
    Files.writeString(file, "# comment only\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: prices}\n"
        + "data: {a: b}\n---\n# trailing comment\n");
    ManifestLoader.Outcome outcome = new ManifestLoader(kube, "default").apply(ManifestLoader.files(file));
    assertEquals(List.of(), outcome.problems());
    assertEquals(List.of(file + ": ConfigMap \"prices\""), outcome.applied());
  }

  @Test
  void aDocumentThatIsNotAnObjectNamesItsLine() throws Exception {
    Path file = dir.resolve("list.yaml");
    Files.writeString(file, "- a\n- b\n---\nkind: ConfigMap\nmetadata: {name: x}\n");
    List<String> problems = new ManifestLoader(kube, "default").apply(List.of(file)).problems();
    assertEquals(List.of(file + ":1: not a Kubernetes object (a YAML mapping with apiVersion, kind and metadata)",
        file + ":4: missing apiVersion (every object needs apiVersion and kind)"), problems);
  }
}
