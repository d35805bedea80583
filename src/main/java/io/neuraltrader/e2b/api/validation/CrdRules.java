package io.neuraltrader.e2b.api.validation;

import com.google.re2j.PatternSyntaxException;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a Kubernetes API server refuses when a CRD is created, in its wording: {@code pattern}s that RE2 (Go's
 * regexp) cannot compile, list types it cannot enforce (a list-map key neither required nor defaulted, ...),
 * and {@code x-kubernetes-validations} whose estimated CEL cost exceeds the budget.
 *
 * <p>The cost estimate follows apiextensions-apiserver and cel-go's static estimator: each rule's worst-case
 * cost from the sizes its schema declares (strings by {@code maxLength}, lists by {@code maxItems}, maps by
 * {@code maxProperties}, and, where a bound is missing, as many as fit in a 3 MiB request), multiplied by how
 * many times the rule can run (the product of the enclosing lists' and maps' bounds). A rule may cost at most
 * {@link #RULE_COST_LIMIT}; all rules of a schema together at most {@link #CRD_COST_LIMIT}. Functions outside
 * the CEL standard library are estimated at least as expensive as a server would, never cheaper.
 */
public final class CrdRules {
  /** apiextensions' StaticEstimatedCostLimit: the most one rule may cost, cardinality included. */
  public static final long RULE_COST_LIMIT = 10_000_000L;
  /** apiextensions' StaticEstimatedCRDCostLimit: the most all rules of one schema may cost together. */
  public static final long CRD_COST_LIMIT = 100_000_000L;

  static final long MAX_REQUEST_BYTES = 3L * 1024 * 1024;
  private static final long UNKNOWN = Long.MAX_VALUE;
  private static final double STRING_TRAVERSAL = 0.1;
  private static final double REGEX_LENGTH = 0.25;
  private static final String HINT = " (try simplifying the rule, or adding maxItems, maxProperties, and maxLength"
      + " where arrays, maps, and strings are declared)";

  private static final CelCompiler PARSER = CelCompilerFactory.standardCelCompilerBuilder().build();

  private CrdRules() {}

  /** Every reason a real API server would refuse this CRD for its patterns or CEL rules; empty when none. */
  public static List<String> violations(CustomResourceDefinition crd) {
    List<String> errors = new ArrayList<>();
    List<CustomResourceDefinitionVersion> versions = crd.getSpec().getVersions();
    boolean shared = versions.stream().map(v -> v.getSchema() == null ? null : v.getSchema().getOpenAPIV3Schema())
        .distinct().count() == 1;
    for (int i = 0; i < versions.size(); i++) {
      CustomResourceDefinitionVersion version = versions.get(i);
      if (version.getSchema() == null || version.getSchema().getOpenAPIV3Schema() == null) {
        continue;
      }
      // A server reports a schema shared by all versions under spec.validation (its internal form).
      String root = shared ? "spec.validation.openAPIV3Schema" : "spec.versions[" + i + "].schema.openAPIV3Schema";
      errors.addAll(schemaViolations(version.getSchema().getOpenAPIV3Schema(), root));
      if (shared) {
        break;
      }
    }
    return errors;
  }

  /** The estimated cost of all rules of the CRD's most expensive version schema, as the server sums it. */
  public static long totalCost(CustomResourceDefinition crd) {
    long max = 0;
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      if (version.getSchema() != null && version.getSchema().getOpenAPIV3Schema() != null) {
        Total total = new Total();
        checkRules(version.getSchema().getOpenAPIV3Schema(), "", 1L, true, total, new ArrayList<>());
        max = Math.max(max, total.sum);
      }
    }
    return max;
  }

  /** The violations of one openAPIV3Schema, reported under {@code root}. */
  static List<String> schemaViolations(JSONSchemaProps schema, String root) {
    List<String> errors = new ArrayList<>();
    checkPatterns(schema, root, errors);
    checkListTypes(schema, root, errors);
    Total total = new Total();
    checkRules(schema, root, 1L, true, total, errors);
    if (total.sum > CRD_COST_LIMIT) {
      total.mostExpensive.forEach(r -> errors.add(r.path + ": Forbidden: contributed to estimated rule cost total"
          + " exceeding cost limit for entire OpenAPIv3 schema"));
      errors.add(root + ": Forbidden: " + costMessage(
          "x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema", total.sum, CRD_COST_LIMIT));
    }
    return errors;
  }

  /** The static cost estimate of one rule evaluated once with {@code self} of the given schema. */
  public static long ruleCost(String rule, JSONSchemaProps self) {
    Decl decl = Decl.of(self, false);
    if (decl == null) {
      throw new IllegalArgumentException("the schema has no CEL type");
    }
    return new Estimator(decl, new ArrayList<>()).estimate(parse(rule)).cost;
  }

  // ---- patterns ----

  private static void checkPatterns(JSONSchemaProps s, String path, List<String> errors) {
    if (s == null) {
      return;
    }
    if (s.getPattern() != null && !s.getPattern().isEmpty()) {
      String problem = re2Problem(s.getPattern());
      if (problem != null) {
        errors.add(path + ".pattern: Invalid value: " + goQuote(s.getPattern())
            + ": must be a valid regular expression, but isn't: " + problem);
      }
    }
    if (s.getProperties() != null) {
      new TreeMap<>(s.getProperties()).forEach((k, v) -> checkPatterns(v, path + ".properties[" + k + "]", errors));
    }
    if (s.getItems() != null) {
      checkPatterns(s.getItems().getSchema(), path + ".items", errors);
    }
    if (s.getAdditionalProperties() != null) {
      checkPatterns(s.getAdditionalProperties().getSchema(), path + ".additionalProperties", errors);
    }
    for (var entry : Map.of("allOf", nonNull(s.getAllOf()), "anyOf", nonNull(s.getAnyOf()),
        "oneOf", nonNull(s.getOneOf())).entrySet()) {
      for (int i = 0; i < entry.getValue().size(); i++) {
        checkPatterns(entry.getValue().get(i), path + "." + entry.getKey() + "[" + i + "]", errors);
      }
    }
    checkPatterns(s.getNot(), path + ".not", errors);
  }

  // ---- list types ----

  /** The API server's checks of x-kubernetes-list-type and x-kubernetes-list-map-keys, in its wording. */
  private static void checkListTypes(JSONSchemaProps s, String path, List<String> errors) {
    if (s == null) {
      return;
    }
    String type = s.getXKubernetesListType();
    List<String> keys = s.getXKubernetesListMapKeys() == null ? List.of() : s.getXKubernetesListMapKeys();
    JSONSchemaProps items = s.getItems() == null ? null : s.getItems().getSchema();
    if (type != null && !List.of("atomic", "set", "map").contains(type)) {
      errors.add(path + ".x-kubernetes-list-type: Unsupported value: " + goQuote(type)
          + ": supported values: \"atomic\", \"map\", \"set\"");
    }
    if (!keys.isEmpty() && !"map".equals(type)) {
      errors.add(path + ".x-kubernetes-list-type: " + (type == null ? "Required value" : "Invalid value: "
          + goQuote(type)) + ": must be map if x-kubernetes-list-map-keys is non-empty");
    }
    if ("set".equals(type) && items != null && ("object".equals(items.getType())
        && !"atomic".equals(items.getXKubernetesMapType()))) {
      errors.add(path + ".items.x-kubernetes-map-type: Invalid value: \"null\": must be atomic as item of a list"
          + " with x-kubernetes-list-type=set");
    }
    if ("map".equals(type)) {
      if (keys.isEmpty()) {
        errors.add(path + ".x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type"
            + " is map");
      }
      if (items == null) {
        errors.add(path + ".items: Required value: must have a schema if x-kubernetes-list-type is map");
      } else if (!"object".equals(items.getType())) {
        errors.add(path + ".items.type: Invalid value: " + goQuote(String.valueOf(items.getType()))
            + ": must be object if parent array's x-kubernetes-list-type is map");
      } else {
        Map<String, JSONSchemaProps> props = items.getProperties() == null ? Map.of() : items.getProperties();
        List<String> required = items.getRequired() == null ? List.of() : items.getRequired();
        String shown = "[]string{" + String.join(", ", keys.stream().map(CrdRules::goQuote).toList()) + "}";
        for (String key : keys) {
          JSONSchemaProps property = props.get(key);
          if (property == null) {
            errors.add(path + ".x-kubernetes-list-map-keys: Invalid value: " + shown
                + ": entries must all be names of item properties");
            continue;
          }
          if ("array".equals(property.getType()) || "object".equals(property.getType())) {
            errors.add(path + ".items.properties[" + key + "].type: Invalid value: \"object\": must be a scalar"
                + " type if parent array's x-kubernetes-list-type is map");
          }
          if (!required.contains(key) && property.getDefault() == null) {
            errors.add(path + ".items.properties[" + key + "].default: Required value: this property is in"
                + " x-kubernetes-list-map-keys, so it must have a default or be a required property");
          }
        }
        if (keys.stream().distinct().count() != keys.size()) {
          errors.add(path + ".x-kubernetes-list-map-keys: Invalid value: " + shown
              + ": must not contain duplicate entries");
        }
      }
    }
    if (("map".equals(type) || "set".equals(type)) && items != null && Boolean.TRUE.equals(items.getNullable())) {
      errors.add(path + ".items.nullable: Forbidden: cannot be nullable when x-kubernetes-list-type is " + type);
    }
    if (s.getProperties() != null) {
      new TreeMap<>(s.getProperties()).forEach((k, v) -> checkListTypes(v, path + ".properties[" + k + "]", errors));
    }
    checkListTypes(items, path + ".items", errors);
    if (s.getAdditionalProperties() != null) {
      checkListTypes(s.getAdditionalProperties().getSchema(), path + ".additionalProperties", errors);
    }
  }

  private static List<JSONSchemaProps> nonNull(List<JSONSchemaProps> list) {
    return list == null ? List.of() : list;
  }

  /** Go regexp's complaint about a pattern, or null when RE2 compiles it. */
  static String re2Problem(String pattern) {
    try {
      com.google.re2j.Pattern.compile(pattern);
      return null;
    } catch (PatternSyntaxException e) {
      String message = e.getMessage();
      return message.startsWith("Error") ? "e" + message.substring(1) : message;
    }
  }

  // ---- CEL rules ----

  private record RuleCost(String path, long cost) {}

  private static final class Total {
    long sum;
    final List<RuleCost> mostExpensive = new ArrayList<>();

    void observe(String path, long cost) {
      sum = add(sum, cost);
      if (cost < CRD_COST_LIMIT / 100) {
        return;
      }
      mostExpensive.add(new RuleCost(path, cost));
      mostExpensive.sort(Comparator.comparingLong(RuleCost::cost).reversed());
      if (mostExpensive.size() > 4) {
        mostExpensive.remove(4);
      }
    }
  }

  /**
   * Walks the schema as apiextensions does: {@code cardinality} is how often a value of {@code s} can occur in
   * one object, or null when an enclosing list or map has no bound.
   */
  private static void checkRules(JSONSchemaProps s, String path, Long cardinality, boolean isRoot, Total total,
      List<String> errors) {
    if (s == null) {
      return;
    }
    Long childCardinality = cardinality == null ? null : multiplyOrNull(cardinality, maxElements(s));
    if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
      checkRules(s.getAdditionalProperties().getSchema(), path + ".additionalProperties", childCardinality, false,
          total, errors);
    }
    if (s.getProperties() != null) {
      new TreeMap<>(s.getProperties()).forEach((k, v) ->
          checkRules(v, path + ".properties[" + k + "]", childCardinality, false, total, errors));
    }
    if (s.getItems() != null && s.getItems().getSchema() != null) {
      checkRules(s.getItems().getSchema(), path + ".items", childCardinality, false, total, errors);
    }
    List<ValidationRule> rules = s.getXKubernetesValidations();
    if (rules == null || rules.isEmpty()) {
      return;
    }
    Decl decl = Decl.of(s, isRoot || Boolean.TRUE.equals(s.getXKubernetesEmbeddedResource()));
    if (decl == null) {
      errors.add(path + ".x-kubernetes-validations: Internal error: internal error: failed to construct type"
          + " information for x-kubernetes-validations rules");
      return;
    }
    long times = cardinality != null ? cardinality : MAX_REQUEST_BYTES / (decl.minSize + 1);
    for (int i = 0; i < rules.size(); i++) {
      String rulePath = path + ".x-kubernetes-validations[" + i + "].rule";
      String rule = rules.get(i).getRule();
      if (rule == null || rule.isBlank()) {
        errors.add(rulePath + ": Required value: rule is not specified");
        continue;
      }
      CelExpr expr;
      try {
        expr = parse(rule);
      } catch (IllegalArgumentException e) {
        errors.add(rulePath + ": Invalid value: " + goQuote(rule) + ": compilation failed: " + e.getMessage());
        continue;
      }
      List<String> regexProblems = new ArrayList<>();
      long cost = multiply(new Estimator(decl, regexProblems).estimate(expr).cost, times);
      if (cost > RULE_COST_LIMIT) {
        errors.add(rulePath + ": Forbidden: " + costMessage("estimated rule cost", cost, RULE_COST_LIMIT));
      }
      total.observe(rulePath, cost);
      regexProblems.forEach(p -> errors.add(rulePath + ": Invalid value: " + goQuote(rule)
          + ": program instantiation failed: " + p));
    }
  }

  /** How many children a schema can hold: a list's maxItems, a map's maxProperties, 1 otherwise; null if unbounded. */
  private static Long maxElements(JSONSchemaProps s) {
    if ("object".equals(s.getType())) {
      if (s.getAdditionalProperties() != null) {
        return s.getMaxProperties() == null ? null : Math.max(0, s.getMaxProperties());
      }
      return 1L;
    }
    if ("array".equals(s.getType())) {
      return s.getMaxItems() == null ? null : Math.max(0, s.getMaxItems());
    }
    return 1L;
  }

  private static CelExpr parse(String rule) {
    try {
      return PARSER.parse(rule).getAst().getExpr();
    } catch (CelValidationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static String costMessage(String what, long cost, long limit) {
    double factor = (double) cost / (double) limit;
    String shown;
    if (factor > 100.0) {
      shown = "more than 100x";
    } else if (factor < 1.5) {
      shown = String.format(Locale.ROOT, "%fx", factor);
    } else {
      shown = String.format(Locale.ROOT, "%.1fx", factor);
    }
    return what + " exceeds budget by factor of " + shown + HINT;
  }

  /** A string as Go's %q prints it. */
  static String goQuote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  // ---- saturating arithmetic (the estimator's uint64 saturates at its maximum) ----

  static long add(long a, long b) {
    long r = a + b;
    return (r < 0 || r < a) ? UNKNOWN : r;
  }

  static long multiply(long a, long b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return a > UNKNOWN / b ? UNKNOWN : a * b;
  }

  private static Long multiplyOrNull(long a, Long b) {
    return b == null ? null : multiply(a, b);
  }

  static long byFactor(long size, double factor) {
    if (size == UNKNOWN) {
      return UNKNOWN;
    }
    double v = Math.ceil(size * factor);
    return v >= (double) UNKNOWN ? UNKNOWN : (long) v;
  }

  // ---- CEL types of schemas, with their size bounds ----

  enum Kind { OBJECT, MAP, LIST, STRING, BYTES, INT, DOUBLE, BOOL, DURATION, TIMESTAMP, DYN }

  /** The CEL declaration of a schema node as apiextensions builds it: kind, most elements, least JSON size. */
  static final class Decl {
    final Kind kind;
    final long maxElements;
    final long minSize;
    final Map<String, Decl> fields;
    final Decl elem;
    final Decl key;

    Decl(Kind kind, long maxElements, long minSize, Map<String, Decl> fields, Decl elem, Decl key) {
      this.kind = kind;
      this.maxElements = maxElements;
      this.minSize = minSize;
      this.fields = fields;
      this.elem = elem;
      this.key = key;
    }

    static Decl scalar(Kind kind, long maxElements, long minSize) {
      return new Decl(kind, maxElements, minSize, Map.of(), null, null);
    }

    static Decl of(JSONSchemaProps s, boolean isResourceRoot) {
      if (s == null) {
        return null;
      }
      if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
        return scalar(Kind.DYN, MAX_REQUEST_BYTES - 2, 1);
      }
      String type = s.getType() == null ? "" : s.getType();
      switch (type) {
        case "array": {
          Decl items = s.getItems() == null ? null : of(s.getItems().getSchema(), false);
          if (items == null) {
            return null;
          }
          long max = s.getMaxItems() != null ? Math.max(0, s.getMaxItems())
              : (MAX_REQUEST_BYTES - 2) / (items.minSize + 1);
          return new Decl(Kind.LIST, max, 2, Map.of(), items, null);
        }
        case "object": {
          if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
            Decl values = of(s.getAdditionalProperties().getSchema(), false);
            if (values == null) {
              return null;
            }
            long max = s.getMaxProperties() != null ? Math.max(0, s.getMaxProperties())
                : (MAX_REQUEST_BYTES - 2) / (values.minSize + 6);
            return new Decl(Kind.MAP, max, 2, Map.of(), values, scalar(Kind.STRING, 0, 2));
          }
          Map<String, Decl> fields = new LinkedHashMap<>();
          long minSize = 2;
          List<String> required = s.getRequired() == null ? List.of() : s.getRequired();
          Map<String, JSONSchemaProps> props = s.getProperties() == null ? Map.of() : s.getProperties();
          for (var e : props.entrySet()) {
            Decl field = of(e.getValue(), Boolean.TRUE.equals(e.getValue().getXKubernetesEmbeddedResource()));
            if (field == null) {
              continue;
            }
            fields.put(e.getKey(), field);
            if (required.contains(e.getKey()) && e.getValue().getDefault() == null) {
              minSize += e.getKey().length() + field.minSize + 4;
            }
          }
          if (isResourceRoot) {
            // apiVersion, kind and metadata.name/generateName are visible to rules at a resource's root.
            Decl string = scalar(Kind.STRING, MAX_REQUEST_BYTES - 2, 2);
            fields.putIfAbsent("apiVersion", string);
            fields.putIfAbsent("kind", string);
            fields.putIfAbsent("metadata", new Decl(Kind.OBJECT, 0, 2,
                Map.of("name", string, "generateName", string), null, null));
          }
          return new Decl(Kind.OBJECT, 0, minSize, fields, null, null);
        }
        case "string": {
          String format = s.getFormat() == null ? "" : s.getFormat();
          switch (format) {
            case "byte":
              return scalar(Kind.BYTES, s.getMaxLength() != null ? Math.max(0, s.getMaxLength())
                  : MAX_REQUEST_BYTES - 2, 2);
            case "duration":
              return scalar(Kind.DURATION, 32, 3);
            case "date":
              return scalar(Kind.TIMESTAMP, 12, 12);
            case "date-time":
              return scalar(Kind.TIMESTAMP, 32, 21);
            default:
              // maxLength counts code points; a code point is up to 4 bytes.
              return scalar(Kind.STRING, s.getMaxLength() != null ? multiply(Math.max(0, s.getMaxLength()), 4)
                  : MAX_REQUEST_BYTES - 2, 2);
          }
        }
        case "boolean":
          return scalar(Kind.BOOL, 0, 4);
        case "number":
          return scalar(Kind.DOUBLE, 0, 1);
        case "integer":
          return scalar(Kind.INT, 0, 1);
        default:
          return null;
      }
    }
  }

  // ---- the estimator ----

  /** An expression's value as far as cost is concerned: kind (null if unknown), largest size, schema type. */
  private record Val(Kind kind, long size, Decl decl, Val elem) {
    static final Val UNKNOWN_VAL = new Val(null, UNKNOWN, null, null);

    static Val of(Decl decl) {
      return decl == null ? UNKNOWN_VAL : new Val(decl.kind, decl.maxElements, decl, null);
    }

    static Val scalar(Kind kind) {
      return new Val(kind, 1, null, null);
    }

    boolean stringy() {
      return kind == Kind.STRING || kind == Kind.BYTES;
    }

    /** The value of one element when iterating: list items, or map keys. */
    Val iterated() {
      if (decl != null) {
        if (decl.kind == Kind.LIST) {
          return of(decl.elem);
        }
        if (decl.kind == Kind.MAP) {
          return of(decl.key);
        }
        return UNKNOWN_VAL;
      }
      return elem != null ? elem : UNKNOWN_VAL;
    }

    /** The value of {@code x[i]}: list items or map values. */
    Val indexed() {
      if (decl != null && (decl.kind == Kind.LIST || decl.kind == Kind.MAP)) {
        return of(decl.elem);
      }
      return elem != null ? elem : UNKNOWN_VAL;
    }

    Val field(String name) {
      if (decl == null) {
        return UNKNOWN_VAL;
      }
      if (decl.kind == Kind.OBJECT) {
        return of(decl.fields.get(name));
      }
      if (decl.kind == Kind.MAP) {
        return of(decl.elem);
      }
      return UNKNOWN_VAL;
    }

    Val union(Val other) {
      if (!Objects.equals(kind, other.kind)) {
        return new Val(null, Math.max(size, other.size), null, null);
      }
      return new Val(kind, Math.max(size, other.size), Objects.equals(decl, other.decl) ? decl : null,
          elem != null ? elem : other.elem);
    }
  }

  private record Est(long cost, Val val) {}

  /** Walks a parsed rule (macros unexpanded) and sums what cel-go's estimator charges for each node. */
  private static final class Estimator {
    private final Val self;
    private final List<String> regexProblems;
    private final Map<String, List<Val>> locals = new HashMap<>();

    Estimator(Decl self, List<String> regexProblems) {
      this.self = Val.of(self);
      this.regexProblems = regexProblems;
    }

    Est estimate(CelExpr e) {
      switch (e.getKind()) {
        case CONSTANT:
          return new Est(0, constant(e.constant()));
        case IDENT:
          return new Est(1, ident(e.ident().name()));
        case SELECT: {
          Est operand = estimate(e.select().operand());
          if (e.select().testOnly()) {
            return new Est(add(1, operand.cost), Val.scalar(Kind.BOOL));
          }
          Kind k = operand.val.kind;
          long cost = operand.cost + ((k == Kind.OBJECT || k == Kind.MAP) ? 1 : 0);
          return new Est(cost, operand.val.field(e.select().field()));
        }
        case LIST: {
          long cost = 10;
          Val elem = null;
          for (CelExpr item : e.list().elements()) {
            Est est = estimate(item);
            cost = add(cost, est.cost);
            elem = elem == null ? est.val : elem.union(est.val);
          }
          return new Est(cost, new Val(Kind.LIST, e.list().elements().size(), null, elem));
        }
        case MAP: {
          long cost = 30;
          for (CelExpr.CelMap.Entry entry : e.map().entries()) {
            cost = add(cost, add(estimate(entry.key()).cost, estimate(entry.value()).cost));
          }
          return new Est(cost, new Val(Kind.MAP, e.map().entries().size(), null, null));
        }
        case STRUCT: {
          long cost = 40;
          for (CelExpr.CelStruct.Entry entry : e.struct().entries()) {
            cost = add(cost, estimate(entry.value()).cost);
          }
          return new Est(cost, Val.UNKNOWN_VAL);
        }
        case CALL:
          return call(e.call());
        default:
          return new Est(0, Val.UNKNOWN_VAL);
      }
    }

    private Val constant(CelConstant c) {
      return switch (c.getKind()) {
        case STRING_VALUE -> new Val(Kind.STRING, c.stringValue().codePointCount(0, c.stringValue().length()),
            null, null);
        case BYTES_VALUE -> new Val(Kind.BYTES, c.bytesValue().size(), null, null);
        case BOOLEAN_VALUE -> Val.scalar(Kind.BOOL);
        case INT64_VALUE, UINT64_VALUE -> Val.scalar(Kind.INT);
        case DOUBLE_VALUE -> Val.scalar(Kind.DOUBLE);
        default -> new Val(null, 1, null, null);
      };
    }

    private Val ident(String name) {
      List<Val> stack = locals.get(name);
      if (stack != null && !stack.isEmpty()) {
        return stack.get(stack.size() - 1);
      }
      if (name.equals("self") || name.equals("oldSelf")) {
        return self;
      }
      return Val.UNKNOWN_VAL;
    }

    private Est call(CelExpr.CelCall call) {
      String fn = call.function();
      List<CelExpr> args = call.args();
      if (call.target().isPresent() && isMacro(fn, args)) {
        return macro(fn, call.target().get(), args);
      }
      if (fn.equals("has") && args.size() == 1 && args.get(0).getKind() == CelExpr.ExprKind.Kind.SELECT) {
        return new Est(add(1, estimate(args.get(0).select().operand()).cost), Val.scalar(Kind.BOOL));
      }
      List<Est> all = new ArrayList<>();
      call.target().ifPresent(t -> all.add(estimate(t)));
      args.forEach(a -> all.add(estimate(a)));
      long argSum = 0;
      for (Est a : all) {
        argSum = add(argSum, a.cost);
      }
      Val first = all.isEmpty() ? Val.UNKNOWN_VAL : all.get(0).val;
      Val second = all.size() > 1 ? all.get(1).val : Val.UNKNOWN_VAL;
      switch (fn) {
        case "_&&_", "_||_":
          return new Est(argSum, Val.scalar(Kind.BOOL));
        case "_?_:_": {
          long branch = Math.max(all.get(1).cost, all.get(2).cost);
          return new Est(add(all.get(0).cost, branch), all.get(1).val.union(all.get(2).val));
        }
        case "matches": {
          if (all.size() == 2) {
            checkRegex(args.get(args.size() - 1));
            long str = byFactor(add(first.size, 1), STRING_TRAVERSAL);
            long regex = byFactor(second.size, REGEX_LENGTH);
            return new Est(add(multiply(str, regex), argSum), Val.scalar(Kind.BOOL));
          }
          break;
        }
        case "contains": {
          if (all.size() == 2) {
            long cost = multiply(byFactor(first.size, STRING_TRAVERSAL), byFactor(second.size, STRING_TRAVERSAL));
            return new Est(add(cost, argSum), Val.scalar(Kind.BOOL));
          }
          break;
        }
        case "startsWith", "endsWith":
          if (all.size() == 2) {
            return new Est(add(byFactor(second.size, STRING_TRAVERSAL), argSum), Val.scalar(Kind.BOOL));
          }
          break;
        case "@in":
          if (all.size() == 2 && second.kind != Kind.MAP) {
            return new Est(add(second.size, argSum), Val.scalar(Kind.BOOL));
          }
          return new Est(add(1, argSum), Val.scalar(Kind.BOOL));
        case "_==_", "_!=_":
          return new Est(add(compareCost(first, second), argSum), Val.scalar(Kind.BOOL));
        case "_<_", "_<=_", "_>_", "_>=_":
          if (mayBeString(first) && mayBeString(second)) {
            return new Est(add(compareCost(first, second), argSum), Val.scalar(Kind.BOOL));
          }
          return new Est(add(1, argSum), Val.scalar(Kind.BOOL));
        case "_+_":
          if (all.size() == 2 && first.stringy() && second.stringy()) {
            long size = add(first.size, second.size);
            return new Est(add(byFactor(size, STRING_TRAVERSAL), argSum), new Val(first.kind, size, null, null));
          }
          if (all.size() == 2 && first.kind == Kind.LIST && second.kind == Kind.LIST) {
            Val elem = first.iterated().union(second.iterated());
            return new Est(add(1, argSum), new Val(Kind.LIST, add(first.size, second.size), null, elem));
          }
          if (all.size() == 2 && (first.kind == null || second.kind == null)) {
            // Unknown operands may be strings: charge the concatenation.
            long size = add(first.size, second.size);
            return new Est(add(byFactor(size, STRING_TRAVERSAL), argSum), new Val(null, size, null, null));
          }
          return new Est(add(1, argSum), Val.scalar(first.kind));
        case "_[_]":
          return new Est(add(1, argSum), first.indexed());
        case "size":
          return new Est(add(1, argSum), Val.scalar(Kind.INT));
        case "!_", "-_", "_-_", "_*_", "_/_", "_%_", "@not_strictly_false",
            "int", "uint", "double", "bool", "type", "dyn", "duration", "timestamp",
            "getFullYear", "getMonth", "getDayOfMonth", "getDayOfWeek", "getHours", "getMinutes", "getSeconds":
          return new Est(add(1, argSum), Val.scalar(resultKind(fn, first)));
        default:
          break;
      }
      // Functions outside the standard library (Kubernetes' string, list, URL, IP and quantity libraries):
      // at least one traversal of whatever they are called on.
      long traversal = first.stringy() ? byFactor(first.size, STRING_TRAVERSAL)
          : first.kind == Kind.LIST ? first.size : first.kind == null ? byFactor(first.size, STRING_TRAVERSAL) : 1;
      return new Est(add(Math.max(1, traversal), argSum), new Val(first.kind, first.size, null, null));
    }

    private static Kind resultKind(String fn, Val first) {
      return switch (fn) {
        case "!_", "@not_strictly_false", "bool" -> Kind.BOOL;
        case "int", "uint", "getFullYear", "getMonth", "getDayOfMonth", "getDayOfWeek", "getHours", "getMinutes",
            "getSeconds" -> Kind.INT;
        case "double" -> Kind.DOUBLE;
        case "duration" -> Kind.DURATION;
        case "timestamp" -> Kind.TIMESTAMP;
        default -> first.kind;
      };
    }

    private static boolean mayBeString(Val v) {
      return v.kind == null || v.stringy();
    }

    /** Equality and ordering: O(the smaller size) for strings, lists and maps, 1 for scalars. */
    private static long compareCost(Val a, Val b) {
      long smallest = Math.min(sizeForCompare(a), sizeForCompare(b));
      return byFactor(smallest, STRING_TRAVERSAL);
    }

    private static long sizeForCompare(Val v) {
      return v.size;
    }

    private static boolean isMacro(String fn, List<CelExpr> args) {
      boolean firstIsVar = !args.isEmpty() && args.get(0).getKind() == CelExpr.ExprKind.Kind.IDENT;
      return firstIsVar && switch (fn) {
        case "all", "exists", "exists_one", "filter" -> args.size() == 2;
        case "map" -> args.size() == 2 || args.size() == 3;
        default -> false;
      };
    }

    /** The comprehension a macro expands to: range, accumulator init, result, and per element its step. */
    private Est macro(String fn, CelExpr target, List<CelExpr> args) {
      Est range = estimate(target);
      long n = range.val.size;
      Val element = range.val.iterated();
      String var = args.get(0).ident().name();
      locals.computeIfAbsent(var, k -> new ArrayList<>()).add(element);
      try {
        Est first = estimate(args.get(1));
        switch (fn) {
          case "all":
            return new Est(add(add(range.cost, 1), multiply(n, add(3, first.cost))), Val.scalar(Kind.BOOL));
          case "exists":
            return new Est(add(add(range.cost, 1), multiply(n, add(4, first.cost))), Val.scalar(Kind.BOOL));
          case "exists_one":
            return new Est(add(add(range.cost, 2), multiply(n, add(2, first.cost))), Val.scalar(Kind.BOOL));
          case "filter":
            return new Est(add(add(range.cost, 11), multiply(n, add(13, first.cost))),
                new Val(Kind.LIST, n, null, element));
          default: {
            long step = add(12, first.cost);
            Val produced = first.val;
            if (args.size() == 3) {
              Est transform = estimate(args.get(2));
              step = add(step, transform.cost);
              produced = transform.val;
            }
            return new Est(add(add(range.cost, 11), multiply(n, step)), new Val(Kind.LIST, n, null, produced));
          }
        }
      } finally {
        List<Val> stack = locals.get(var);
        stack.remove(stack.size() - 1);
      }
    }

    private void checkRegex(CelExpr regex) {
      if (regex.getKind() == CelExpr.ExprKind.Kind.CONSTANT
          && regex.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
        String problem = re2Problem(regex.constant().stringValue());
        if (problem != null) {
          regexProblems.add(problem);
        }
      }
    }
  }
}
