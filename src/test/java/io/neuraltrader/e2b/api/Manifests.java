package io.neuraltrader.e2b.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads multi-document YAML manifests as JSON trees. */
public final class Manifests {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Manifests() {}

  public static List<JsonNode> read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  public static List<JsonNode> parse(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
        continue;
      }
      Object parsed = Serialization.unmarshal(doc, Object.class);
      docs.add(MAPPER.valueToTree(parsed));
    }
    return docs;
  }

  public static ObjectNode single(String yaml) {
    List<JsonNode> docs = parse(yaml);
    if (docs.size() != 1) {
      throw new IllegalArgumentException("expected one document, got " + docs.size());
    }
    return (ObjectNode) docs.get(0);
  }
}
