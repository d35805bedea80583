package io.neuraltrader.e2b.api.validation;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Compiles and evaluates the CEL rules of CRD schemas ({@code x-kubernetes-validations}), with {@code self}. */
final class CelRules {
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

  private CelRules() {}

  /**
   * Evaluates a rule for {@code self}: null when it holds, an empty string when it evaluates to false, and the
   * evaluation error (no such key, overflow, ...) when it cannot be evaluated.
   */
  static String check(String rule, Object self) {
    CelRuntime.Program program = PROGRAMS.computeIfAbsent(rule, CelRules::compile);
    try {
      return Boolean.TRUE.equals(program.eval(Map.of("self", self))) ? null : "";
    } catch (CelEvaluationException e) {
      String message = e.getMessage() == null ? "evaluation error" : e.getMessage();
      // cel-java prefixes its messages with the evaluation position; the server shows the cause only.
      int colon = message.indexOf("evaluation error: ");
      return colon >= 0 ? message.substring(colon + "evaluation error: ".length()) : message;
    }
  }

  private static CelRuntime.Program compile(String rule) {
    try {
      CelAbstractSyntaxTree ast = COMPILER.compile(rule).getAst();
      return RUNTIME.createProgram(ast);
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalArgumentException("invalid CEL rule '" + rule + "': " + e.getMessage(), e);
    }
  }
}
