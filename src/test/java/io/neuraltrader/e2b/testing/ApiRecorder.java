package io.neuraltrader.e2b.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects the permissions ({@link ApiAccess}) behind the Kubernetes requests of one operator configuration and
 * writes them on {@link #flush}. Installed as an interceptor of the operator's own client (never the test's).
 */
public final class ApiRecorder implements Interceptor {
  private final ApiAccess.Mode mode;
  private final Set<ApiAccess> seen = ConcurrentHashMap.newKeySet();

  public ApiRecorder(ApiAccess.Mode mode) {
    this.mode = mode;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String path = request.uri().getRawPath() + (request.uri().getRawQuery() == null ? ""
        : "?" + request.uri().getRawQuery());
    record(request.method(), path, request.bodyString());
  }

  /** Records one request (method, path with query, body or null). */
  public void record(String method, String pathAndQuery, String body) {
    List<ApiAccess> accesses = ApiAccess.of(mode, method, pathAndQuery, body);
    seen.addAll(accesses);
  }

  public Set<ApiAccess> seen() {
    return Set.copyOf(seen);
  }

  /** Appends what was seen to {@code target/rbac-requests/<source>.tsv} and starts over. */
  public synchronized void flush(String source) {
    Set<ApiAccess> now = seen();
    seen.removeAll(now);
    ApiAccess.write(source, now);
  }
}
