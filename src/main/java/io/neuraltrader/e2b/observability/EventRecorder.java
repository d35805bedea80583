package io.neuraltrader.e2b.observability;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events for the decisions a user wants to see ({@code kubectl describe}). A repeat of
 * the same reason and message on the same object within the aggregation window bumps the existing event's
 * count instead of creating a new one, so a retrying resource cannot flood the API server.
 *
 * <p>The operator's recorder is {@linkplain #inBackground in the background}, as client-go's broadcaster is:
 * a reconcile queues the event and goes on, one writer thread sends them in order, and a full queue drops
 * the event (counted, logged) rather than stall a reconcile. A claim or a create therefore never waits for an
 * Event round trip before its status write.
 */
public class EventRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  public static final String COMPONENT = "e2b-operator";
  private static final Duration AGGREGATION_WINDOW = Duration.ofMinutes(10);
  static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;
  private final Map<String, Recorded> recent = new ConcurrentHashMap<>();
  /** The writer of a background recorder; null: every event is written before {@code record} returns. */
  private final ThreadPoolExecutor writer;
  private final AtomicLong dropped = new AtomicLong();

  private record Recorded(String namespace, String name, int count, Instant first, Instant last) {}

  /** A recorder that writes each event before returning (tests, tools). */
  public EventRecorder(KubernetesClient client, Clock clock, String instance) {
    this(client, clock, instance, 0);
  }

  private EventRecorder(KubernetesClient client, Clock clock, String instance, int capacity) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
    this.writer = capacity <= 0 ? null : new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(capacity), r -> {
          Thread t = new Thread(r, "e2b-events");
          t.setDaemon(true);
          return t;
        });
  }

  /** A recorder whose events one background thread writes, at most {@code capacity} waiting. */
  public static EventRecorder inBackground(KubernetesClient client, Clock clock, String instance, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    return new EventRecorder(client, clock, instance, capacity);
  }

  /** Events dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Waits until every event recorded before this call has been written (or given up on); false when that
   * takes longer than {@code timeout}.
   */
  public boolean flush(Duration timeout) {
    if (writer == null) {
      return true;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        // One writer thread, in order: the marker runs after everything queued before it.
        writer.submit(() -> { }).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return true;
      } catch (RejectedExecutionException full) {
        if (writer.isShutdown() || System.nanoTime() >= deadline) {
          return writer.isTerminated();
        }
        Thread.onSpinWait();
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Writes what is queued (for at most five seconds), then stops the writer. */
  @Override
  public void close() {
    if (writer == null) {
      return;
    }
    writer.shutdown();
    try {
      if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("{} events not written at shutdown", writer.shutdownNow().size());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      writer.shutdownNow();
    }
  }

  public void normal(HasMetadata object, String reason, String message) {
    record(object, "Normal", reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    record(object, "Warning", reason, message);
  }

  /**
   * Event messages are one line ({@code kubectl get events} prints one row per event) and at most
   * {@link #MAX_MESSAGE} characters (the events.k8s.io note limit): a multi-line text from elsewhere (a Python
   * error value, a server's body) has its line breaks and control characters folded into single spaces.
   */
  public static String singleLine(String message) {
    if (message == null) {
      return "";
    }
    String flat = message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ").replaceAll("\\p{Cntrl}", " ");
    return flat.length() <= MAX_MESSAGE ? flat : flat.substring(0, MAX_MESSAGE - 3) + "...";
  }

  private void record(HasMetadata object, String type, String reason, String rawMessage) {
    String namespace = object.getMetadata().getNamespace();
    String message = singleLine(rawMessage);
    String key = object.getMetadata().getUid() + "|" + type + "|" + reason + "|" + message;
    Instant now = clock.instant();
    if ("Warning".equals(type)) {
      LOG.warn("event {} {}/{} {}: {}", type, namespace, object.getMetadata().getName(), reason, message);
    } else {
      LOG.info("event {} {}/{} {}: {}", type, namespace, object.getMetadata().getName(), reason, message);
    }
    // The object as it is now: the reconcile goes on changing it while the event waits.
    ObjectReference subject = new ObjectReferenceBuilder()
        .withApiVersion(object.getApiVersion()).withKind(object.getKind())
        .withName(object.getMetadata().getName()).withNamespace(namespace)
        .withUid(object.getMetadata().getUid())
        .withResourceVersion(object.getMetadata().getResourceVersion()).build();
    if (writer == null) {
      write(subject, type, reason, message, key, now);
      return;
    }
    try {
      writer.execute(() -> write(subject, type, reason, message, key, now));
    } catch (RejectedExecutionException e) {
      long n = dropped.incrementAndGet();
      if (!writer.isShutdown() && (n == 1 || n % 100 == 0)) {
        LOG.warn("event queue full: {} events dropped so far (this one: {} on {}/{})", n, reason, namespace,
            object.getMetadata().getName());
      }
    }
  }

  private void write(ObjectReference subject, String type, String reason, String message, String key,
      Instant now) {
    String namespace = subject.getNamespace();
    try {
      Recorded previous = recent.get(key);
      if (previous != null && Duration.between(previous.last(), now).compareTo(AGGREGATION_WINDOW) < 0) {
        Recorded next = new Recorded(previous.namespace(), previous.name(), previous.count() + 1,
            previous.first(), now);
        // A merge patch of the count, as client-go's recorder sends for a repeat.
        client.v1().events().inNamespace(previous.namespace()).withName(previous.name())
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"count\":" + next.count()
                + ",\"lastTimestamp\":\"" + Times.format(now) + "\"}");
        recent.put(key, next);
        return;
      }
      String name = subject.getName() + "." + UUID.randomUUID().toString().substring(0, 13)
          .replace("-", "").toLowerCase(Locale.ROOT);
      Event event = new EventBuilder()
          .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
          .withInvolvedObject(subject)
          .withType(type).withReason(reason).withMessage(message)
          .withFirstTimestamp(Times.format(now)).withLastTimestamp(Times.format(now)).withCount(1)
          .withNewSource().withComponent(COMPONENT).endSource()
          .withReportingComponent(COMPONENT).withReportingInstance(instance)
          .build();
      client.v1().events().inNamespace(namespace).resource(event).create();
      recent.put(key, new Recorded(namespace, name, 1, now, now));
      if (recent.size() > 10_000) {
        recent.entrySet().removeIf(e -> Duration.between(e.getValue().last(), now).compareTo(AGGREGATION_WINDOW) > 0);
      }
    } catch (RuntimeException e) {
      // Events are best effort: losing one must never fail a reconcile (nor stop the writer thread).
      LOG.warn("could not record event {} on {}/{}: {}", reason, namespace, subject.getName(),
          e.getMessage());
      recent.remove(key);
    }
  }
}
