package io.neuraltrader.e2b.client;

import java.util.List;
import java.util.Optional;

/**
 * Everything one execution produced. A Python exception is not a client error: it is {@link #error()}.
 *
 * @param stdout stdout chunks in order
 * @param stderr stderr chunks in order
 * @param results result messages in order
 * @param error the code's error, null when it ran cleanly
 * @param executionCount the context's execution counter, null when not reported
 */
public record ExecutionResult(List<String> stdout, List<String> stderr, List<RichResult> results,
    ExecutionError error, Integer executionCount) {

  public ExecutionResult {
    stdout = List.copyOf(stdout);
    stderr = List.copyOf(stderr);
    results = List.copyOf(results);
  }

  public boolean failed() {
    return error != null;
  }

  /** Text of the main result (the value of the last expression), if any. */
  public Optional<String> text() {
    return results.stream().filter(RichResult::isMainResult).findFirst().flatMap(RichResult::text);
  }

  public String stdoutText() {
    return String.join("", stdout);
  }
}
