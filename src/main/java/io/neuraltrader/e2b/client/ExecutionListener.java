package io.neuraltrader.e2b.client;

/** Called on the executing thread for each message as it arrives. All methods default to no-op. */
public interface ExecutionListener {
  ExecutionListener NONE = new ExecutionListener() { };

  default void onStdout(OutputMessage message) { }

  default void onStderr(OutputMessage message) { }

  default void onResult(RichResult result) { }

  default void onError(ExecutionError error) { }

  default void onExecutionCount(int executionCount) { }

  default void onKeepalive() { }
}
