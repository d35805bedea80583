package io.neuraltrader.e2b.local;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Applies the manifests of local mode ({@code EXAMPLES}, a directory or one file) as {@code kubectl apply -f}
 * would, and says what went wrong in one line per problem, naming the file, the line, the object and the field:
 * a YAML syntax error, a document that is not a Kubernetes object, an unknown kind, or the API's refusal
 * (schema, CEL rules, unknown fields). One bad file or object does not stop the others.
 */
public final class ManifestLoader {
  private static final YAMLMapper YAML = new YAMLMapper();

  /** What applying produced: one line per object applied and one line per problem. */
  public record Outcome(List<String> applied, List<String> problems) {
    public int appliedCount() {
      return applied.size();
    }
  }

  /** The path cannot be used at all (missing, unreadable, no manifests): local mode cannot start with it. */
  public static final class PathProblem extends Exception {
    PathProblem(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final String namespace;

  /** Applies through {@code client}, to any API server (in-memory or real). */
  public ManifestLoader(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  public ManifestLoader(InMemoryKubernetes kube, String namespace) {
    this(kube.client(), namespace);
  }

  /**
   * The manifest files of a path in name order: the path itself, or the .yaml and .yml files of a directory (not
   * its subdirectories).
   */
  public static List<Path> files(Path path) throws PathProblem {
    if (!Files.exists(path)) {
      throw new PathProblem(path + ": no such file or directory (EXAMPLES names a manifest file or a directory of"
          + " them)");
    }
    if (!Files.isDirectory(path)) {
      if (!Files.isReadable(path)) {
        throw new PathProblem(path + ": cannot be read");
      }
      return List.of(path);
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(path)) {
      files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new PathProblem(path + ": cannot list the directory: " + e.getMessage());
    }
    if (files.isEmpty()) {
      throw new PathProblem(path + ": no .yaml or .yml files in this directory");
    }
    return files;
  }

  /** Applies every file; problems are collected, never thrown. */
  public Outcome apply(List<Path> files) {
    List<String> applied = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      applyFile(file, applied, problems);
    }
    return new Outcome(List.copyOf(applied), List.copyOf(problems));
  }

  private void applyFile(Path file, List<String> applied, List<String> problems) {
    List<Document> documents;
    try {
      documents = parse(Files.readString(file));
    } catch (NoSuchFileException e) {
      problems.add(file + ": no such file");
      return;
    } catch (IOException e) {
      problems.add(file + ": cannot be read: " + oneLine(e.getMessage()));
      return;
    } catch (SyntaxError e) {
      // Nothing of a file that does not parse is applied: which documents were meant is unclear.
      problems.add(file + ":" + e.line + (e.column > 0 ? ":" + e.column : "") + ": YAML syntax error: "
          + e.getMessage() + " (nothing in this file was applied)");
      return;
    }
    for (Document document : documents) {
      String where = file + ":" + document.line() + ": ";
      String problem = check(document.node());
      if (problem != null) {
        problems.add(where + problem);
        continue;
      }
      JsonNode node = document.node();
      String object = node.path("kind").asText() + " " + quote(node.path("metadata").path("name").asText());
      try {
        applyObject(client, node, namespace);
        applied.add(file + ": " + object);
      } catch (InMemoryKubernetes.AdmissionException e) {
        String message = oneLine(e.getMessage());
        // The API's message names the object ("TradingAgent.e2b.neuraltrader.io \"x\" is invalid: spec...").
        problems.add(where + (message.contains(quote(node.path("metadata").path("name").asText())) ? message
            : object + ": " + message));
      } catch (KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
            : e.getMessage();
        problems.add(where + object + ": the API refused it: " + oneLine(message));
      } catch (RuntimeException e) {
        problems.add(where + object + ": " + oneLine(String.valueOf(e.getMessage())));
      }
    }
  }

  /**
   * Creates (or replaces) one object, in {@code namespace} unless it names its own, as {@code kubectl apply}
   * would: custom resources go to the API as written (generic, so that unknown fields reach the server, which
   * refuses them under strict field validation) and come back as their Java type with the schema's defaults; a
   * refusal is an {@link InMemoryKubernetes.AdmissionException} with the server's message.
   */
  public static HasMetadata applyObject(KubernetesClient client, JsonNode node, String namespace) {
    String kind = node.path("kind").asText();
    Class<? extends HasMetadata> type = InMemoryKubernetes.KINDS.stream().filter(k -> k.getSimpleName().equals(kind))
        .findFirst().orElse(null);
    if (type == null) {
      HasMetadata object = Serialization.unmarshal(node.toString());
      if (object.getMetadata().getNamespace() == null) {
        object.getMetadata().setNamespace(namespace);
      }
      return client.resource(object).createOr(existing -> existing.update());
    }
    GenericKubernetesResource object = JSON.convertValue(node, GenericKubernetesResource.class);
    if (object.getMetadata().getNamespace() == null) {
      object.getMetadata().setNamespace(namespace);
    }
    try {
      GenericKubernetesResource stored = client.resource(object)
          .fieldValidation(FieldValidateable.Validation.STRICT)
          .createOr(existing -> existing.update());
      return JSON.convertValue(JSON.valueToTree(stored), type);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 422 || e.getCode() == 400) {
        throw new InMemoryKubernetes.AdmissionException(e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage() : e.getMessage());
      }
      throw e;
    }
  }

  /** Why a parsed document is not an object local mode can apply, or null. */
  private static String check(JsonNode node) {
    if (!node.isObject()) {
      return "not a Kubernetes object (a YAML mapping with apiVersion, kind and metadata)";
    }
    String kind = node.path("kind").asText("");
    String apiVersion = node.path("apiVersion").asText("");
    String name = node.path("metadata").path("name").asText("");
    if (kind.isEmpty() || apiVersion.isEmpty()) {
      return "missing " + (kind.isEmpty() ? "kind" : "apiVersion") + " (every object needs apiVersion and kind)";
    }
    String object = kind + " " + quote(name);
    boolean ours = InMemoryKubernetes.KINDS.stream().anyMatch(k -> k.getSimpleName().equals(kind));
    String version = ApiConstants.API_VERSION;
    if (ours && !apiVersion.equals(version)) {
      return object + ": apiVersion: Unsupported value: " + quote(apiVersion) + ": supported values: "
          + quote(version);
    }
    if (!ours && unknownToFabric8(node)) {
      return object + ": kind: unknown kind " + kind + " of apiVersion " + apiVersion + " (local mode serves "
          + InMemoryKubernetes.KINDS.stream().map(Class::getSimpleName).collect(Collectors.joining(", "))
          + " and the built-in kinds such as ConfigMap and Secret)";
    }
    if (name.isEmpty()) {
      return kind + ": metadata.name: Required value: name is required";
    }
    return null;
  }

  private static boolean unknownToFabric8(JsonNode node) {
    try {
      return Serialization.unmarshal(node.toString()) instanceof GenericKubernetesResource;
    } catch (RuntimeException e) {
      return true;
    }
  }

  private record Document(int line, JsonNode node) {}

  private static final class SyntaxError extends Exception {
    final int line;
    final int column;

    SyntaxError(String message, int line, int column) {
      super(message);
      this.line = line;
      this.column = column;
    }
  }

  /** The documents of a multi-document YAML text with the line each starts on; empty documents are skipped. */
  static List<Document> parse(String text) throws SyntaxError {
    List<Document> documents = new ArrayList<>();
    try (JsonParser parser = YAML.createParser(text)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        int line = parser.currentTokenLocation().getLineNr();
        JsonNode node = YAML.readTree(parser);
        if (token == JsonToken.VALUE_NULL || node == null || node.isNull() || node.isMissingNode()) {
          continue;
        }
        documents.add(new Document(line, node));
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new SyntaxError(syntaxMessage(e), at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr());
    } catch (IOException e) {
      throw new SyntaxError(oneLine(String.valueOf(e.getMessage())), 0, 0);
    }
    return documents;
  }

  /** The parser's own words without the excerpt of the text it appends ("in reader, line 3, ..."). */
  private static String syntaxMessage(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    int excerpt = message.indexOf("\n in ");
    return oneLine(excerpt > 0 ? message.substring(0, excerpt) : message);
  }

  static String oneLine(String text) {
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
