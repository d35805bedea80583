package io.neuraltrader.e2b.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Renders helm/e2b-operator with the embedded Helm library and reads the result as JSON trees. */
final class Chart {
  static final Path DIR = Path.of("helm", "e2b-operator");
  static final String RELEASE = "e2b-operator";
  static final String NAMESPACE = "e2b-system";
  /** The smallest values that render: the API key has no default on purpose. */
  static final String MINIMAL = "e2b:\n  existingSecret: e2b-api-key\n";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Chart() {}

  /**
   * Renders with the chart defaults, then {@link #MINIMAL}, then each of {@code values} (values.yaml fragments; later
   * files win, as with repeated {@code helm template -f}). Values files rather than {@code --set}: the embedded
   * Helm takes --set values as plain strings, so lists and numbers would not arrive as such.
   */
  static Rendered render(String... values) {
    String[] files = new String[values.length + 1];
    files[0] = MINIMAL;
    System.arraycopy(values, 0, files, 1, values.length);
    return new Rendered(parse(renderRaw(files)));
  }

  /** Renders exactly the given values files on top of the chart defaults; throws what Helm reports. */
  static String renderRaw(String... valuesFiles) {
    TemplateCommand cmd = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
    try {
      for (String values : valuesFiles) {
        Path file = Files.createTempFile("values-", ".yaml");
        file.toFile().deleteOnExit();
        Files.writeString(file, values);
        cmd.withValuesFile(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cmd.call();
  }

  static List<JsonNode> parse(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
        continue;
      }
      docs.add(MAPPER.valueToTree(Serialization.unmarshal(doc, Object.class)));
    }
    return docs;
  }

  /** The objects of one render, looked up by kind and name. */
  record Rendered(List<JsonNode> objects) {
    List<JsonNode> ofKind(String kind) {
      return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
      return ofKind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst();
    }

    JsonNode one(String kind) {
      List<JsonNode> all = ofKind(kind);
      if (all.size() != 1) {
        throw new AssertionError("expected one " + kind + ", got " + all.size() + ": " + kinds());
      }
      return all.get(0);
    }

    String kinds() {
      return objects.stream().map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText())
          .collect(Collectors.joining(", "));
    }
  }
}
