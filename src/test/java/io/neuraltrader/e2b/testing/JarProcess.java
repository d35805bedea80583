package io.neuraltrader.e2b.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The packaged operator jar as a child process, its stdout and stderr collected line by line. */
public final class JarProcess implements AutoCloseable {
  public static final Path JAR = Path.of("target/e2b-operator.jar");

  private final Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final List<Thread> readers;

  private JarProcess(Process process) {
    this.process = process;
    readers = List.of(drain(process.getInputStream(), stdout), drain(process.getErrorStream(), stderr));
  }

  /**
   * Starts {@code java -jar target/e2b-operator.jar args} with exactly {@code env} (plus PATH and HOME): nothing of
   * the test's own environment (an E2B key, a kubeconfig, in-cluster variables) leaks into it.
   */
  public static JarProcess start(Map<String, String> env, String... args) throws IOException {
    return start(List.of(), env, args);
  }

  /** {@link #start(Map, String...)} with options for the JVM (e.g. {@code -XX:ActiveProcessorCount=2}). */
  public static JarProcess start(List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException("mvn package builds " + JAR);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    String path = environment.get("PATH");
    String home = environment.get("HOME");
    environment.clear();
    if (path != null) {
      environment.put("PATH", path);
    }
    if (home != null) {
      environment.put("HOME", home);
    }
    environment.putAll(env);
    return new JarProcess(builder.start());
  }

  private static Thread drain(InputStream stream, List<String> lines) {
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "jar-output");
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  /** After the process ended: waits (bounded) until its last output line has been read. */
  public void awaitOutput() throws InterruptedException {
    for (Thread reader : readers) {
      reader.join(10_000);
    }
  }

  public Process process() {
    return process;
  }

  public List<String> stdout() {
    return List.copyOf(stdout);
  }

  public List<String> stderr() {
    return List.copyOf(stderr);
  }

  /** The last lines of both streams, for assertion messages. */
  public String tail() {
    List<String> err = stderr();
    List<String> out = stdout();
    return "stdout:\n  " + String.join("\n  ", out.subList(Math.max(0, out.size() - 15), out.size()))
        + "\nstderr:\n  " + String.join("\n  ", err.subList(Math.max(0, err.size() - 25), err.size()));
  }

  /** SIGTERM, as the kubelet sends on pod deletion. */
  public void terminate() {
    process.toHandle().destroy();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
