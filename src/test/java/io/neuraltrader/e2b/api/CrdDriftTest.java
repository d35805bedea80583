package io.neuraltrader.e2b.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** crds/ must be exactly what the generator (plus the printer columns) produces from the Java types. */
class CrdDriftTest {
  private static final Path CRDS = Path.of("crds");

  @Test
  void committedCrdsMatchTheGenerator() throws IOException {
    boolean update = Boolean.getBoolean("crds.update");
    if (update) {
      Files.createDirectories(CRDS);
    }
    for (String name : CrdFiles.NAMES) {
      CustomResourceDefinition expected = CrdFiles.finished(name);
      Path file = CrdFiles.file(CRDS, name);
      if (update) {
        Files.writeString(file, CrdFiles.yaml(expected));
      }
      assertTrue(Files.exists(file), file + " is missing: run `make crds`");
      assertEquals(expected, CrdFiles.read(file),
          file + " differs from the Java API types: run `make crds` and commit crds/");
    }
    try (var files = Files.list(CRDS)) {
      assertEquals(CrdFiles.NAMES.size(), files.count(), "crds/ holds exactly the four CRDs");
    }
  }
}
