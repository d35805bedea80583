package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import io.neuraltrader.e2b.client.BadRequestException;
import io.neuraltrader.e2b.client.ErrorDetails;
import io.neuraltrader.e2b.client.Operation;
import io.neuraltrader.e2b.client.SandboxNotFoundException;
import io.neuraltrader.e2b.client.ServerException;
import io.neuraltrader.e2b.shared.MissingReferenceException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every error a tick can raise maps to one reason, one message and one retry policy. */
class TickFailureTest {
  private static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private static ErrorDetails details(int status, Duration retryAfter) {
    return new ErrorDetails(Operation.GET, status, status, "boom", null, retryAfter);
  }

  @Test
  void strategyAndReferenceFailuresUseTheStrategyBackoff() {
    TickFailure raised = TickFailure.of(new TickFailedException("ValueError", "bad", "generate_signals"), "sbx");
    assertEquals(Reasons.TICK_FAILED, raised.reason());
    assertFalse(raised.serviceFailure());
    assertEquals(NOW.plus(MINUTE.multipliedBy(2)), raised.nextTry(NOW, MINUTE, 1));
    TickFailure missing = TickFailure.of(new MissingReferenceException(Reasons.SECRET_NOT_FOUND, "no secret"), "sbx");
    assertEquals(Reasons.SECRET_NOT_FOUND, missing.reason());
    assertFalse(missing.serviceFailure());
    TickFailure bug = TickFailure.of(new IllegalStateException("unreadable tick result"), "sbx");
    assertEquals("TickError", bug.reason());
    assertEquals("IllegalStateException: unreadable tick result", bug.message());
  }

  @Test
  void e2bServiceFailuresRetrySoonHonouringRetryAfter() {
    TickFailure server = TickFailure.of(new ServerException(details(503, Duration.ofSeconds(30)), null), "sbx");
    assertEquals(Reasons.SANDBOX_ERROR, server.reason());
    assertTrue(server.serviceFailure());
    assertEquals(NOW.plusSeconds(30), server.nextTry(NOW, MINUTE, 1), "Retry-After is longer than the backoff");
    TickFailure refused = TickFailure.of(new BadRequestException(details(400, null), null), "sbx");
    assertFalse(refused.serviceFailure(), "E2B refused the request: the strategy backoff");
  }

  @Test
  void aVanishedSandboxIsReportedGone() {
    TickFailure gone = TickFailure.of(new SandboxNotFoundException(details(404, null), null), "sbx-9");
    assertEquals("SandboxLost", gone.reason());
    assertTrue(gone.sandboxGone());
    assertTrue(gone.serviceFailure());
    assertTrue(gone.message().startsWith("sandbox sbx-9 is gone ("));
  }

  @Test
  void eventsThinOutAsFailuresRepeat() {
    assertTrue(TickFailure.worthAnEvent(1));
    assertTrue(TickFailure.worthAnEvent(2));
    assertFalse(TickFailure.worthAnEvent(3));
    assertTrue(TickFailure.worthAnEvent(8));
    assertFalse(TickFailure.worthAnEvent(9));
  }
}
