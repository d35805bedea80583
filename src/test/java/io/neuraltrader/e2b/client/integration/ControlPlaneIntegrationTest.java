package io.neuraltrader.e2b.client.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.client.BadRequestException;
import io.neuraltrader.e2b.client.ConflictException;
import io.neuraltrader.e2b.client.ConnectResult;
import io.neuraltrader.e2b.client.HttpE2BClient;
import io.neuraltrader.e2b.client.ListQuery;
import io.neuraltrader.e2b.client.ListedSandbox;
import io.neuraltrader.e2b.client.NewSandbox;
import io.neuraltrader.e2b.client.Page;
import io.neuraltrader.e2b.client.Sandbox;
import io.neuraltrader.e2b.client.SandboxDetail;
import io.neuraltrader.e2b.client.SandboxMetric;
import io.neuraltrader.e2b.client.SandboxNotFoundException;
import io.neuraltrader.e2b.client.SandboxState;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.local.runtime.SandboxSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every control-plane call of the real client against the real local runtime. */
class ControlPlaneIntegrationTest {

  private Harness h;
  private HttpE2BClient client;

  @BeforeEach
  void start() {
    h = new Harness();
    client = h.client();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private Sandbox create(Map<String, String> metadata) {
    return Harness.create(client, metadata);
  }

  @Test
  void createCarriesMetadataEnvVarsAndSecureGivesAnAccessToken() {
    Sandbox plain = client.create(NewSandbox.builder(Harness.TEMPLATE).timeoutSeconds(120)
        .metadata(Map.of("owner", "ns/agent-1", "role", "worker"))
        .envVars(Map.of("STRATEGY", "momentum"))
        .build());
    assertNotNull(plain.sandboxID());
    assertEquals(Harness.TEMPLATE, plain.templateID());
    assertEquals("code-interpreter", plain.alias());
    assertEquals(h.runtime.domain(), plain.domain());
    assertNull(plain.envdAccessToken(), "only secure sandboxes get a token");

    Sandbox secure = client.create(NewSandbox.builder("code-interpreter").secure(true).timeoutSeconds(120).build());
    assertNotNull(secure.envdAccessToken());
    assertFalse(secure.envdAccessToken().isBlank());
    assertEquals(secure.envdAccessToken(), secure.endpoint().envdAccessToken());
    assertFalse(secure.toString().contains(secure.envdAccessToken()), "toString hides the token");

    List<SandboxSnapshot> snaps = h.runtime.sandboxes();
    assertEquals(2, snaps.size());
    assertEquals(plain.sandboxID(), snaps.get(0).sandboxId());
    assertEquals(Map.of("owner", "ns/agent-1", "role", "worker"), snaps.get(0).metadata());
    assertEquals(Harness.START.plusSeconds(120), snaps.get(0).endAt());
    assertFalse(snaps.get(0).secure());
    assertTrue(snaps.get(1).secure());
    assertEquals(2, h.count(ServedOperation.CREATE));

    SandboxDetail detail = client.get(secure.sandboxID());
    assertEquals(secure.envdAccessToken(), detail.envdAccessToken(), "get also reports the token");
    assertEquals(secure.endpoint(), detail.endpoint());
  }

  @Test
  void createOfAnUnknownTemplateOrTooLongTimeoutIsABadRequestOrNotFound() {
    assertThrows(BadRequestException.class,
        () -> client.create(NewSandbox.builder(Harness.TEMPLATE).timeoutSeconds(7200).build()));
    assertEquals(io.neuraltrader.e2b.client.NotFoundException.class, assertThrows(RuntimeException.class,
        () -> client.create(NewSandbox.builder("no-such-template").build())).getClass());
    assertEquals(0, h.runtime.sandboxCount());
    assertTrue(h.sleeps.isEmpty(), "4xx are not retried");
  }

  @Test
  void listV2FiltersByMetadataAndStateAndPaginates250SandboxesIn3Requests() {
    List<String> big = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      big.add(create(Map.of("batch", "big", "index", Integer.toString(i))).sandboxID());
    }
    for (int i = 0; i < 7; i++) {
      create(Map.of("batch", "other"));
    }
    Set<String> paused = new HashSet<>();
    for (int i = 0; i < 250; i += 25) {
      client.pause(big.get(i));
      paused.add(big.get(i));
    }
    assertEquals(10, paused.size());

    // Manual pagination over every state, limit 100: 100 + 100 + 50.
    long before = h.count(ServedOperation.LIST);
    List<ListedSandbox> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    ListQuery q = ListQuery.byMetadata(Map.of("batch", "big")).withLimit(100);
    while (true) {
      Page<ListedSandbox> page = client.list(q);
      seen.addAll(page.items());
      pageSizes.add(page.items().size());
      if (page.next().isEmpty()) {
        break;
      }
      q = q.withNextToken(page.nextToken());
    }
    assertEquals(List.of(100, 100, 50), pageSizes);
    assertEquals(3, h.count(ServedOperation.LIST) - before, "one list request per page");
    assertEquals(big, seen.stream().map(ListedSandbox::sandboxID).toList(), "creation order, no gaps, no repeats");
    for (int i = 0; i < seen.size(); i++) {
      ListedSandbox s = seen.get(i);
      assertEquals(Map.of("batch", "big", "index", Integer.toString(i)), s.metadata());
      assertEquals(paused.contains(s.sandboxID()) ? SandboxState.PAUSED : SandboxState.RUNNING, s.state());
      assertEquals(Harness.TEMPLATE, s.templateID());
      assertEquals(2, s.cpuCount());
      assertEquals(1024, s.memoryMB());
    }

    // listAll does the same walk with the maximum page size.
    before = h.count(ServedOperation.LIST);
    List<ListedSandbox> all = client.listAll(Map.of("batch", "big"), Set.of());
    assertEquals(250, all.size());
    assertEquals(3, h.count(ServedOperation.LIST) - before);

    // State filters.
    List<ListedSandbox> running = client.listAll(Map.of("batch", "big"), EnumSet.of(SandboxState.RUNNING));
    assertEquals(240, running.size());
    assertTrue(running.stream().allMatch(s -> s.state() == SandboxState.RUNNING));
    List<ListedSandbox> pausedListed = client.listAll(Map.of("batch", "big"), EnumSet.of(SandboxState.PAUSED));
    assertEquals(paused, pausedListed.stream().map(ListedSandbox::sandboxID).collect(Collectors.toSet()));
    assertEquals(250, client.listAll(Map.of("batch", "big"),
        EnumSet.of(SandboxState.RUNNING, SandboxState.PAUSED)).size());

    // Metadata filters: all pairs must match.
    assertEquals(7, client.listAll(Map.of("batch", "other"), Set.of()).size());
    List<ListedSandbox> one = client.listAll(Map.of("batch", "big", "index", "42"), Set.of());
    assertEquals(List.of(big.get(42)), one.stream().map(ListedSandbox::sandboxID).toList());
    assertEquals(257, client.listAll(Map.of(), Set.of()).size());
    assertTrue(client.listAll(Map.of("batch", "none"), Set.of()).isEmpty());
    assertTrue(h.sleeps.isEmpty(), "nothing was retried");
  }

  @Test
  void metadataWithReservedCharactersRoundTripsThroughTheListFilter() {
    Map<String, String> tricky = new LinkedHashMap<>();
    tricky.put("owner", "ns/a b&c=d");
    tricky.put("plus+key", "1+1=2 %20 ü");
    Sandbox target = create(tricky);
    create(Map.of("owner", "ns/a b"));
    create(Map.of("owner", "ns/a"));
    List<ListedSandbox> found = client.listAll(tricky, Set.of());
    assertEquals(List.of(target.sandboxID()), found.stream().map(ListedSandbox::sandboxID).toList());
    assertEquals(tricky, found.get(0).metadata());
    assertEquals(List.of(target.sandboxID()),
        client.listAll(Map.of("owner", "ns/a b&c=d"), Set.of()).stream().map(ListedSandbox::sandboxID).toList());
  }

  @Test
  void getReportsTheSandboxAndSetTimeoutThenExpiryMakesItNotFound() {
    Sandbox sb = create(Map.of("owner", "ns/x"));
    SandboxDetail d = client.get(sb.sandboxID());
    assertEquals(sb.sandboxID(), d.sandboxID());
    assertEquals(SandboxState.RUNNING, d.state());
    assertEquals(Map.of("owner", "ns/x"), d.metadata());
    assertEquals(Harness.START, d.startedAt());
    assertEquals(Harness.START.plusSeconds(300), d.endAt());
    assertEquals(h.runtime.domain(), d.domain());

    h.serverClock.advance(Duration.ofSeconds(100));
    client.setTimeout(sb.sandboxID(), 30);
    assertEquals(Harness.START.plusSeconds(130), client.get(sb.sandboxID()).endAt(), "set-timeout can shorten");

    h.serverClock.advance(Duration.ofSeconds(29));
    assertEquals(SandboxState.RUNNING, client.get(sb.sandboxID()).state(), "one second left");
    h.serverClock.advance(Duration.ofSeconds(1));
    SandboxNotFoundException gone = assertThrows(SandboxNotFoundException.class, () -> client.get(sb.sandboxID()));
    assertEquals(404, gone.status());
    assertEquals(0, h.runtime.sandboxCount());
    assertThrows(SandboxNotFoundException.class, () -> client.setTimeout(sb.sandboxID(), 30));
    assertFalse(client.kill(sb.sandboxID()), "already gone");
    assertTrue(h.sleeps.isEmpty(), "a 404 is not retried");
  }

  @Test
  void pauseThenConnectResumesAndConnectingARunningSandboxDoesNot() {
    Sandbox sb = create(Map.of());
    client.pause(sb.sandboxID());
    assertEquals(SandboxState.PAUSED, client.get(sb.sandboxID()).state());
    assertThrows(ConflictException.class, () -> client.pause(sb.sandboxID()), "already paused");

    // Paused sandboxes do not expire.
    h.serverClock.advance(Duration.ofHours(2));
    assertEquals(SandboxState.PAUSED, client.get(sb.sandboxID()).state());

    ConnectResult resumed = client.connect(sb.sandboxID(), 60);
    assertTrue(resumed.resumed());
    assertEquals(sb.sandboxID(), resumed.sandbox().sandboxID());
    SandboxDetail d = client.get(sb.sandboxID());
    assertEquals(SandboxState.RUNNING, d.state());
    assertEquals(h.serverClock.instant().plusSeconds(60), d.endAt());

    ConnectResult again = client.connect(sb.sandboxID(), 10);
    assertFalse(again.resumed());
    assertEquals(h.serverClock.instant().plusSeconds(60), client.get(sb.sandboxID()).endAt(),
        "connect never shortens a running sandbox's life");
    assertEquals(2, h.count(ServedOperation.CONNECT));
    assertThrows(SandboxNotFoundException.class, () -> client.connect("inosuchsandbox", 60));
  }

  @Test
  void killIsTrueOnceThenFalse() {
    Sandbox sb = create(Map.of());
    Sandbox other = create(Map.of());
    assertTrue(client.kill(sb.sandboxID()));
    assertFalse(client.kill(sb.sandboxID()));
    assertThrows(SandboxNotFoundException.class, () -> client.get(sb.sandboxID()));
    assertEquals(List.of(other.sandboxID()),
        h.runtime.sandboxes().stream().map(SandboxSnapshot::sandboxId).toList());
    assertEquals(2, h.count(ServedOperation.KILL));

    // Killed behind the client's back (host failure): the client sees it gone too.
    assertTrue(h.runtime.kill(other.sandboxID()));
    assertFalse(client.kill(other.sandboxID()));
  }

  @Test
  void metricsBatchesMoreThan100IdsIntoTwoRequests() {
    List<String> known = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      known.add(create(Map.of()).sandboxID());
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      ids.add(String.format("iunknown%011d", i));
    }
    ids.add(5, known.get(0));
    ids.add(known.get(1));
    ids.add(known.get(2));
    ids.add(known.get(2)); // duplicates are sent once
    assertEquals(124, ids.size());

    long before = h.count(ServedOperation.METRICS);
    Map<String, SandboxMetric> metrics = client.metrics(ids);
    assertEquals(2, h.count(ServedOperation.METRICS) - before, "123 distinct ids: 100 + 23");
    assertEquals(Set.copyOf(known), metrics.keySet(), "unknown ids are absent");
    for (SandboxMetric m : metrics.values()) {
      assertEquals(2, m.cpuCount());
      assertEquals(1024L * 1024 * 1024, m.memTotal());
      assertEquals(5120L * 1024 * 1024, m.diskTotal());
      assertEquals(Harness.START, m.sampledAt());
    }

    before = h.count(ServedOperation.METRICS);
    assertTrue(client.metrics(List.of()).isEmpty());
    assertEquals(0, h.count(ServedOperation.METRICS) - before, "nothing to ask: no request");
  }

  @Test
  void sandboxMetricsReturnsTheLatestSample() {
    Sandbox sb = create(Map.of());
    h.serverClock.advance(Duration.ofSeconds(5));
    List<SandboxMetric> samples = client.sandboxMetrics(sb.sandboxID());
    assertEquals(1, samples.size());
    SandboxMetric m = samples.get(0);
    assertEquals(2, m.cpuCount());
    assertEquals(Harness.START.plusSeconds(5), m.sampledAt());
    assertEquals(1024L * 1024 * 1024, m.memTotal());
    assertTrue(m.cpuUsedPct() >= 0);
    assertThrows(SandboxNotFoundException.class, () -> client.sandboxMetrics("inosuchsandbox"));
  }
}
