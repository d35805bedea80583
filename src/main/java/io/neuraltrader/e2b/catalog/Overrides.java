package io.neuraltrader.e2b.catalog;

import io.neuraltrader.e2b.api.v1alpha1.AgentSandboxSource;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.LocalRef;
import io.neuraltrader.e2b.api.v1alpha1.RiskSpec;
import io.neuraltrader.e2b.api.v1alpha1.SandboxResources;
import io.neuraltrader.e2b.api.v1alpha1.SymbolPair;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Applies a deploy call's overrides to a copy of a template's spec. Overrides are data of fixed shapes (numbers,
 * symbol strings, maps of known keys); anything else is refused with the override's path. Ranges are not
 * checked here: the agent's own validation runs on the result.
 */
final class Overrides {
  /** The resource name; not part of the spec. */
  static final String NAME = "name";
  /** In the order they apply: poolRef before resources, which apply only to an agent's own sandbox. */
  private static final List<String> ORDER = List.of(NAME, "poolRef", "strategyParams", "parameters", "symbols",
      "pairs", "risk", "capital", "interval", "resources");
  static final Set<String> KEYS = new TreeSet<>(ORDER);
  private static final Map<String, BiConsumer<RiskSpec, Double>> RISK = Map.of(
      "maxPositionFraction", RiskSpec::setMaxPositionFraction,
      "stopLoss", RiskSpec::setStopLoss,
      "takeProfit", RiskSpec::setTakeProfit,
      "kellyFraction", RiskSpec::setKellyFraction,
      "maxDrawdown", RiskSpec::setMaxDrawdown,
      "slippage", RiskSpec::setSlippage);

  private Overrides() {}

  /** Applies {@code overrides} to {@code spec} (a copy the caller owns). */
  static void apply(TradingAgentSpec spec, Map<String, Object> overrides) {
    if (overrides == null) {
      return;
    }
    for (String key : overrides.keySet()) {
      if (key == null || !KEYS.contains(key)) {
        throw new IllegalArgumentException("overrides." + key + " is not an override (known: "
            + String.join(", ", KEYS) + ")");
      }
    }
    if (overrides.containsKey("strategyParams") && overrides.containsKey("parameters")) {
      throw new IllegalArgumentException("overrides: give strategyParams or parameters, not both");
    }
    for (String key : ORDER) {
      if (!overrides.containsKey(key)) {
        continue;
      }
      String field = "overrides." + key;
      Object value = overrides.get(key);
      switch (key) {
        case "strategyParams", "parameters" -> {
          Map<String, Double> params = new LinkedHashMap<>(spec.getParameters() == null ? Map.of()
              : spec.getParameters());
          map(value, field).forEach((k, v) -> params.put(k, number(v, field + "." + k)));
          spec.setParameters(params);
        }
        case "symbols" -> spec.setSymbols(strings(value, field));
        case "pairs" -> spec.setPairs(pairs(value, field));
        case "risk" -> {
          RiskSpec risk = spec.getRisk() == null ? new RiskSpec() : spec.getRisk();
          map(value, field).forEach((k, v) -> {
            BiConsumer<RiskSpec, Double> setter = RISK.get(k);
            if (setter == null) {
              throw new IllegalArgumentException(field + "." + k + " is not a risk setting (known: "
                  + String.join(", ", new TreeSet<>(RISK.keySet())) + ")");
            }
            setter.accept(risk, number(v, field + "." + k));
          });
          spec.setRisk(risk);
        }
        case "capital" -> spec.setCapital(number(value, field));
        case "interval" -> spec.setInterval(string(value, field));
        case "resources" -> resources(spec, map(value, field), field);
        case "poolRef" -> {
          String pool = string(value, field);
          if (!Names.OBJECT.matcher(pool).matches()) {
            throw new IllegalArgumentException(field + " " + Names.quote(pool) + " is not a valid SandboxPool name");
          }
          AgentSandboxSource source = new AgentSandboxSource();
          source.setPoolRef(new LocalRef(pool));
          spec.setSandbox(source);
        }
        default -> { } // NAME: read by the caller
      }
    }
  }

  private static void resources(TradingAgentSpec spec, Map<String, Object> value, String field) {
    AgentSandboxSource source = spec.getSandbox();
    if (source == null || source.getTemplate() == null) {
      throw new IllegalArgumentException(field + ": the agent claims its sandbox (poolRef or sandboxRef), whose"
          + " size the pool or sandbox decides; resources apply to an agent's own sandbox only");
    }
    E2BSandboxSpec sandbox = source.getTemplate();
    SandboxResources resources = sandbox.getResources() == null ? new SandboxResources() : sandbox.getResources();
    value.forEach((k, v) -> {
      switch (k) {
        case "cpuCount" -> resources.setCpuCount(whole(v, field + ".cpuCount", 1, 64));
        case "memoryMB", "memoryMb" -> resources.setMemoryMB(whole(v, field + ".memoryMB", 128, 262_144));
        default -> throw new IllegalArgumentException(field + "." + k
            + " is not a resource setting (known: cpuCount, memoryMB)");
      }
    });
    sandbox.setResources(resources);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String field) {
    if (!(value instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(field + " must be an object, got " + kind(value));
    }
    for (Object k : m.keySet()) {
      if (!(k instanceof String)) {
        throw new IllegalArgumentException(field + " must have string keys");
      }
    }
    return (Map<String, Object>) m;
  }

  private static Double number(Object value, String field) {
    if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new IllegalArgumentException(field + " must be a finite number, got " + kind(value));
    }
    return n.doubleValue();
  }

  private static int whole(Object value, String field, int min, int max) {
    double v = number(value, field);
    if (v != Math.rint(v) || v < min || v > max) {
      throw new IllegalArgumentException(field + " must be a whole number in [" + min + ", " + max + "], got " + v);
    }
    return (int) v;
  }

  private static String string(Object value, String field) {
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException(field + " must be a string, got " + kind(value));
    }
    return s;
  }

  private static List<String> strings(Object value, String field) {
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException(field + " must be a list of strings, got " + kind(value));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(string(list.get(i), field + "[" + i + "]"));
    }
    return out;
  }

  /** Pairs as objects {first, second} or as two-element lists. */
  private static List<SymbolPair> pairs(Object value, String field) {
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException(field + " must be a list of pairs, got " + kind(value));
    }
    List<SymbolPair> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = field + "[" + i + "]";
      Object item = list.get(i);
      if (item instanceof List<?> legs && legs.size() == 2) {
        out.add(new SymbolPair(string(legs.get(0), at + "[0]"), string(legs.get(1), at + "[1]")));
      } else if (item instanceof Map<?, ?>) {
        Map<String, Object> legs = map(item, at);
        if (!Set.of("first", "second").equals(legs.keySet())) {
          throw new IllegalArgumentException(at + " must have exactly the keys first and second");
        }
        out.add(new SymbolPair(string(legs.get("first"), at + ".first"), string(legs.get("second"), at + ".second")));
      } else {
        throw new IllegalArgumentException(at + " must be {first, second} or a list of two symbols");
      }
    }
    return out;
  }

  private static String kind(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return "the string " + Names.quote(s);
    }
    return value instanceof Number ? value.toString() : value.getClass().getSimpleName().toLowerCase();
  }
}
