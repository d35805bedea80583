package io.neuraltrader.e2b.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived {@code python3} process running the kernel script. The caller serializes executions;
 * messages of the running execution are handed to the sink queue it passed to {@link #submit}.
 */
final class KernelProcess {

  private static final Logger log = LoggerFactory.getLogger(KernelProcess.class);
  private static final String SCRIPT = loadScript();
  /** coreutils' nice (it execs the kernel: the process is the interpreter itself), when the machine has it. */
  private static final Path NICE = java.util.stream.Stream.of("/usr/bin/nice", "/bin/nice").map(Path::of)
      .filter(java.nio.file.Files::isExecutable).findFirst().orElse(null);

  /** Queued after the last message when the process ends (its stdout closed). */
  static final String EXITED = "__exited__";
  static final String DONE = "__done__";

  private final Process process;
  private final OutputStream stdin;
  private final long startNanos = System.nanoTime();
  private volatile BlockingQueue<JsonNode> sink;

  private KernelProcess(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread reader = new Thread(this::readMessages, "e2b-kernel-out-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    Thread errors = new Thread(this::drainStderr, "e2b-kernel-err-" + process.pid());
    errors.setDaemon(true);
    errors.start();
  }

  /**
   * Starts a kernel. The sandbox's env vars are not in its process environment: as on E2B, they reach the
   * interpreter as source spliced into its first execution ({@link EnvSplice}).
   */
  static KernelProcess start(String python, Path cwd) {
    List<String> command = new ArrayList<>();
    if (NICE != null) {
      // E2B runs a sandbox's code on its own machines; here it shares the operator's cores, so it runs at the
      // lowest CPU priority and a busy fleet of strategies does not slow the operator and API serving it.
      command.addAll(List.of(NICE.toString(), "-n", "19"));
    }
    command.addAll(List.of(python, "-u", "-c", SCRIPT));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().put("PYTHONIOENCODING", "utf-8");
    try {
      return new KernelProcess(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + python, e);
    }
  }

  /** Sends one execution request; its messages, then a {@code __done__} (or {@code __exited__}), go to sink. */
  void submit(ObjectNode request, BlockingQueue<JsonNode> sink) throws IOException {
    this.sink = sink;
    stdin.write(RequestJson.bytes(request));
    stdin.write('\n');
    stdin.flush();
  }

  private void readMessages() {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        JsonNode message;
        try {
          message = RequestJson.MAPPER.readTree(line);
        } catch (IOException e) {
          log.warn("kernel {} sent a malformed line", process.pid());
          continue;
        }
        BlockingQueue<JsonNode> target = sink;
        if (target != null) {
          target.add(message);
        }
      }
    } catch (IOException e) {
      log.debug("kernel {} output closed: {}", process.pid(), e.toString());
    }
    BlockingQueue<JsonNode> target = sink;
    if (target != null) {
      target.add(RequestJson.MAPPER.createObjectNode().put("type", EXITED));
    }
  }

  private void drainStderr() {
    byte[] buf = new byte[8192];
    try (InputStream err = process.getErrorStream()) {
      int n;
      while ((n = err.read(buf)) >= 0) {
        if (log.isDebugEnabled()) {
          log.debug("kernel {} stderr: {}", process.pid(), new String(buf, 0, n, StandardCharsets.UTF_8).strip());
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code once the process has ended (its output closes a moment before it is reaped); -1 if alive. */
  int awaitExitCode() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Real nanoseconds since the process started (for CPU percentages). */
  long ageNanos() {
    return System.nanoTime() - startNanos;
  }

  /** The process and all its live descendants. */
  List<ProcessHandle> tree() {
    List<ProcessHandle> out = new ArrayList<>();
    ProcessHandle self = process.toHandle();
    out.add(self);
    self.descendants().forEach(out::add);
    return out;
  }

  /** Sends a signal to the process tree (STOP/CONT pause and resume a sandbox). */
  void signal(String signal) {
    List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
    for (ProcessHandle h : tree()) {
      cmd.add(Long.toString(h.pid()));
    }
    try {
      Process kill = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      kill.getInputStream().readAllBytes();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      log.warn("cannot send SIG{} to kernel {}: {}", signal, process.pid(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Kills the process and its descendants (children first, so none is left re-parented and running). */
  void destroy() {
    List<ProcessHandle> descendants = process.toHandle().descendants().toList();
    for (ProcessHandle d : descendants) {
      d.destroyForcibly();
    }
    process.destroyForcibly();
    try {
      stdin.close();
    } catch (IOException ignored) {
      // the pipe is closing with the process
    }
  }

  /** Waits until the process and the given descendants are gone. */
  static void awaitExit(List<ProcessHandle> handles, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    for (ProcessHandle h : handles) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      try {
        h.onExit().get(left, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static String loadScript() {
    try (InputStream in = KernelProcess.class.getResourceAsStream("kernel.py")) {
      if (in == null) {
        throw new IllegalStateException("kernel.py resource missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
