package io.neuraltrader.e2b.client;

import java.time.Duration;
import java.util.Map;

/**
 * Code to run in the code interpreter.
 *
 * @param code the source
 * @param contextId context to run in (keeps variables), null for the default context
 * @param language language of the default context of that language, null for Python; not with contextId
 * @param envVars extra environment for this execution; may be empty. E2B splices them into the cell as Python
 *     source, so values are limited by {@link SourceLiteral#checkEnvVars}: never put data in them
 * @param timeout deadline of the whole execution, null or zero for none
 */
public record ExecuteRequest(String code, String contextId, String language, Map<String, String> envVars,
    Duration timeout) {

  public ExecuteRequest {
    if (code == null) {
      throw new IllegalArgumentException("code is required");
    }
    if (contextId != null && language != null) {
      throw new IllegalArgumentException("give either contextId or language, not both");
    }
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative");
    }
    SourceLiteral.checkEnvVars(envVars);
    envVars = envVars == null ? Map.of() : Maps.copy(envVars);
  }

  public static ExecuteRequest of(String code) {
    return new ExecuteRequest(code, null, null, Map.of(), null);
  }

  public ExecuteRequest inContext(String id) {
    return new ExecuteRequest(code, id, null, envVars, timeout);
  }

  public ExecuteRequest withTimeout(Duration t) {
    return new ExecuteRequest(code, contextId, language, envVars, t);
  }

  public ExecuteRequest withEnvVars(Map<String, String> env) {
    return new ExecuteRequest(code, contextId, language, env, timeout);
  }

  @Override
  public String toString() {
    return "ExecuteRequest[codeLength=" + code.length() + ", contextId=" + contextId + ", language=" + language
        + ", envVars=" + Maps.keysOnly(envVars) + ", timeout=" + timeout + "]";
  }
}
