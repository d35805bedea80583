package io.neuraltrader.e2b.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.neuraltrader.e2b.api.v1alpha1.CrdSchemaFinisher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CRD files shipped in crds/: the generator's output finished by {@link CrdSchemaFinisher}.
 * {@code make crds} writes them through {@link CrdDriftTest}; the same test fails when they drift.
 */
public final class CrdFiles {
  public static final List<String> NAMES = List.of(
      "e2bsandboxes.e2b.neuraltrader.io",
      "sandboxpools.e2b.neuraltrader.io",
      "tradingagents.e2b.neuraltrader.io",
      "e2bdeployments.e2b.neuraltrader.io");

  private CrdFiles() {}

  /** The generated CRD as found on the classpath, before finishing. */
  public static CustomResourceDefinition generated(String name) {
    String path = "META-INF/fabric8/" + name + "-v1.yml";
    try (InputStream in = CrdFiles.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("the CRD generator did not produce " + path);
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CRD as it must appear in crds/ (the build already finished the classpath copy; finishing is idempotent). */
  public static CustomResourceDefinition finished(String name) {
    return CrdSchemaFinisher.finish(generated(name));
  }

  public static String yaml(CustomResourceDefinition crd) {
    return "# Generated from the Java API types by `make crds`; do not edit by hand.\n"
        + Serialization.asYaml(crd);
  }

  public static Path file(Path dir, String name) {
    return dir.resolve(name + "-v1.yml");
  }

  public static CustomResourceDefinition read(Path file) throws IOException {
    return Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
  }
}
