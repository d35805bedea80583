package io.neuraltrader.e2b.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.Counter;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven: every manifest under src/test/resources/bad-input/ says on its first line what must happen.
 *
 * <ul>
 *   <li>{@code # expect: rejected <text>}: admission (the CRD schema and its CEL rules) refuses it with a message
 *       containing the text, which names the field; nothing is stored.</li>
 *   <li>{@code # expect: condition <Kind> <Type> <Reason>}: the schema cannot know (a missing Secret, an unknown
 *       template, a timezone that is not in the IANA database, parameter ranges), so it is stored, and the
 *       operator reports a condition of that type and reason with a message, and a Warning event with the same
 *       reason; it does not crash, does not hot-loop while the clock stands still, and creates no sandbox
 *       ({@code # creates: 0} additionally says E2B must not even be asked).</li>
 * </ul>
 */
class BadInputCorpusTest {
  static final Path DIR = Path.of("src/test/resources/bad-input");
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  record Case(String file, String yaml, List<String> expect, boolean noCreate) {
    boolean rejected() {
      return expect.get(0).equals("rejected");
    }

    @Override
    public String toString() {
      return file;
    }
  }

  static Case load(Path file) {
    try {
      String yaml = Files.readString(file);
      String first = yaml.lines().findFirst().orElse("");
      if (!first.startsWith("# expect: ")) {
        throw new IllegalStateException(file + ": first line must be '# expect: ...'");
      }
      String rest = first.substring("# expect: ".length()).trim();
      List<String> expect = new ArrayList<>();
      if (rest.startsWith("rejected ")) {
        expect.add("rejected");
        expect.add(rest.substring("rejected ".length()));
      } else if (rest.startsWith("condition ")) {
        expect.add("condition");
        expect.addAll(List.of(rest.substring("condition ".length()).trim().split("\\s+")));
        if (expect.size() != 4) {
          throw new IllegalStateException(file + ": expected 'condition <Kind> <Type> <Reason>'");
        }
      } else {
        throw new IllegalStateException(file + ": unknown expectation " + rest);
      }
      boolean noCreate = yaml.lines().anyMatch(l -> l.trim().equals("# creates: 0"));
      return new Case(file.getFileName().toString(), yaml, expect, noCreate);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Stream<Case> cases() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(BadInputCorpusTest::load).toList()
          .stream();
    }
  }

  @Test
  void theCorpusIsLargeAndCoversBothOutcomesAndAllKinds() throws IOException {
    List<Case> all = cases().toList();
    assertTrue(all.size() >= 30, "at least 30 bad inputs, got " + all.size());
    assertTrue(all.stream().filter(Case::rejected).count() >= 20, "schema rejections");
    assertTrue(all.stream().filter(c -> !c.rejected()).count() >= 8, "runtime conditions");
    for (String kind : List.of("E2BSandbox", "SandboxPool", "TradingAgent", "E2BDeployment")) {
      assertTrue(all.stream().anyMatch(c -> c.yaml().contains("kind: " + kind)), kind);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputIsRefusedOrReportedWithoutHarm(Case c) {
    if (c.rejected()) {
      rejected(c);
    } else {
      condition(c);
    }
  }

  private void rejected(Case c) {
    InMemoryKubernetes.AdmissionException e = assertThrows(InMemoryKubernetes.AdmissionException.class,
        () -> h.apply(c.yaml()), c.file() + " must be rejected by admission");
    assertTrue(e.getMessage().contains(c.expect().get(1)),
        c.file() + ": the message names the problem (" + c.expect().get(1) + "): " + e.getMessage());
    assertEquals(0, Estate.customResources(h), "a rejected object is not stored");
    assertEquals(0, h.runtime().requestCount(ServedOperation.CREATE));
  }

  /** The first custom resource of the manifest: the object under test. */
  private static Map<String, Object> subject(Case c, String kind) {
    for (String doc : c.yaml().split("(?m)^---\\s*$")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> node = Serialization.unmarshal(doc, Map.class);
      if (node != null && kind.equals(node.get("kind"))) {
        return node;
      }
    }
    throw new IllegalStateException(c.file() + " has no " + kind);
  }

  @SuppressWarnings("unchecked")
  private void condition(Case c) {
    String kind = c.expect().get(1);
    String type = c.expect().get(2);
    String reason = c.expect().get(3);
    String name = (String) ((Map<String, Object>) subject(c, kind).get("metadata")).get("name");
    Class<? extends HasMetadata> cls = InMemoryKubernetes.KINDS.stream()
        .filter(k -> k.getSimpleName().equals(kind)).findFirst().orElseThrow();

    h.apply(c.yaml());
    HasMetadata r = h.awaitResource(cls, name, x -> reason.equals(conditionOf(x, type)
        .map(Condition::getReason).orElse(null)));
    Condition cond = conditionOf(r, type).orElseThrow();
    assertEquals("False", cond.getStatus(), c.file() + ": " + type + " is False");
    assertNotNull(cond.getMessage());
    assertFalse(cond.getMessage().isBlank(), c.file() + ": the condition explains itself");
    h.awaitEvent(name, reason);
    Event event = h.events(name).stream().filter(e -> reason.equals(e.getReason())).findFirst().orElseThrow();
    assertEquals("Warning", event.getType(), c.file() + ": " + event);
    assertFalse(event.getMessage().isBlank());
    for (Event e : h.events(name)) {
      assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"),
          c.file() + ": events are one line: " + e.getMessage());
    }

    // No hot loop: with the clock frozen, nothing keeps reconciling, calling Kubernetes or E2B.
    long api = h.kubernetes().server().getRequestCount();
    double reconciles = reconciles();
    Map<ServedOperation, Long> e2b = h.runtime().requestCounts();
    await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> true);
    long apiDelta = h.kubernetes().server().getRequestCount() - api;
    double reconcileDelta = reconciles() - reconciles;
    assertTrue(apiDelta <= 10, c.file() + ": " + apiDelta + " Kubernetes API calls in 1.5 s of frozen time");
    assertTrue(reconcileDelta <= 3, c.file() + ": " + reconcileDelta + " reconciles in 1.5 s of frozen time");
    for (ServedOperation op : List.of(ServedOperation.CREATE, ServedOperation.GET, ServedOperation.KILL, ServedOperation.SET_TIMEOUT,
        ServedOperation.EXECUTE)) {
      assertEquals(e2b.getOrDefault(op, 0L), h.runtime().requestCount(op), c.file() + ": no repeated " + op);
    }
    // Still bounded after a minute of simulated time: retries back off instead of looping.
    long createsBefore = h.runtime().requestCount(ServedOperation.CREATE);
    for (int i = 0; i < 6; i++) {
      h.advance(Duration.ofSeconds(10));
    }
    await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertTrue(h.runtime().requestCount(ServedOperation.CREATE) - createsBefore <= 4,
        c.file() + ": creates back off, " + (h.runtime().requestCount(ServedOperation.CREATE) - createsBefore));
    assertEquals(reason, conditionOf(h.get(cls, name), type).map(Condition::getReason).orElse(null),
        c.file() + ": the condition stays");

    assertEquals(0, h.runtime().sandboxCount(), c.file() + ": no sandbox exists");
    if (c.noCreate()) {
      assertEquals(0, h.runtime().requestCount(ServedOperation.CREATE), c.file() + ": E2B was never asked to create");
    }
    assertEquals(200, healthz(), c.file() + ": the operator is still healthy");
  }

  private int healthz() {
    try {
      return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + h.operator().metricsPort() + "/healthz"))
          .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private double reconciles() {
    return h.operator().registry().getMeters().stream()
        .filter(m -> m.getId().getName().contains("reconciliations.started"))
        .filter(m -> m instanceof Counter).mapToDouble(m -> ((Counter) m).count()).sum();
  }

  @SuppressWarnings("unchecked")
  private static java.util.Optional<Condition> conditionOf(HasMetadata r, String type) {
    if (!(r instanceof CustomResource<?, ?> cr) || cr.getStatus() == null) {
      return java.util.Optional.empty();
    }
    try {
      List<Condition> conditions = (List<Condition>) cr.getStatus().getClass().getMethod("getConditions")
          .invoke(cr.getStatus());
      return Conditions.find(conditions, type);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
