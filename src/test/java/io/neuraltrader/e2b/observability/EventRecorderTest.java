package io.neuraltrader.e2b.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Events are single-line and Warning events are logged as warnings. */
class EventRecorderTest {
  private InMemoryKubernetes kube;
  private EventRecorder recorder;
  private ConfigMap subject;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(EventRecorder.class);

  @BeforeEach
  void start() {
    kube = new InMemoryKubernetes();
    recorder = new EventRecorder(kube.client(), Clock.fixed(Instant.parse("2026-03-02T14:00:00Z"), ZoneOffset.UTC),
        "test");
    subject = kube.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("subject").endMetadata().build()).create();
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void stop() {
    logger.detachAppender(logs);
    kube.close();
  }

  private List<Event> events() {
    return kube.client().v1().events().inNamespace("default").list().getItems();
  }

  @Test
  void aMultiLineMessageIsRecordedOnOneLine() {
    recorder.warning(subject, "TickFailed", "ValueError: bad input\n  line two\r\nline three\tend\n");
    Event event = events().get(0);
    assertEquals("ValueError: bad input line two line three end", event.getMessage());
  }

  @Test
  void aHugeMessageIsCut() {
    recorder.normal(subject, "Big", "x".repeat(5000));
    assertTrue(events().get(0).getMessage().length() <= EventRecorder.MAX_MESSAGE);
  }

  @Test
  void warningsAreLoggedAsWarningsAndNormalEventsAsInfo() {
    recorder.warning(subject, "CreateRejected", "no such template");
    recorder.normal(subject, "Created", "created");
    List<ILoggingEvent> mine;
    synchronized (logs) {
      mine = List.copyOf(logs.list);
    }
    assertEquals(Level.WARN, mine.stream().filter(e -> e.getFormattedMessage().contains("CreateRejected"))
        .findFirst().orElseThrow().getLevel());
    assertEquals(Level.INFO, mine.stream().filter(e -> e.getFormattedMessage().contains("Created"))
        .findFirst().orElseThrow().getLevel());
    assertFalse(mine.isEmpty());
  }
}
