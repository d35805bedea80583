package io.neuraltrader.e2b.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSONPath of a CRD's additionalPrinterColumns, evaluated as the API server does (missing keys allowed:
 * they yield no result): fields ({@code .status.phase}, {@code ['a.b']}), indexes ({@code [0]}, {@code [-1]}),
 * wildcards ({@code [*]}, {@code .*}) and filters ({@code [?(@.type=="Ready")]}, {@code [?(@.ready)]}).
 */
public final class JsonPath {
  private sealed interface Step permits Field, Index, Wildcard, Filter {}

  private record Field(String name) implements Step {}

  private record Index(int index) implements Step {}

  private record Wildcard() implements Step {}

  /** {@code @.path op literal}, or {@code @.path} alone (exists); {@code op} null for existence. */
  private record Filter(JsonPath path, String op, JsonNode literal) implements Step {}

  private final String text;
  private final List<Step> steps;

  private JsonPath(String text, List<Step> steps) {
    this.text = text;
    this.steps = steps;
  }

  /** Parses {@code .a.b[0]} (optionally wrapped in braces, as kubectl writes it). */
  public static JsonPath parse(String text) {
    String path = text.trim();
    if (path.startsWith("{") && path.endsWith("}")) {
      path = path.substring(1, path.length() - 1).trim();
    }
    Parser parser = new Parser(path);
    List<Step> steps = parser.steps();
    return new JsonPath(text, steps);
  }

  /** Every value the path selects in {@code root}, in document order; empty when a key is missing. */
  public List<JsonNode> evaluate(JsonNode root) {
    List<JsonNode> current = List.of(root);
    for (Step step : steps) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        apply(step, node, next);
      }
      current = next;
    }
    return current;
  }

  private static void apply(Step step, JsonNode node, List<JsonNode> out) {
    if (step instanceof Field f) {
      if (node.isObject() && node.has(f.name())) {
        out.add(node.get(f.name()));
      }
    } else if (step instanceof Index i) {
      if (node.isArray()) {
        int index = i.index() < 0 ? node.size() + i.index() : i.index();
        if (index >= 0 && index < node.size()) {
          out.add(node.get(index));
        }
      }
    } else if (step instanceof Wildcard) {
      if (node.isArray() || node.isObject()) {
        node.elements().forEachRemaining(out::add);
      }
    } else if (step instanceof Filter f) {
      Iterator<JsonNode> items = node.isArray() ? node.elements() : List.of(node).iterator();
      while (items.hasNext()) {
        JsonNode item = items.next();
        if (matches(f, item)) {
          out.add(item);
        }
      }
    }
  }

  private static boolean matches(Filter f, JsonNode item) {
    List<JsonNode> values = f.path().evaluate(item);
    if (f.op() == null) {
      return !values.isEmpty();
    }
    for (JsonNode v : values) {
      int cmp = compare(v, f.literal());
      boolean ok = switch (f.op()) {
        case "==" -> cmp == 0;
        case "!=" -> cmp != 0;
        case "<" -> cmp != Integer.MIN_VALUE && cmp < 0;
        case "<=" -> cmp != Integer.MIN_VALUE && cmp <= 0;
        case ">" -> cmp != Integer.MIN_VALUE && cmp > 0 && cmp != Integer.MAX_VALUE;
        case ">=" -> cmp != Integer.MIN_VALUE && cmp >= 0 && cmp != Integer.MAX_VALUE;
        default -> false;
      };
      if (ok) {
        return true;
      }
    }
    return false;
  }

  /** Numbers by value, strings and booleans by text; MIN_VALUE/MAX_VALUE when not comparable. */
  private static int compare(JsonNode value, JsonNode literal) {
    if (value.isNumber() && literal.isNumber()) {
      return Double.compare(value.asDouble(), literal.asDouble());
    }
    if (value.isTextual() && literal.isTextual()) {
      return value.asText().compareTo(literal.asText());
    }
    if (value.isBoolean() && literal.isBoolean()) {
      return value.asBoolean() == literal.asBoolean() ? 0 : Integer.MAX_VALUE;
    }
    return value.isNull() && literal.isNull() ? 0 : Integer.MIN_VALUE;
  }

  @Override
  public String toString() {
    return text;
  }

  private static final class Parser {
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
        new com.fasterxml.jackson.databind.ObjectMapper();
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    List<Step> steps() {
      List<Step> steps = new ArrayList<>();
      if (s.startsWith("@") || s.startsWith("$")) {
        pos = 1;
      }
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '.') {
          pos++;
          if (pos < s.length() && s.charAt(pos) == '.') {
            throw error("recursive descent is not supported");
          }
          if (pos < s.length() && s.charAt(pos) == '*') {
            pos++;
            steps.add(new Wildcard());
            continue;
          }
          int start = pos;
          while (pos < s.length() && s.charAt(pos) != '.' && s.charAt(pos) != '[') {
            pos++;
          }
          if (start == pos) {
            throw error("empty field name");
          }
          steps.add(new Field(s.substring(start, pos)));
        } else if (c == '[') {
          steps.add(bracket());
        } else {
          throw error("unexpected '" + c + "'");
        }
      }
      return steps;
    }

    private Step bracket() {
      int close = closing(pos);
      String inner = s.substring(pos + 1, close).trim();
      pos = close + 1;
      if (inner.equals("*")) {
        return new Wildcard();
      }
      if (inner.startsWith("'") || inner.startsWith("\"")) {
        return new Field(inner.substring(1, inner.length() - 1));
      }
      if (inner.startsWith("?(") && inner.endsWith(")")) {
        return filter(inner.substring(2, inner.length() - 1).trim());
      }
      try {
        return new Index(Integer.parseInt(inner));
      } catch (NumberFormatException e) {
        throw error("unsupported index [" + inner + "]");
      }
    }

    private Step filter(String expression) {
      for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
        int at = indexOutsideQuotes(expression, op);
        if (at > 0) {
          JsonPath left = JsonPath.parse(expression.substring(0, at).trim());
          String right = expression.substring(at + op.length()).trim();
          return new Filter(left, op, literal(right));
        }
      }
      return new Filter(JsonPath.parse(expression), null, null);
    }

    private JsonNode literal(String text) {
      String json = text.startsWith("'") && text.endsWith("'")
          ? MAPPER.getNodeFactory().textNode(text.substring(1, text.length() - 1)).toString() : text;
      try {
        return MAPPER.readTree(json);
      } catch (java.io.IOException e) {
        throw error("unsupported literal " + text);
      }
    }

    private static int indexOutsideQuotes(String text, String op) {
      char quote = 0;
      for (int i = 0; i + op.length() <= text.length(); i++) {
        char c = text.charAt(i);
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          }
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (text.startsWith(op, i)) {
          return i;
        }
      }
      return -1;
    }

    private int closing(int open) {
      int depth = 0;
      char quote = 0;
      for (int i = open; i < s.length(); i++) {
        char c = s.charAt(i);
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          }
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '[') {
          depth++;
        } else if (c == ']' && --depth == 0) {
          return i;
        }
      }
      throw error("unclosed [");
    }

    private IllegalArgumentException error(String message) {
      return new IllegalArgumentException("JSONPath " + s + ": " + message);
    }
  }

  /** Go's text rendering of a JSONPath result ({@code kubectl -o jsonpath}, string printer columns). */
  public static String text(JsonNode value) {
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.isObject()) {
      // encoding/json writes map keys sorted
      StringBuilder b = new StringBuilder("{");
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      value.fields().forEachRemaining(fields::add);
      fields.sort(Map.Entry.comparingByKey());
      for (int i = 0; i < fields.size(); i++) {
        b.append(i == 0 ? "" : ",").append(MAPPER_TEXT.getNodeFactory().textNode(fields.get(i).getKey()))
            .append(':').append(json(fields.get(i).getValue()));
      }
      return b.append('}').toString();
    }
    if (value.isArray()) {
      return json(value);
    }
    if (value.isFloatingPointNumber()) {
      return GoFloat.format(value.asDouble());
    }
    return value.isNull() ? "<nil>" : value.asText();
  }

  private static String json(JsonNode value) {
    if (value.isObject()) {
      return text(value);
    }
    if (value.isArray()) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < value.size(); i++) {
        b.append(i == 0 ? "" : ",").append(json(value.get(i)));
      }
      return b.append(']').toString();
    }
    return value.isFloatingPointNumber() ? GoFloat.json(value.asDouble()) : value.toString();
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER_TEXT =
      new com.fasterxml.jackson.databind.ObjectMapper();
}
