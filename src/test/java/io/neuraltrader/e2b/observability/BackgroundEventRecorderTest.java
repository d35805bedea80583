package io.neuraltrader.e2b.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator's recorder queues events and one thread writes them: in order, aggregated as before, visible
 * after {@link EventRecorder#flush}; a full queue drops (and counts) instead of making a reconcile wait, and
 * close writes what is queued.
 */
class BackgroundEventRecorderTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T14:00:00Z"), ZoneOffset.UTC);

  private static ConfigMap subject(KubernetesClient client) {
    return client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("subject").endMetadata().build()).create();
  }

  private static List<Event> events(KubernetesClient client) {
    return client.v1().events().inNamespace("default").list().getItems();
  }

  @Test
  void queuedEventsAreWrittenInOrderAndAggregatedAndFlushWaitsForThem() {
    try (InMemoryKubernetes kube = new InMemoryKubernetes();
        EventRecorder recorder = EventRecorder.inBackground(kube.client(), CLOCK, "test", 100)) {
      ConfigMap subject = subject(kube.client());
      for (int i = 0; i < 5; i++) {
        recorder.normal(subject, "Step" + i, "step " + i);
      }
      recorder.warning(subject, "Retrying", "same message");
      recorder.warning(subject, "Retrying", "same message");
      assertTrue(recorder.flush(Duration.ofSeconds(30)));
      List<Event> events = events(kube.client());
      assertEquals(6, events.size(), "five steps and one aggregated warning: " + events);
      assertEquals(2, events.stream().filter(e -> "Retrying".equals(e.getReason())).findFirst().orElseThrow()
          .getCount());
      assertEquals(0, recorder.dropped());
      recorder.normal(subject, "Stopping", "queued at shutdown");
      recorder.close();
      assertTrue(events(kube.client()).stream().anyMatch(e -> "Stopping".equals(e.getReason())),
          "close wrote the queued event");
    }
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfWaitingAndCloseWritesWhatIsQueued() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    CountDownLatch firstRequest = new CountDownLatch(1);
    try (ServerSocket stalled = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // An API server that accepts and never answers: the writer is stuck on the first event.
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(stalled.accept());
            firstRequest.countDown();
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Config config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + stalled.getLocalPort())
          .withRequestTimeout(120_000).withRequestRetryBackoffLimit(0).build();
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
          InMemoryKubernetes kube = new InMemoryKubernetes()) {
        ConfigMap subject = subject(kube.client());
        EventRecorder recorder = EventRecorder.inBackground(client, CLOCK, "test", 2);
        recorder.normal(subject, "First", "taken by the writer");
        assertTrue(firstRequest.await(30, TimeUnit.SECONDS), "the writer sent the first event");
        recorder.normal(subject, "Second", "queued");
        recorder.normal(subject, "Third", "queued");
        recorder.normal(subject, "Fourth", "dropped");
        recorder.normal(subject, "Fifth", "dropped");
        assertEquals(2, recorder.dropped());
        assertFalse(recorder.flush(Duration.ofMillis(200)), "the writer is still stuck");
        // The server goes away: the stuck write fails (best effort), the queued ones fail fast, close returns.
        stalled.close();
        for (Socket s : held) {
          s.close();
        }
        recorder.close();
        assertTrue(recorder.flush(Duration.ofSeconds(1)), "nothing left after close");
      }
    }
  }
}
