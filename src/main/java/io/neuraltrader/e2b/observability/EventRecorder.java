package io.neuraltrader.e2b.observability;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events for the decisions a user wants to see ({@code kubectl describe}). A repeat of
 * the same reason and message on the same object within the aggregation window bumps the existing event's
 * count instead of creating a new one, so a retrying resource cannot flood the API server.
 */
public class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  public static final String COMPONENT = "e2b-operator";
  private static final Duration AGGREGATION_WINDOW = Duration.ofMinutes(10);
  static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;
  private final Map<String, Recorded> recent = new ConcurrentHashMap<>();

  private record Recorded(String namespace, String name, int count, Instant first, Instant last) {}

  public EventRecorder(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
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
    try {
      Recorded previous = recent.get(key);
      if (previous != null && Duration.between(previous.last(), now).compareTo(AGGREGATION_WINDOW) < 0) {
        Recorded next = new Recorded(previous.namespace(), previous.name(), previous.count() + 1,
            previous.first(), now);
        client.v1().events().inNamespace(previous.namespace()).withName(previous.name())
            .edit(e -> {
              e.setCount(next.count());
              e.setLastTimestamp(Times.format(now));
              return e;
            });
        recent.put(key, next);
        return;
      }
      String name = object.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13)
          .replace("-", "").toLowerCase(Locale.ROOT);
      Event event = new EventBuilder()
          .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder()
              .withApiVersion(object.getApiVersion()).withKind(object.getKind())
              .withName(object.getMetadata().getName()).withNamespace(namespace)
              .withUid(object.getMetadata().getUid())
              .withResourceVersion(object.getMetadata().getResourceVersion()).build())
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
    } catch (KubernetesClientException e) {
      // Events are best effort: losing one must never fail a reconcile.
      LOG.warn("could not record event {} on {}/{}: {}", reason, namespace, object.getMetadata().getName(),
          e.getMessage());
      recent.remove(key);
    }
  }
}
