package io.neuraltrader.e2b.agent;

import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.client.SourceLiteral;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Python deployed into a sandbox's code-interpreter context: the shared runtime (its modules, in the order
 * of {@code strategies/runtime_modules.txt}) followed by one strategy (a shipped one, or a custom one from a
 * ConfigMap), all in one cell so a deploy stays one round trip. Deploying it only defines functions; every tick
 * then runs the fixed call {@link #tickCell}. Nothing from a spec is ever spliced into source except as base64.
 */
public final class StrategyCode {
  /** The only call a tick executes; its input is a base64 literal passed to it. */
  public static final String TICK_FUNCTION = "__agent_tick__";
  public static final String RESULT_PREFIX = "__AGENT_RESULT__";
  private static final Map<String, String> RESOURCES = new ConcurrentHashMap<>();
  private static final Map<Strategy, String> SHIPPED = new ConcurrentHashMap<>();
  private static final int MAX_HASHES = 256;
  private static final Map<String, String> HASHES = new ConcurrentHashMap<>();
  private static volatile String runtime;

  private StrategyCode() {}

  /**
   * The tick cell: {@code __agent_tick__(agent_input='<base64 of the JSON input>')}. The input always travels
   * this way, never as an /execute env var: E2B's code interpreter writes env vars into the cell as Python
   * source unescaped, where a quote or line break in a symbol, a CSV or a state breaks or injects code.
   */
  public static String tickCell(String inputJson) {
    return TICK_FUNCTION + "(agent_input='" + SourceLiteral.base64(inputJson) + "')";
  }

  /** Deploy text for a shipped strategy. */
  public static String shipped(Strategy strategy) {
    if (strategy == Strategy.custom) {
      throw new IllegalArgumentException("custom strategies come from a ConfigMap");
    }
    return SHIPPED.computeIfAbsent(strategy, st -> runtime() + "\n\n" + resource(st.name() + ".py"));
  }

  /** Deploy text for a custom strategy whose source defines generate_signals(ctx) and validate_parameters. */
  public static String custom(String source) {
    return runtime() + "\n\n" + source;
  }

  /**
   * Adds the line within the strategy source to a traceback location in the deployed cell, whose first
   * lines are the runtime: {@code File "<cell>", line 1283, in generate_signals} becomes
   * {@code File "<cell>", line 1283, in generate_signals (strategy line 5)}, which is the line a user can find.
   */
  public static String strategyLocation(String where) {
    if (where == null) {
      return null;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("line (\\d{1,9})").matcher(where);
    if (!m.find()) {
      return where;
    }
    long line = Long.parseLong(m.group(1));
    long offset = runtimeLineOffset();
    return line > offset ? where + " (strategy line " + (line - offset) + ")" : where;
  }

  /** Lines in front of the strategy source in a deployed cell: the runtime and the blank separator lines. */
  static long runtimeLineOffset() {
    return (runtime() + "\n\n").lines().count();
  }

  /** The runtime's modules joined by blank lines; each one works both here and as an importable module. */
  static String runtime() {
    String joined = runtime;
    if (joined == null) {
      joined = String.join("\n\n", resource("runtime_modules.txt").lines().map(String::strip)
          .filter(l -> !l.isEmpty()).map(StrategyCode::resource).toList());
      runtime = joined;
    }
    return joined;
  }

  /**
   * The hex SHA-256 of a deploy text. Every tick asks for it (is the deployed code still this one?), and a
   * deploy text is tens of KB, so the digests of the last texts are kept; a text is its own key.
   */
  public static String codeHash(String code) {
    String hash = HASHES.get(code);
    if (hash == null) {
      if (HASHES.size() >= MAX_HASHES) {
        HASHES.clear();
      }
      hash = sha256(code);
      HASHES.put(code, hash);
    }
    return hash;
  }

  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  private static String resource(String name) {
    return RESOURCES.computeIfAbsent(name, n -> {
      try (InputStream in = StrategyCode.class.getClassLoader().getResourceAsStream("strategies/" + n)) {
        if (in == null) {
          throw new IllegalStateException("strategy resource strategies/" + n + " is missing from the build");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
