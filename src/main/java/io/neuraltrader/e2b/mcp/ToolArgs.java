package io.neuraltrader.e2b.mcp;

import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The arguments of one tool call, read with checks whose errors name the argument. Unknown argument names are
 * refused (a typo must not silently become a default).
 */
public final class ToolArgs {
  private static final Pattern NAME = Pattern.compile(ApiConstants.NAME_PATTERN);
  private static final Pattern NAMESPACE = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

  private final Map<String, Object> args;

  public ToolArgs(Map<String, Object> args, Set<String> known) {
    this.args = args == null ? Map.of() : args;
    for (String key : this.args.keySet()) {
      if (!known.contains(key)) {
        throw ToolError.argument(key, "unknown argument; this tool takes " + String.join(", ", known.stream()
            .sorted().toList()));
      }
    }
  }

  public boolean has(String name) {
    return args.get(name) != null;
  }

  /** The namespace of the call, checked against what the caller may touch. */
  public String namespace(Caller caller) {
    String ns = optionalString("namespace", 63);
    if (ns == null) {
      ns = caller.defaultNamespace();
    } else if (!NAMESPACE.matcher(ns).matches()) {
      throw ToolError.argument("namespace", "'" + ns + "' is not a Kubernetes namespace name");
    }
    if (!caller.allows(ns)) {
      throw new ToolError("namespace '" + ns + "' is not allowed for " + caller.name());
    }
    return ns;
  }

  public String optionalString(String name, int maxLength) {
    Object v = args.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw ToolError.argument(name, "must be a string");
    }
    if (s.length() > maxLength) {
      throw ToolError.argument(name, "longer than " + maxLength + " characters");
    }
    return s;
  }

  public String requiredString(String name, int maxLength) {
    String s = optionalString(name, maxLength);
    if (s == null || s.isBlank()) {
      throw ToolError.argument(name, "is required");
    }
    return s;
  }

  /** A Kubernetes object name (DNS-1123 subdomain), or null when absent. */
  public String optionalName(String name) {
    String s = optionalString(name, ApiConstants.NAME_MAX_LENGTH);
    if (s != null && !NAME.matcher(s).matches()) {
      throw ToolError.argument(name, "'" + s + "' is not a Kubernetes object name (lower-case letters, digits, "
          + "'-' and '.')");
    }
    return s;
  }

  public String requiredName(String name) {
    String s = optionalName(name);
    if (s == null) {
      throw ToolError.argument(name, "is required");
    }
    return s;
  }

  public Integer optionalInt(String name, int min, int max) {
    Object v = args.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw ToolError.argument(name, "must be a whole number");
    }
    long l = n.longValue();
    if (l < min || l > max) {
      throw ToolError.argument(name, "must be between " + min + " and " + max + ", got " + l);
    }
    return (int) l;
  }

  public int integer(String name, int dflt, int min, int max) {
    Integer v = optionalInt(name, min, max);
    return v == null ? dflt : v;
  }

  public Double optionalDouble(String name, double min, double max) {
    Object v = args.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw ToolError.argument(name, "must be a number");
    }
    double d = n.doubleValue();
    if (d < min || d > max) {
      throw ToolError.argument(name, "must be between " + min + " and " + max + ", got " + d);
    }
    return d;
  }

  public boolean bool(String name, boolean dflt) {
    Object v = args.get(name);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Boolean b)) {
      throw ToolError.argument(name, "must be true or false");
    }
    return b;
  }

  public List<String> stringList(String name, int maxItems, int maxLength) {
    Object v = args.get(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw ToolError.argument(name, "must be a list of strings");
    }
    if (list.size() > maxItems) {
      throw ToolError.argument(name, "has " + list.size() + " items, at most " + maxItems + " allowed");
    }
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof String s)) {
        throw ToolError.argument(name, "must be a list of strings");
      }
      if (s.length() > maxLength) {
        throw ToolError.argument(name, "has an item longer than " + maxLength + " characters");
      }
      out.add(s);
    }
    return out;
  }

  public Map<String, String> stringMap(String name, int maxEntries, int maxValueLength) {
    Object v = args.get(name);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> map)) {
      throw ToolError.argument(name, "must be an object of string values");
    }
    if (map.size() > maxEntries) {
      throw ToolError.argument(name, "has " + map.size() + " entries, at most " + maxEntries + " allowed");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw ToolError.argument(name, "value of '" + e.getKey() + "' must be a string");
      }
      if (s.length() > maxValueLength) {
        throw ToolError.argument(name, "value of '" + e.getKey() + "' is longer than " + maxValueLength
            + " characters");
      }
      out.put(String.valueOf(e.getKey()), s);
    }
    return out;
  }

  public Map<String, Double> numberMap(String name, int maxEntries) {
    Object v = args.get(name);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> map)) {
      throw ToolError.argument(name, "must be an object of numbers");
    }
    if (map.size() > maxEntries) {
      throw ToolError.argument(name, "has " + map.size() + " entries, at most " + maxEntries + " allowed");
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        throw ToolError.argument(name, "value of '" + e.getKey() + "' must be a number");
      }
      out.put(String.valueOf(e.getKey()), n.doubleValue());
    }
    return out;
  }

  /** The raw value (objects as maps, lists as lists), for arguments passed on as they are. */
  public Object raw(String name) {
    return args.get(name);
  }
}
