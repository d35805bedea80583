package io.neuraltrader.e2b.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's results: one JSON object per scenario (stable keys, insertion order) plus a readable
 * table of the figures that have a target. Targets are reported, never asserted.
 */
final class Report {
  static final List<String> SCENARIOS = List.of("cold", "warm", "burst", "sustained", "scale", "steady",
      "naive", "cost");

  /** One table line: a figure, its value, the target and whether it was met (null: no target). */
  record Row(String scenario, String figure, String value, String target, Boolean met) {}

  private final Map<String, Object> root = new LinkedHashMap<>();
  private final List<Row> rows = new ArrayList<>();

  Report(Map<String, Object> meta) {
    root.put("meta", meta);
    for (String s : SCENARIOS) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ratios", new LinkedHashMap<String, Object>());
      root.put(s, m);
    }
  }

  @SuppressWarnings("unchecked")
  synchronized Map<String, Object> scenario(String name) {
    return (Map<String, Object>) root.get(name);
  }

  @SuppressWarnings("unchecked")
  synchronized Map<String, Object> ratios(String name) {
    return (Map<String, Object>) scenario(name).get("ratios");
  }

  synchronized void put(String scenario, String key, Object value) {
    scenario(scenario).put(key, value);
  }

  synchronized void ratio(String scenario, String key, double value) {
    ratios(scenario).put(key, round(value, 4));
  }

  synchronized void row(String scenario, String figure, String value, String target, Boolean met) {
    rows.add(new Row(scenario, figure, value, target, met));
  }

  /** A figure with a "lower is better" target. */
  synchronized void rowAtMost(String scenario, String figure, double value, String unit, double target) {
    row(scenario, figure, fmt(value) + unit, "<= " + fmt(target) + unit, Double.isNaN(value) ? null : value <= target);
  }

  synchronized void rowAtLeast(String scenario, String figure, double value, String unit, double target) {
    row(scenario, figure, fmt(value) + unit, ">= " + fmt(target) + unit, Double.isNaN(value) ? null : value >= target);
  }

  synchronized void info(String scenario, String figure, double value, String unit) {
    row(scenario, figure, fmt(value) + unit, "", null);
  }

  synchronized void failed(String scenario, Throwable t) {
    scenario(scenario).put("error", t.toString());
    row(scenario, "ERROR", t.getClass().getSimpleName(), "", false);
  }

  static double round(double v, int digits) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 100 || v == Math.rint(v)) {
      return String.format(java.util.Locale.ROOT, "%,.0f", v);
    }
    if (a >= 1) {
      return String.format(java.util.Locale.ROOT, "%.2f", v);
    }
    return String.format(java.util.Locale.ROOT, "%.4f", v);
  }

  synchronized String table() {
    int w1 = "scenario".length();
    int w2 = "figure".length();
    int w3 = "value".length();
    int w4 = "target".length();
    for (Row r : rows) {
      w1 = Math.max(w1, r.scenario().length());
      w2 = Math.max(w2, r.figure().length());
      w3 = Math.max(w3, r.value().length());
      w4 = Math.max(w4, r.target().length());
    }
    String f = "| %-" + w1 + "s | %-" + w2 + "s | %" + w3 + "s | %-" + w4 + "s | %-4s |%n";
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(f, "scenario", "figure", "value", "target", "met?"));
    sb.append(String.format(f, "-".repeat(w1), "-".repeat(w2), "-".repeat(w3), "-".repeat(w4), "----"));
    for (Row r : rows) {
      sb.append(String.format(f, r.scenario(), r.figure(), r.value(), r.target(),
          r.met() == null ? "" : r.met() ? "yes" : "NO"));
    }
    return sb.toString();
  }

  synchronized String json() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized void write(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("results.json"), json());
      Files.writeString(dir.resolve("results.txt"), table());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
