package io.neuraltrader.e2b.local.apiserver;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The kubeconfig of local mode: one cluster (the kubectl API's URL), one context, namespace default. */
public final class Kubeconfig {
  public static final String CONTEXT = "e2b-local";

  private Kubeconfig() {}

  static String render(URI server) {
    return """
        # Written by e2b-operator local mode on every start; points kubectl at its in-memory API.
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
        users:
        - name: %1$s
          user: {}
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
            namespace: default
        current-context: %1$s
        preferences: {}
        """.formatted(CONTEXT, server);
  }

  /** Writes (replacing atomically) {@code file}, creating its directory; returns its absolute path. */
  public static Path write(Path file, URI server) throws IOException {
    return write(file, render(server));
  }

  /** Writes {@code kubeconfig} as given (another API server's own) the same way. */
  public static Path write(Path file, String kubeconfig) throws IOException {
    Path target = file.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), ".kubeconfig", ".tmp");
    Files.writeString(temp, kubeconfig);
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }
}
