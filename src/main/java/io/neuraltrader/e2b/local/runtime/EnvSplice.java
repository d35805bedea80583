package io.neuraltrader.e2b.local.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How E2B's code interpreter hands env vars to Python: as source. Each variable becomes
 * {@code import os; os.environ['KEY'] = 'VALUE'} with KEY and VALUE inserted as they are, unescaped; the
 * sandbox's own env vars (on a context's first execution) and then the request's {@code env_vars} are joined
 * by a newline, indented like the code's first non-blank line, and put in front of the cell. A quote or line
 * break in a value therefore breaks the cell, and a crafted value runs as code, exactly as on E2B.
 */
final class EnvSplice {
  private EnvSplice() {}

  /** The cell the kernel runs. */
  static String cell(String code, Map<String, String> sandboxEnv, Map<String, String> requestEnv) {
    String global = snippet(sandboxEnv);
    String local = snippet(requestEnv);
    if (global.isEmpty() && local.isEmpty()) {
      return code;
    }
    return indent(global + "\n" + local, indentation(code)) + "\n" + code;
  }

  /** The silent execution after the cell: request keys reset to the sandbox's value, or deleted. */
  static String cleanup(Map<String, String> requestEnv, Map<String, String> sandboxEnv) {
    List<String> lines = new ArrayList<>();
    for (String key : requestEnv.keySet()) {
      lines.add(sandboxEnv.containsKey(key) ? set(key, sandboxEnv.get(key))
          : "import os; del os.environ['" + key + "']");
    }
    return String.join("\n", lines);
  }

  private static String snippet(Map<String, String> env) {
    List<String> lines = new ArrayList<>();
    env.forEach((k, v) -> lines.add(set(k, v)));
    return String.join("\n", lines);
  }

  private static String set(String key, String value) {
    return "import os; os.environ['" + key + "'] = '" + value + "'";
  }

  private static String indentation(String code) {
    for (String line : code.split("\n", -1)) {
      if (!line.isBlank()) {
        return line.substring(0, line.length() - line.stripLeading().length());
      }
    }
    return "";
  }

  private static String indent(String text, String level) {
    if (level.isEmpty()) {
      return text;
    }
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      out.add(line.isBlank() ? line : level + line);
    }
    return String.join("\n", out);
  }
}
