package io.neuraltrader.e2b.agent;

import io.neuraltrader.e2b.api.v1alpha1.AgentSandboxSource;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.GuardrailsSpec;
import io.neuraltrader.e2b.api.v1alpha1.HttpMarketData;
import io.neuraltrader.e2b.api.v1alpha1.MarketDataSpec;
import io.neuraltrader.e2b.api.v1alpha1.RiskSpec;
import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.SymbolPair;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import io.neuraltrader.e2b.schedule.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a spec before anything runs. It repeats the CRD schema's rules (a spec written past admission, by an
 * old CRD or straight to etcd, must still never reach a sandbox with a hostile symbol or a non-numeric
 * parameter) and adds what the schema cannot: parameter ranges per strategy, the interval's bounds, pair
 * legs, and the exclusive bounds the Python runtime enforces (so a spec it would reject on every tick fails
 * here, once, with a clear message). Error messages quote offending values only in escaped, truncated form.
 */
public final class AgentValidator {
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  public static final Duration MAX_INTERVAL = Duration.ofHours(24);
  static final Pattern SYMBOL = Pattern.compile(ApiConstants.SYMBOL_PATTERN);
  static final Pattern PARAMETER_NAME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9]{0,31}$");
  static final Pattern NAME = Pattern.compile(ApiConstants.NAME_PATTERN);
  static final Pattern KEY = Pattern.compile(ApiConstants.KEY_PATTERN);
  static final Pattern URL = Pattern.compile(ApiConstants.URL_PATTERN);
  static final Pattern HEADER = Pattern.compile("^[A-Za-z0-9-]{1,64}$");
  static final int MAX_SYMBOLS = 50;
  static final int MAX_PAIRS = 25;
  static final int MAX_PARAMETERS = 16;

  /** A numeric range; {@code minOpen}/{@code maxOpen} exclude the bound (as the Python runtime does). */
  private record Range(double min, boolean minOpen, double max, boolean maxOpen, boolean integer) {
    static Range closed(double min, double max) {
      return new Range(min, false, max, false, false);
    }

    static Range ints(double min, double max) {
      return new Range(min, false, max, false, true);
    }

    boolean contains(double v) {
      return (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
    }

    String text() {
      return (minOpen ? "(" : "[") + trim(min) + ", " + trim(max) + (maxOpen ? ")" : "]");
    }
  }

  // The ranges of validate_parameters in src/main/resources/strategies/<strategy>.py.
  private static final Map<Strategy, Map<String, Range>> PARAMETERS = Map.of(
      Strategy.momentum, Map.of(
          "period", Range.ints(1, 255),
          "threshold", new Range(0, true, 1, false, false)),
      Strategy.mean_reversion, Map.of(
          "windowSize", Range.ints(2, 256),
          "stddevs", new Range(0, true, 10, false, false),
          "exitZ", Range.closed(0, 10)),
      Strategy.pairs_trading, Map.of(
          "lookback", Range.ints(10, 256),
          "entryZ", new Range(0, true, 10, false, false),
          "exitZ", Range.closed(0, 10)),
      Strategy.arbitrage, Map.of(
          "feeThreshold", new Range(0, false, 0.1, true, false)));

  private AgentValidator() {}

  /** Every problem found, each naming the field; empty when the spec is usable. */
  public static List<String> validate(TradingAgentSpec spec) {
    List<String> errors = new ArrayList<>();
    if (spec == null) {
      errors.add("spec is missing");
      return errors;
    }
    if (spec.getStrategy() == null) {
      errors.add("strategy is required (momentum, mean_reversion, pairs_trading, arbitrage or custom)");
    }
    interval(spec, errors);
    Set<String> universe = symbols(spec, errors);
    pairs(spec, universe, errors);
    if (universe.size() > MAX_SYMBOLS) {
      errors.add("symbols and pairs together name " + universe.size() + " symbols; at most " + MAX_SYMBOLS);
    }
    parameters(spec, errors);
    if (spec.getStrategy() == Strategy.custom
        && (spec.getCode() == null || !validKey(spec.getCode().getConfigMapRef()))) {
      errors.add("code.configMapRef (name and key) is required for strategy custom");
    }
    number("capital", spec.getCapital(), Range.closed(100, 1e9), errors);
    risk(spec.getRisk(), errors);
    marketData(spec.getMarketData(), errors);
    sandbox(spec.getSandbox(), errors);
    guardrails(spec.getGuardrails(), errors);
    return errors;
  }

  private static void interval(TradingAgentSpec spec, List<String> errors) {
    if (spec.getInterval() == null || !spec.getInterval().matches(ApiConstants.DURATION_PATTERN)) {
      errors.add("interval " + quote(spec.getInterval()) + " must be a duration such as 60s or 5m");
      return;
    }
    try {
      Duration interval = Durations.parse(spec.getInterval());
      if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
        errors.add("interval " + spec.getInterval() + " must be between 1s and 24h");
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      errors.add("interval: " + e.getMessage());
    }
  }

  private static Set<String> symbols(TradingAgentSpec spec, List<String> errors) {
    Set<String> universe = new LinkedHashSet<>();
    List<String> symbols = spec.getSymbols() == null ? List.of() : spec.getSymbols();
    if (symbols.size() > MAX_SYMBOLS) {
      errors.add("symbols: at most " + MAX_SYMBOLS + ", got " + symbols.size());
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < symbols.size(); i++) {
      String s = symbols.get(i);
      if (!validSymbol(s)) {
        errors.add("symbols[" + i + "] " + quote(s) + " must match " + ApiConstants.SYMBOL_PATTERN);
      } else if (!seen.add(s)) {
        errors.add("symbols[" + i + "] " + s + " is listed twice");
      } else {
        universe.add(s);
      }
    }
    if (spec.getStrategy() != null && spec.getStrategy() != Strategy.pairs_trading && symbols.isEmpty()) {
      errors.add("symbols: strategy " + spec.getStrategy() + " needs at least one symbol");
    }
    return universe;
  }

  private static void pairs(TradingAgentSpec spec, Set<String> universe, List<String> errors) {
    List<SymbolPair> pairs = spec.getPairs() == null ? List.of() : spec.getPairs();
    if (spec.getStrategy() == Strategy.pairs_trading && pairs.isEmpty()) {
      errors.add("pairs: strategy pairs_trading needs at least one pair");
    }
    if (pairs.size() > MAX_PAIRS) {
      errors.add("pairs: at most " + MAX_PAIRS + ", got " + pairs.size());
    }
    for (int i = 0; i < pairs.size(); i++) {
      SymbolPair p = pairs.get(i);
      if (p == null) {
        errors.add("pairs[" + i + "] is empty");
        continue;
      }
      boolean ok = true;
      if (!validSymbol(p.getFirst())) {
        errors.add("pairs[" + i + "].first " + quote(p.getFirst()) + " must match " + ApiConstants.SYMBOL_PATTERN);
        ok = false;
      }
      if (!validSymbol(p.getSecond())) {
        errors.add("pairs[" + i + "].second " + quote(p.getSecond()) + " must match "
            + ApiConstants.SYMBOL_PATTERN);
        ok = false;
      }
      if (ok && p.getFirst().equals(p.getSecond())) {
        errors.add("pairs: " + p.getFirst() + " is paired with itself");
      } else if (ok) {
        universe.add(p.getFirst());
        universe.add(p.getSecond());
      }
    }
  }

  private static void parameters(TradingAgentSpec spec, List<String> errors) {
    Map<String, Double> parameters = spec.getParameters();
    if (parameters == null) {
      return;
    }
    if (parameters.size() > MAX_PARAMETERS) {
      errors.add("parameters: at most " + MAX_PARAMETERS + ", got " + parameters.size());
    }
    Map<String, Range> ranges = spec.getStrategy() == null ? null : PARAMETERS.get(spec.getStrategy());
    boolean namesOk = true;
    for (Map.Entry<String, Double> e : parameters.entrySet()) {
      String name = e.getKey();
      Double value = e.getValue();
      if (name == null || !PARAMETER_NAME.matcher(name).matches()) {
        errors.add("parameters: name " + quote(name) + " must match ^[a-zA-Z][a-zA-Z0-9]{0,31}$");
        namesOk = false;
        continue;
      }
      if (value == null || value.isNaN() || value.isInfinite()) {
        errors.add("parameters." + name + " must be a finite number, got " + value);
        continue;
      }
      if (ranges == null) {
        continue; // custom: the strategy's own validate_parameters checks names and ranges
      }
      Range r = ranges.get(name);
      if (r == null) {
        errors.add("parameters." + name + " is not a parameter of " + spec.getStrategy()
            + " (known: " + String.join(", ", ranges.keySet().stream().sorted().toList()) + ")");
      } else if (!r.contains(value)) {
        errors.add("parameters." + name + " = " + trim(value) + " is outside " + r.text());
      } else if (r.integer() && value != Math.rint(value)) {
        errors.add("parameters." + name + " must be a whole number, got " + value);
      }
    }
    if (namesOk && ranges != null) {
      checkBelow(parameters, "exitZ", spec.getStrategy() == Strategy.mean_reversion ? "stddevs" : "entryZ",
          errors);
    }
  }

  private static void risk(RiskSpec risk, List<String> errors) {
    if (risk == null) {
      return;
    }
    // Bounds of normalise_risk in agent_runtime.py (stricter than the schema where they differ).
    number("risk.maxPositionFraction", risk.getMaxPositionFraction(), new Range(0, true, 1, false, false), errors);
    number("risk.stopLoss", risk.getStopLoss(), new Range(0, true, 1, true, false), errors);
    number("risk.takeProfit", risk.getTakeProfit(), new Range(0, true, 100, false, false), errors);
    number("risk.kellyFraction", risk.getKellyFraction(), new Range(0, true, 1, false, false), errors);
    number("risk.maxDrawdown", risk.getMaxDrawdown(), new Range(0, true, 1, true, false), errors);
  }

  private static void marketData(MarketDataSpec md, List<String> errors) {
    if (md == null || md.getType() == null) {
      errors.add("marketData.type is required (synthetic, configMap or http)");
      return;
    }
    switch (md.getType()) {
      case synthetic -> {
        if (md.getSeed() == null || md.getSeed() < 0) {
          errors.add("marketData.seed must be a number >= 0, got " + md.getSeed());
        }
        number("marketData.volatility", md.getVolatility(), Range.closed(0, 0.5), errors);
        number("marketData.drift", md.getDrift(), Range.closed(-0.1, 0.1), errors);
      }
      case configMap -> {
        if (!validKey(md.getConfigMapRef())) {
          errors.add("marketData.configMapRef (name and key) is required for type configMap");
        }
      }
      case http -> {
        HttpMarketData http = md.getHttp();
        if (http == null) {
          errors.add("marketData.http is required for type http");
          return;
        }
        if (http.getUrl() == null || http.getUrl().length() > ApiConstants.URL_MAX_LENGTH
            || !URL.matcher(http.getUrl()).matches()) {
          errors.add("marketData.http.url " + quote(http.getUrl()) + " must be an http(s) URL of at most "
              + ApiConstants.URL_MAX_LENGTH + " characters without spaces or quotes");
        }
        if (http.getHeaderName() == null || !HEADER.matcher(http.getHeaderName()).matches()) {
          errors.add("marketData.http.headerName " + quote(http.getHeaderName()) + " must match "
              + HEADER.pattern());
        }
        if (!"json".equals(http.getFormat()) && !"csv".equals(http.getFormat())) {
          errors.add("marketData.http.format must be json or csv, got " + quote(http.getFormat()));
        }
        if (http.getSecretRef() != null && !validKey(http.getSecretRef())) {
          errors.add("marketData.http.secretRef needs a valid name and key");
        }
      }
    }
  }

  private static void sandbox(AgentSandboxSource source, List<String> errors) {
    if (source == null) {
      errors.add("sandbox is required: exactly one of poolRef, sandboxRef or template");
      return;
    }
    int set = (source.getPoolRef() != null ? 1 : 0) + (source.getSandboxRef() != null ? 1 : 0)
        + (source.getTemplate() != null ? 1 : 0);
    if (set != 1) {
      errors.add("sandbox needs exactly one of poolRef, sandboxRef or template (" + set + " set)");
    }
    if (source.getPoolRef() != null && !validName(source.getPoolRef().getName())) {
      errors.add("sandbox.poolRef.name " + quote(source.getPoolRef().getName()) + " is not a valid name");
    }
    if (source.getSandboxRef() != null && !validName(source.getSandboxRef().getName())) {
      errors.add("sandbox.sandboxRef.name " + quote(source.getSandboxRef().getName()) + " is not a valid name");
    }
  }

  private static void guardrails(GuardrailsSpec rails, List<String> errors) {
    if (rails == null) {
      return;
    }
    number("guardrails.minWinRate", rails.getMinWinRate(), Range.closed(0, 1), errors);
    if (rails.getMinTrades() == null || rails.getMinTrades() < 1) {
      errors.add("guardrails.minTrades must be >= 1, got " + rails.getMinTrades());
    }
  }

  private static void number(String field, Double value, Range range, List<String> errors) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      errors.add(field + " must be a finite number, got " + value);
    } else if (!range.contains(value)) {
      errors.add(field + " = " + trim(value) + " is outside " + range.text());
    }
  }

  private static boolean validSymbol(String s) {
    return s != null && SYMBOL.matcher(s).matches();
  }

  private static boolean validName(String s) {
    return s != null && NAME.matcher(s).matches();
  }

  private static boolean validKey(io.neuraltrader.e2b.api.v1alpha1.KeySelector ref) {
    return ref != null && validName(ref.getName()) && ref.getKey() != null && KEY.matcher(ref.getKey()).matches();
  }

  private static void checkBelow(Map<String, Double> parameters, String lower, String upper, List<String> errors) {
    if (!parameters.containsKey(lower) && !parameters.containsKey(upper)) {
      return;
    }
    // Unset values take the strategies' defaults (exitZ 0.5, stddevs and entryZ 2.0).
    Double lo = parameters.getOrDefault(lower, 0.5);
    Double hi = parameters.getOrDefault(upper, 2.0);
    if (lo != null && hi != null && lo >= hi) {
      errors.add("parameters." + lower + " (" + trim(lo) + ") must be below " + upper + " (" + trim(hi) + ")");
    }
  }

  /** An offending value for a message: JSON-escaped, at most 40 characters, never interpreted. */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    StringBuilder out = new StringBuilder("\"");
    for (char c : cut.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static String trim(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
