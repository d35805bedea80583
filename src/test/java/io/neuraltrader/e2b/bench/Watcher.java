package io.neuraltrader.e2b.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The client side of a measurement: an informer (own client, as kubectl get -w would be) that stamps the
 * wall-clock instant ({@link System#nanoTime()}) at which each resource is first seen matching a predicate,
 * and counts the updates it receives (every write the operator makes to those resources).
 */
final class Watcher<T extends HasMetadata> implements AutoCloseable, Stamps {
  /** A further condition stamped from the same informer (one watch, one decoded object per event). */
  final class Mark implements Stamps {
    private final Predicate<T> condition;
    private final Map<String, Long> reachedAt = new ConcurrentHashMap<>();

    private Mark(Predicate<T> condition) {
      this.condition = condition;
    }

    @Override
    public Long reachedAt(String name) {
      return reachedAt.get(name);
    }

    @Override
    public int reached() {
      return reachedAt.size();
    }
  }

  /** The constructor's condition, then those of {@link #mark}. */
  private final List<Mark> marks = new CopyOnWriteArrayList<>();
  private final Mark first;
  private final AtomicLong updates = new AtomicLong();
  private final SharedIndexInformer<T> informer;

  Watcher(KubernetesClient client, Class<T> kind, String namespace, Predicate<T> condition) {
    this.first = mark(condition);
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

  /** Stamps {@code condition} too, from events seen after this call (register before the measured writes). */
  Mark mark(Predicate<T> condition) {
    Mark mark = new Mark(condition);
    marks.add(mark);
    return mark;
  }

  private void check(T obj) {
    long now = System.nanoTime();
    String name = obj.getMetadata().getName();
    for (Mark mark : marks) {
      if (mark.condition.test(obj)) {
        mark.reachedAt.putIfAbsent(name, now);
      }
    }
  }

  @Override
  public Long reachedAt(String name) {
    return first.reachedAt(name);
  }

  @Override
  public int reached() {
    return first.reached();
  }

  long updates() {
    return updates.get();
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
