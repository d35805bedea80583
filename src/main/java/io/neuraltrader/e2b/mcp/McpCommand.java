package io.neuraltrader.e2b.mcp;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.neuraltrader.e2b.local.LocalMode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar e2b-operator.jar mcp}: the MCP server on stdio for a desktop agent. Against the current
 * kubeconfig every call runs under the user's identity (RBAC decides); {@code --local} runs local mode in the same
 * process instead (the in-memory API and local sandboxes, nothing to install), which is also where
 * execute_e2b_process works, as it must run inside the operator. stdout carries only the protocol.
 */
public final class McpCommand {
  private McpCommand() {}

  record Options(boolean local, boolean readOnly, boolean disableDestructive, Path examples) {
    static Options parse(String[] argv) {
      boolean local = false;
      boolean readOnly = false;
      boolean noDestructive = false;
      Path examples = null;
      for (int i = 0; i < argv.length; i++) {
        switch (argv[i]) {
          case "--local" -> local = true;
          case "--read-only" -> readOnly = true;
          case "--disable-destructive" -> noDestructive = true;
          case "--examples" -> {
            if (++i >= argv.length) {
              throw new IllegalArgumentException("--examples needs a value");
            }
            examples = Path.of(argv[i]);
          }
          default -> throw new IllegalArgumentException("unknown mcp option " + argv[i]
              + "\nusage: java -jar e2b-operator.jar mcp [--local] [--read-only] [--disable-destructive] "
              + "[--examples PATH]");
        }
      }
      if (examples != null && !local) {
        throw new IllegalArgumentException("--examples needs --local");
      }
      return new Options(local, readOnly, noDestructive, examples);
    }
  }

  /** Runs until stdin ends; the exit status. */
  public static int run(String[] argv, Map<String, String> env) throws InterruptedException {
    PrintStream protocol = System.out;
    // Anything printed by accident would corrupt the protocol stream.
    System.setOut(System.err);
    Options options;
    McpSettings settings;
    try {
      options = Options.parse(argv);
      settings = McpSettings.fromEnvironment(env, false, "127.0.0.1")
          .withRestrictions(options.readOnly(), options.disableDestructive());
    } catch (IllegalArgumentException e) {
      System.err.println("e2b-operator mcp: " + e.getMessage());
      return 2;
    }
    if (options.local()) {
      return runLocal(options, settings, env, protocol);
    }
    KubernetesClient kube;
    try {
      kube = new KubernetesClientBuilder().build();
    } catch (RuntimeException e) {
      System.err.println("e2b-operator mcp: cannot configure the Kubernetes client: " + e.getMessage());
      return 1;
    }
    try {
      String ns = kube.getNamespace() == null ? "default" : kube.getNamespace();
      E2BMcpServer server = new E2BMcpServer(McpEndpoints.tools(McpBackend.kubernetesOnly(kube,
          Clock.systemUTC()), settings), settings, new Caller("kubeconfig", Set.of(), settings.readOnly(), ns));
      McpStdio.serve(server, System.in, protocol);
      return 0;
    } finally {
      kube.close();
    }
  }

  private static int runLocal(Options options, McpSettings settings, Map<String, String> env, PrintStream protocol)
      throws InterruptedException {
    Map<String, String> localEnv = new HashMap<>(env);
    // This process talks MCP on stdio; an HTTP endpoint too would only take a port.
    localEnv.put("MCP_ENABLED", "false");
    Path examples = options.examples() != null ? options.examples() : Path.of("examples");
    LocalMode local;
    try {
      if (options.examples() == null && !Files.exists(examples)) {
        // No examples/ here and none asked for: start with nothing applied.
        examples = Files.createTempDirectory("e2b-mcp-empty");
        examples.toFile().deleteOnExit();
      }
      local = LocalMode.start(new LocalMode.Options(examples, Instant.now(), 1, 0, Duration.ofSeconds(3)),
          localEnv);
    } catch (LocalMode.StartupFailure e) {
      System.err.println("e2b-operator mcp: " + e.getMessage());
      return e.exitCode();
    } catch (java.io.IOException | RuntimeException e) {
      System.err.println("e2b-operator mcp: cannot start local mode: " + e.getMessage());
      return 1;
    }
    try {
      System.err.println("e2b-operator mcp --local: " + local.kubernetes().description() + " Kubernetes API ("
          + local.kubernetes().reason() + "), local sandbox runtime (sandboxes are local python3 processes, NOT"
          + " isolated micro-VMs)");
      local.manifests().problems().forEach(problem -> System.err.println("refused: " + problem));
      E2BMcpServer server = new E2BMcpServer(McpEndpoints.tools(McpBackend.of(local.operator()), settings),
          settings, new Caller("local", Set.of(), settings.readOnly(), "default"));
      McpStdio.serve(server, System.in, protocol);
      return 0;
    } finally {
      local.close();
    }
  }
}
