package io.neuraltrader.e2b.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.DefaultMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Injects Kubernetes API answers in front of the in-memory API's CRUD dispatcher. The mock server was built
 * with a pure CRUD dispatcher, so its {@code expect()} expectations are never consulted; this wraps the
 * dispatcher instead (reflection: the mock server does not expose it). Use {@link #install} once per harness.
 */
public final class ApiFaults extends Dispatcher {
  private final Dispatcher delegate;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();

  /** Answers {@code status} to the next {@code times} requests matching {@code method} and {@code path}. */
  public static final class Rule {
    final String method;
    final Predicate<String> path;
    final AtomicInteger remaining;
    final int status;
    final AtomicInteger served = new AtomicInteger();

    Rule(String method, Predicate<String> path, int times, int status) {
      this.method = method;
      this.path = path;
      this.remaining = new AtomicInteger(times);
      this.status = status;
    }

    /** How many requests this rule answered. */
    public int served() {
      return served.get();
    }
  }

  private ApiFaults(Dispatcher delegate) {
    this.delegate = delegate;
  }

  public static ApiFaults install(KubernetesMockServer server) {
    return wrap(server, ApiFaults::new);
  }

  /** Puts {@code wrapper(current dispatcher)} in front of the mock server's dispatcher and returns it. */
  static <D extends Dispatcher> D wrap(KubernetesMockServer server, java.util.function.Function<Dispatcher, D> wrapper) {
    try {
      Field serverField = DefaultMockServer.class.getDeclaredField("server");
      serverField.setAccessible(true);
      MockWebServer web = (MockWebServer) serverField.get(server);
      Field dispatcherField = MockWebServer.class.getDeclaredField("dispatcher");
      dispatcherField.setAccessible(true);
      D wrapped = wrapper.apply((Dispatcher) dispatcherField.get(web));
      web.setDispatcher(wrapped);
      return wrapped;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot wrap the mock server's dispatcher", e);
    }
  }

  /** 409 Conflict for the next {@code times} {@code method} requests whose path matches. */
  public Rule conflict(String method, Predicate<String> path, int times) {
    Rule r = new Rule(method, path, times, 409);
    rules.add(r);
    return r;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    for (Rule r : rules) {
      if (r.method.equalsIgnoreCase(request.getMethod()) && r.path.test(path)
          && r.remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        r.served.incrementAndGet();
        return new MockResponse().setResponseCode(r.status).setBody("{\"apiVersion\":\"v1\",\"kind\":\"Status\","
            + "\"status\":\"Failure\",\"reason\":\"Conflict\",\"code\":" + r.status + ",\"message\":\"Operation cannot"
            + " be fulfilled: the object has been modified; please apply your changes to the latest version and try"
            + " again (injected)\"}");
      }
    }
    return delegate.dispatch(request);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }
}
