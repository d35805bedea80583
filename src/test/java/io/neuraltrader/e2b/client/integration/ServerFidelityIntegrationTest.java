package io.neuraltrader.e2b.client.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.client.AuthException;
import io.neuraltrader.e2b.client.ConflictException;
import io.neuraltrader.e2b.client.ConflictException.SandboxCondition;
import io.neuraltrader.e2b.client.ConnectResult;
import io.neuraltrader.e2b.client.ExecuteRequest;
import io.neuraltrader.e2b.client.ExecutionResult;
import io.neuraltrader.e2b.client.HttpE2BClient;
import io.neuraltrader.e2b.client.ListedSandbox;
import io.neuraltrader.e2b.client.NetworkConfig;
import io.neuraltrader.e2b.client.NewSandbox;
import io.neuraltrader.e2b.client.Sandbox;
import io.neuraltrader.e2b.client.SandboxEndpoint;
import io.neuraltrader.e2b.client.SandboxNotFoundException;
import io.neuraltrader.e2b.client.SandboxState;
import io.neuraltrader.e2b.local.runtime.FaultPlan;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.local.runtime.Transition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the local runtime where it imitates what E2B's server does beyond its OpenAPI spec. */
class ServerFidelityIntegrationTest {
  private static final Duration SAFETY = Duration.ofSeconds(60);
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

  private List<String> ids(Map<String, String> filter) {
    return client.listAll(filter, Set.of()).stream().map(ListedSandbox::sandboxID).toList();
  }

  @Test
  void metadataValuesWithPlusPercentEqualsAndAmpersandEachFindExactlyTheirSandbox() {
    Sandbox plus = create(Map.of("id", "a+b"));
    Sandbox percent = create(Map.of("id", "50%"));
    Sandbox equals = create(Map.of("id", "k=v"));
    Sandbox amp = create(Map.of("id", "x&y"));
    create(Map.of("id", "a b"));
    create(Map.of("id", "x", "y", ""));
    // One layer short, '+' became a space (matching nothing or the wrong sandbox), '%' and '=' were a 400 and
    // '&' split the value into a second filter.
    assertEquals(List.of(plus.sandboxID()), ids(Map.of("id", "a+b")));
    assertEquals(List.of(percent.sandboxID()), ids(Map.of("id", "50%")));
    assertEquals(List.of(equals.sandboxID()), ids(Map.of("id", "k=v")));
    assertEquals(List.of(amp.sandboxID()), ids(Map.of("id", "x&y")));
    assertTrue(h.sleeps.isEmpty(), "no 400 and nothing retried");
  }

  @Test
  void pauseConflictsSayWhetherTheSandboxIsPausedOrStillTransitioning() {
    Sandbox sb = create(Map.of());
    h.runtime.beginTransition(sb.sandboxID(), Transition.PAUSING, Duration.ofSeconds(8));
    ConflictException pausing = assertThrows(ConflictException.class, () -> client.pause(sb.sandboxID()));
    assertEquals(SandboxCondition.PAUSING, pausing.sandboxCondition(), pausing.getMessage());
    assertEquals(SandboxState.RUNNING, client.get(sb.sandboxID()).state(), "not paused yet");

    h.serverClock.advance(Duration.ofSeconds(8));
    assertEquals(SandboxState.PAUSED, client.get(sb.sandboxID()).state());
    ConflictException paused = assertThrows(ConflictException.class, () -> client.pause(sb.sandboxID()));
    assertEquals(SandboxCondition.PAUSED, paused.sandboxCondition(), paused.getMessage());

    Sandbox other = create(Map.of());
    h.runtime.beginTransition(other.sandboxID(), Transition.SNAPSHOTTING, Duration.ofSeconds(3));
    assertEquals(SandboxCondition.SNAPSHOTTING,
        assertThrows(ConflictException.class, () -> client.pause(other.sandboxID())).sandboxCondition());
  }

  @Test
  void connectWhileTheSandboxIsBeingKilledIsAConflictThenItIsGone() {
    Sandbox sb = create(Map.of());
    h.runtime.beginTransition(sb.sandboxID(), Transition.KILLING, Duration.ofSeconds(2));
    ConflictException killing = assertThrows(ConflictException.class, () -> client.connect(sb.sandboxID(), 60));
    assertEquals(SandboxCondition.KILLING, killing.sandboxCondition(), killing.getMessage());
    assertEquals(SandboxCondition.KILLING,
        assertThrows(ConflictException.class, () -> client.pause(sb.sandboxID())).sandboxCondition());
    h.serverClock.advance(Duration.ofSeconds(2));
    assertThrows(SandboxNotFoundException.class, () -> client.get(sb.sandboxID()));

    // Connect waits out a pause in progress instead, and resumes the result.
    Sandbox other = create(Map.of());
    h.runtime.beginTransition(other.sandboxID(), Transition.PAUSING, Duration.ofSeconds(30));
    ConnectResult resumed = client.connect(other.sandboxID(), 60);
    assertTrue(resumed.resumed());
    assertEquals(SandboxState.RUNNING, client.get(other.sandboxID()).state());
  }

  @Test
  void aSandboxWithoutPublicTrafficNeedsTheTrafficTokenWhichCreateAndConnectReturn() {
    Sandbox priv = client.create(NewSandbox.builder(Harness.TEMPLATE).timeoutSeconds(300)
        .network(new NetworkConfig(null, null, false)).build());
    assertNotNull(priv.trafficAccessToken());
    assertFalse(priv.toString().contains(priv.trafficAccessToken()), "toString hides the token");
    assertFalse(priv.endpoint().toString().contains(priv.trafficAccessToken()));
    assertEquals("3", client.execute(priv.endpoint(), ExecuteRequest.of("1 + 2").withTimeout(SAFETY), null)
        .text().orElseThrow());
    assertNotNull(client.createContext(priv.endpoint(), null, null));

    SandboxEndpoint withoutToken = SandboxEndpoint.of(priv.sandboxID());
    AuthException refused = assertThrows(AuthException.class,
        () -> client.execute(withoutToken, ExecuteRequest.of("1").withTimeout(SAFETY), null));
    assertEquals(403, refused.status());
    assertTrue(refused.getMessage().contains("traffic access token"), refused.getMessage());
    assertThrows(AuthException.class, () -> client.createContext(withoutToken, null, null));
    assertThrows(AuthException.class, () -> client.execute(
        new SandboxEndpoint(priv.sandboxID(), null, null, "0".repeat(32)), ExecuteRequest.of("1"), null));

    // GET does not return it; connect does, so an operator that restarted gets it back.
    assertNull(client.get(priv.sandboxID()).endpoint().trafficAccessToken());
    ConnectResult connected = client.connect(priv.sandboxID(), 300);
    assertEquals(priv.trafficAccessToken(), connected.sandbox().trafficAccessToken());
    assertEquals("2", client.execute(connected.sandbox().endpoint(), ExecuteRequest.of("1 + 1").withTimeout(SAFETY),
        null).text().orElseThrow());

    Sandbox open = create(Map.of());
    assertNull(open.trafficAccessToken(), "public traffic needs no token");
  }

  @Test
  void aVanishedSandboxAnswersTheProxysNotFoundAndIsGoneForTheControlPlaneToo() {
    Sandbox sb = create(Map.of());
    assertEquals("1", client.execute(sb.endpoint(), ExecuteRequest.of("1").withTimeout(SAFETY), null)
        .text().orElseThrow());
    h.runtime.faults().set(ServedOperation.EXECUTE, FaultPlan.none().withVanishRate(1.0));
    SandboxNotFoundException lost = assertThrows(SandboxNotFoundException.class,
        () -> client.execute(sb.endpoint(), ExecuteRequest.of("1").withTimeout(SAFETY), null));
    assertEquals(502, lost.status());
    assertTrue(lost.e2bMessage().orElseThrow().contains("sandbox was not found"), lost.getMessage());
    assertThrows(SandboxNotFoundException.class, () -> client.get(sb.sandboxID()));
    assertEquals(0, h.runtime.sandboxCount());
  }

  @Test
  void outputTimestampsAreTheInterpretersDates() {
    Sandbox sb = create(Map.of());
    java.time.Instant before = java.time.Instant.now().minusSeconds(5);
    ExecutionResult r = client.execute(sb.endpoint(), ExecuteRequest.of("print('a')\nprint('b')").withTimeout(SAFETY),
        new io.neuraltrader.e2b.client.ExecutionListener() {
          @Override
          public void onStdout(io.neuraltrader.e2b.client.OutputMessage m) {
            assertNotNull(m.timestamp(), "an ISO date, read as an instant");
            assertTrue(m.timestamp().isAfter(before), m.timestamp().toString());
          }
        });
    assertEquals("a\nb\n", r.stdoutText());
  }
}
