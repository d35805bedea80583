package io.neuraltrader.e2b.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Field and label selectors of list and watch requests, matched as the API server does: field selectors name
 * fields the kind supports ({@code metadata.name}, an event's {@code involvedObject.uid}, ...) with {@code =},
 * {@code ==}, {@code !=}; label selectors also take set requirements ({@code in}, {@code notin}, {@code k},
 * {@code !k}).
 */
final class Selectors {
  private static final Pattern SET = Pattern.compile("^\\s*([^\\s!=]+)\\s+(in|notin)\\s+\\(([^)]*)\\)\\s*$");

  /** One requirement: key, operator (=, !=, in, notin, exists, !exists) and values. */
  record Requirement(String key, String op, List<String> values) {
    boolean matches(String value) {
      return switch (op) {
        case "=" -> values.get(0).equals(value == null ? "" : value);
        case "!=" -> !values.get(0).equals(value == null ? "" : value);
        case "in" -> value != null && values.contains(value);
        case "notin" -> value == null || !values.contains(value);
        case "exists" -> value != null;
        default -> value == null;
      };
    }
  }

  private final List<Requirement> fields;
  private final List<Requirement> labels;

  private Selectors(List<Requirement> fields, List<Requirement> labels) {
    this.fields = fields;
    this.labels = labels;
  }

  /**
   * Parses both selectors of a request; a field the kind does not support is an IllegalArgumentException
   * with the server's message.
   */
  static Selectors parse(String fieldSelector, String labelSelector, Set<String> supportedFields) {
    List<Requirement> fields = new ArrayList<>();
    for (String term : split(fieldSelector)) {
      Requirement r = equality(term);
      if (r == null) {
        throw new IllegalArgumentException("invalid field selector: '" + term + "'");
      }
      if (!supportedFields.contains(r.key())) {
        throw new IllegalArgumentException("field label not supported: " + r.key());
      }
      fields.add(r);
    }
    List<Requirement> labels = new ArrayList<>();
    for (String term : split(labelSelector)) {
      Matcher set = SET.matcher(term);
      Requirement r;
      if (set.matches()) {
        List<String> values = new ArrayList<>();
        for (String v : set.group(3).split(",")) {
          if (!v.isBlank()) {
            values.add(v.trim());
          }
        }
        r = new Requirement(set.group(1), set.group(2), values);
      } else if (term.trim().startsWith("!")) {
        r = new Requirement(term.trim().substring(1).trim(), "!exists", List.of());
      } else {
        r = equality(term);
        if (r == null) {
          r = new Requirement(term.trim(), "exists", List.of());
        }
      }
      labels.add(r);
    }
    return new Selectors(fields, labels);
  }

  /** The value of {@code metadata.name=x}, when the field selector names one object. */
  String name() {
    return fields.stream().filter(r -> r.key().equals("metadata.name") && r.op().equals("=")).map(r -> r.values().get(0))
        .findFirst().orElse(null);
  }

  boolean matches(JsonNode object) {
    for (Requirement r : fields) {
      if (!r.matches(field(object, r.key()))) {
        return false;
      }
    }
    JsonNode objectLabels = object.path("metadata").path("labels");
    for (Requirement r : labels) {
      JsonNode value = objectLabels.get(r.key());
      if (!r.matches(value == null || value.isNull() ? null : value.asText())) {
        return false;
      }
    }
    return true;
  }

  /** A field's value as the server's field set has it ("source" is the reporting component of an event). */
  private static String field(JsonNode object, String key) {
    String path = key.equals("source") ? "source.component" : key;
    JsonNode node = object;
    for (String part : path.split("\\.")) {
      node = node.path(part);
    }
    return node.isMissingNode() || node.isNull() ? "" : node.asText();
  }

  private static Requirement equality(String term) {
    String t = term.trim();
    int ne = t.indexOf("!=");
    if (ne > 0) {
      return new Requirement(t.substring(0, ne).trim(), "!=", List.of(t.substring(ne + 2).trim()));
    }
    int eq2 = t.indexOf("==");
    if (eq2 > 0) {
      return new Requirement(t.substring(0, eq2).trim(), "=", List.of(t.substring(eq2 + 2).trim()));
    }
    int eq = t.indexOf('=');
    if (eq > 0) {
      return new Requirement(t.substring(0, eq).trim(), "=", List.of(t.substring(eq + 1).trim()));
    }
    return null;
  }

  /** Splits on commas outside parentheses. */
  private static List<String> split(String selector) {
    List<String> terms = new ArrayList<>();
    if (selector == null || selector.isBlank()) {
      return terms;
    }
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        terms.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(selector.substring(start));
    terms.removeIf(String::isBlank);
    return terms;
  }
}
