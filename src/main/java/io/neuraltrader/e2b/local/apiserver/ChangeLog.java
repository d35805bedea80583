package io.neuraltrader.e2b.local.apiserver;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The store's recent changes in resource-version order, what a watch from a resourceVersion replays before it
 * follows new changes (as the API server's watch cache does): a watch from the version of a list it just made
 * misses nothing written in between. Older versions than the log holds are refused (410 Gone, the client
 * lists again).
 */
public final class ChangeLog {
  /** One write: the object before (null: created) and after (null: deleted), as stored JSON. */
  public record Change(long resourceVersion, String before, String after) {}

  /** A version older than the log holds. */
  public static final class TooOld extends Exception {
    public TooOld(String message) {
      super(message, null, false, false);
    }
  }

  private final int capacity;
  private final ArrayDeque<Change> recent = new ArrayDeque<>();
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  /** The newest version evicted from the log; a watch must start at or after it. */
  private long evicted;

  public ChangeLog(int capacity) {
    this.capacity = capacity;
  }

  /** Records a write (called in store order) and hands it to every watch. Listeners must not block. */
  public synchronized void record(Change change) {
    recent.addLast(change);
    while (recent.size() > capacity) {
      evicted = recent.removeFirst().resourceVersion();
    }
    listeners.forEach(l -> l.accept(change));
  }

  /** The logged changes after {@code resourceVersion}, oldest first. */
  public synchronized List<Change> since(long resourceVersion) throws TooOld {
    if (resourceVersion < evicted) {
      throw new TooOld("too old resource version: " + resourceVersion + " (" + evicted + ")");
    }
    return recent.stream().filter(c -> c.resourceVersion() > resourceVersion).toList();
  }

  /**
   * Hands {@code listener} every change after {@code resourceVersion} (those logged first), then each new one;
   * closing the returned handle stops it.
   */
  public synchronized AutoCloseable watch(long resourceVersion, Consumer<Change> listener) throws TooOld {
    since(resourceVersion).forEach(listener);
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }
}
