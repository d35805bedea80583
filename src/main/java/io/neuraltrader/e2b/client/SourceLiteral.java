package io.neuraltrader.e2b.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules for text that reaches Python source in a sandbox. E2B's code interpreter turns every env var
 * (the sandbox's create-time {@code envVars} on a context's first execution, and each execution's
 * {@code env_vars}) into {@code import os; os.environ['KEY'] = 'VALUE'} spliced unescaped in front of the cell.
 * A value is therefore safe only when it cannot leave a single-quoted Python literal; data that may hold
 * anything travels as base64, whose alphabet never can.
 */
public final class SourceLiteral {
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private SourceLiteral() {}

  /** Base64 of the UTF-8 text: safe inside any quoted literal. */
  public static String base64(String text) {
    return requireBase64(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The text itself when it is standard base64 (the only alphabet placed in source), else an error. */
  public static String requireBase64(String text) {
    if (text == null || text.length() % 4 != 0 || !BASE64.matcher(text).matches()) {
      throw new IllegalArgumentException("refusing to place non-base64 text in sandbox source");
    }
    return text;
  }

  /** True when the value stays inside {@code '...'}: no quote, backslash, line break or NUL. */
  public static boolean fitsQuotedLiteral(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\'' || c == '\\' || c == '\n' || c == '\r' || c == '\0') {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks env vars bound for E2B. The message names the variable and the rule, never the value (it may be
   * a secret).
   */
  public static void checkEnvVars(Map<String, String> env) {
    if (env == null) {
      return;
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (name == null || !ENV_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("env var name " + (name == null ? "null" : "'" + clip(name) + "'")
            + " must match [A-Za-z_][A-Za-z0-9_]* (E2B writes it into Python source)");
      }
      if (e.getValue() == null || !fitsQuotedLiteral(e.getValue())) {
        throw new IllegalArgumentException("env var " + name + " has a value with a quote ('), backslash, line "
            + "break or NUL: E2B's code interpreter writes env vars into Python source unescaped, so such a value "
            + "breaks or injects code");
      }
    }
  }

  private static String clip(String s) {
    String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() <= 64 ? printable : printable.substring(0, 64) + "...";
  }
}
