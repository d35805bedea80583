package io.neuraltrader.e2b.sandbox;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.neuraltrader.e2b.client.E2BClient;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Sandboxes waiting for one of an E2B client's create slots, oldest first. A create that would wait for a slot
 * is not started: the reconcile returns, and each slot the client gives back wakes the longest waiter. A
 * reconcile thread therefore never sits in a create queue, and work that needs no slot (claims, status,
 * deletions) is not stuck behind a refill of hundreds of members.
 */
final class CreateSlotWaiters {
  private final Consumer<ResourceID> wake;
  private final Map<E2BClient, Waiting> byClient = new ConcurrentHashMap<>();

  /** One client's waiters: the queue in arrival order, the set so a resource waits once. */
  private record Waiting(Queue<ResourceID> order, Set<ResourceID> members) {}

  CreateSlotWaiters(Consumer<ResourceID> wake) {
    this.wake = wake;
  }

  /** {@code id} waits for a slot of {@code client} (again at the back only if it was not waiting). */
  void await(E2BClient client, ResourceID id) {
    Waiting waiting = byClient.computeIfAbsent(client, c -> {
      Waiting w = new Waiting(new ConcurrentLinkedQueue<>(), ConcurrentHashMap.newKeySet());
      c.onCreateSlotFreed(() -> wakeOldest(w));
      return w;
    });
    if (waiting.members().add(id)) {
      waiting.order().add(id);
    }
    if (client.createSlotFree()) {
      // A slot came free between the look and the registration: nobody would wake this waiter.
      wakeOldest(waiting);
    }
  }

  /** Sandboxes waiting now, for every client. */
  int waiting() {
    return byClient.values().stream().mapToInt(w -> w.members().size()).sum();
  }

  private void wakeOldest(Waiting waiting) {
    ResourceID next = waiting.order().poll();
    if (next != null) {
      waiting.members().remove(next);
      wake.accept(next);
    }
  }
}
