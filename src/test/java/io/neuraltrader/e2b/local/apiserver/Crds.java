package io.neuraltrader.e2b.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The operator's generated CRDs, as the in-memory API stores them. */
final class Crds {
  private Crds() {}

  static CustomResourceDefinition load(String plural) {
    String path = "META-INF/fabric8/" + plural + ".e2b.neuraltrader.io-v1.yml";
    try (InputStream in = Crds.class.getClassLoader().getResourceAsStream(path)) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every {@code $ref} in a document. */
  static List<String> refs(JsonNode node) {
    List<String> refs = new ArrayList<>();
    if (node.isObject()) {
      node.fields().forEachRemaining(f -> {
        if (f.getKey().equals("$ref")) {
          refs.add(f.getValue().asText());
        } else {
          refs.addAll(refs(f.getValue()));
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> refs.addAll(refs(n)));
    }
    return refs;
  }

  static List<CustomResourceDefinition> all() {
    return List.of(load("e2bsandboxes"), load("sandboxpools"), load("tradingagents"), load("e2bdeployments"));
  }
}
