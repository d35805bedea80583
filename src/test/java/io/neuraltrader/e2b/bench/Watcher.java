package io.neuraltrader.e2b.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The client side of a measurement: an informer (own client, as kubectl get -w would be) that stamps the
 * wall-clock instant ({@link System#nanoTime()}) at which each resource is first seen matching a predicate,
 * and counts the updates it receives (every write the operator makes to those resources).
 */
final class Watcher<T extends HasMetadata> implements AutoCloseable {
  private final Predicate<T> condition;
  private final Map<String, Long> reachedAt = new ConcurrentHashMap<>();
  private final AtomicLong updates = new AtomicLong();
  private final SharedIndexInformer<T> informer;

  Watcher(KubernetesClient client, Class<T> kind, String namespace, Predicate<T> condition) {
    this.condition = condition;
    this.informer = client.resources(kind).inNamespace(namespace).inform(new ResourceEventHandler<T>() {
      @Override
      public void onAdd(T obj) {
        check(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        updates.incrementAndGet();
        check(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        // not measured
      }
    }, 0);
  }

  private void check(T obj) {
    long now = System.nanoTime();
    if (condition.test(obj)) {
      reachedAt.putIfAbsent(obj.getMetadata().getName(), now);
    }
  }

  /** nanoTime at which {@code name} first matched, or null. */
  Long reachedAt(String name) {
    return reachedAt.get(name);
  }

  int reached() {
    return reachedAt.size();
  }

  long updates() {
    return updates.get();
  }

  /** Waits (real time) until {@code n} resources matched; false on timeout. */
  boolean awaitReached(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (reachedAt.size() < n) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      sleep(5);
    }
    return true;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
