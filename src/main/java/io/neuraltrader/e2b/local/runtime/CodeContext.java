package io.neuraltrader.e2b.local.runtime;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** A code context: its own Python process (started on first use) and a lock so executions run one at a time. */
final class CodeContext {

  final String id;
  final String language;
  final String cwd;
  /** Fair, so executions queued on one context run in arrival order. */
  final ReentrantLock executionLock = new ReentrantLock(true);
  private KernelProcess kernel;
  private boolean closed;
  /** Whether this interpreter has been given the sandbox's env vars (the real server does it once per context). */
  private boolean globalEnvSent;

  CodeContext(String id, String language, String cwd) {
    this.id = id;
    this.language = language;
    this.cwd = cwd;
  }

  /**
   * The live kernel, starting a new one when there is none (first use, after a restart or a crash); null once
   * the context is closed. The starter must not lock the sandbox (lock order is sandbox, then context).
   */
  synchronized KernelProcess kernel(Supplier<KernelProcess> starter) {
    if (closed) {
      return null;
    }
    if (kernel == null || !kernel.isAlive()) {
      kernel = starter.get();
    }
    return kernel;
  }

  /** The kernel if one is running, else null. */
  synchronized KernelProcess currentKernel() {
    return kernel != null && kernel.isAlive() ? kernel : null;
  }

  /**
   * The sandbox's env vars for the next execution when this interpreter has not had them yet (first execution,
   * after a restart), else an empty map.
   */
  synchronized java.util.Map<String, String> takeGlobalEnv(java.util.Map<String, String> sandboxEnv) {
    if (globalEnvSent) {
      return java.util.Map.of();
    }
    globalEnvSent = true;
    return sandboxEnv;
  }

  /** Ends the process; the next execution starts a fresh one with empty globals. */
  synchronized void restart() {
    if (kernel != null) {
      kernel.destroy();
      kernel = null;
    }
    globalEnvSent = false;
  }

  /** Ends the process for good. */
  synchronized void close() {
    closed = true;
    restart();
  }
}
