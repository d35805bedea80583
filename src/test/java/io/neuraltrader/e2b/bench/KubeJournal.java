package io.neuraltrader.e2b.bench;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Drains the in-memory API server's request journal (the fabric8 mock server records every request it serves,
 * bodies included, and never forgets them: at 1,000 sandboxes that alone is tens of MiB of heap after an hour)
 * and counts the requests by verb and resource, e.g. {@code PATCH e2bsandboxes/status}.
 */
final class KubeJournal {
  private final InMemoryKubernetes kube;
  private final Map<String, Long> counts = new TreeMap<>();

  KubeJournal(InMemoryKubernetes kube) {
    this.kube = kube;
  }

  synchronized void drain() {
    try {
      RecordedRequest r;
      while ((r = kube.server().takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
        counts.merge(key(r.getMethod(), r.getPath()), 1L, Long::sum);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  synchronized void reset() {
    drain();
    counts.clear();
  }

  synchronized Map<String, Long> counts() {
    drain();
    return new TreeMap<>(counts);
  }

  static String key(String method, String path) {
    if (path == null) {
      return method;
    }
    String p = path;
    int q = p.indexOf('?');
    boolean watch = q >= 0 && p.substring(q).contains("watch=true");
    if (q >= 0) {
      p = p.substring(0, q);
    }
    String[] parts = p.split("/");
    String resource = "";
    String sub = "";
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].equals("namespaces") && i + 2 < parts.length) {
        resource = parts[i + 2];
        if (i + 4 < parts.length) {
          sub = "/" + parts[i + 4];
        }
        break;
      }
    }
    if (resource.isEmpty() && parts.length > 0) {
      resource = parts[parts.length - 1];
    }
    return (watch ? "WATCH" : method) + " " + resource + sub;
  }
}
