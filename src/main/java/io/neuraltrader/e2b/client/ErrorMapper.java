package io.neuraltrader.e2b.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import okhttp3.Response;

/** Turns HTTP answers and I/O failures into typed {@link E2BException}s. */
final class ErrorMapper {
  static final String CAPACITY_ERROR_CODE = "sandbox_capacity_unavailable";
  private static final int MAX_BODY = 8 * 1024;
  private static final int MAX_MESSAGE = 500;

  private final ObjectMapper json;
  private final Clock clock;
  private final Redactor redactor;

  ErrorMapper(ObjectMapper json, Clock clock, Redactor redactor) {
    this.json = json;
    this.clock = clock;
    this.redactor = redactor;
  }

  E2BException fromResponse(Operation op, Response response) {
    int status = response.code();
    String raw = readBody(response);
    Integer code = null;
    String message = null;
    String errorCode = null;
    boolean namesSandbox = false;
    try {
      JsonNode node = raw.isBlank() ? null : json.readTree(raw);
      if (node != null && node.isObject()) {
        code = node.hasNonNull("code") && node.get("code").canConvertToInt() ? node.get("code").asInt() : null;
        message = node.hasNonNull("message") ? node.get("message").asText() : null;
        errorCode = node.hasNonNull("error_code") ? node.get("error_code").asText() : null;
        namesSandbox = node.hasNonNull("sandboxId");
      } else if (!raw.isBlank()) {
        message = raw;
      }
    } catch (IOException notJson) {
      message = raw;
    }
    message = clip(redactor.redact(message));
    errorCode = clip(redactor.redact(errorCode));
    Duration retryAfter = parseRetryAfter(response.header("Retry-After"), clock);
    ErrorDetails d = new ErrorDetails(op, status, code, message, errorCode, retryAfter);
    return classify(d, namesSandbox);
  }

  static E2BException classify(ErrorDetails d) {
    return classify(d, false);
  }

  /**
   * {@code proxyAnswer}: the body carries {@code sandboxId}, as the sandbox proxy's own errors do (the code
   * interpreter behind it never sends one).
   */
  static E2BException classify(ErrorDetails d, boolean proxyAnswer) {
    int status = d.status();
    if (isCapacity(d)) {
      return new CapacityException(d, null);
    }
    if (isSandboxGone(d, proxyAnswer)) {
      return new SandboxNotFoundException(d, null);
    }
    return switch (status) {
      case 400 -> new BadRequestException(d, null);
      case 401, 403 -> new AuthException(d, null);
      case 404, 410 -> d.operation().sandboxScoped()
          ? new SandboxNotFoundException(d, null) : new NotFoundException(d, null);
      case 409 -> new ConflictException(d, null);
      case 429 -> new RateLimitedException(d, null);
      default -> status >= 400 && status < 500
          ? new BadRequestException(d, null) : new ServerException(d, null);
    };
  }

  /** See {@link CapacityException} for the rule. */
  static boolean isCapacity(ErrorDetails d) {
    if (CAPACITY_ERROR_CODE.equals(d.errorCode())) {
      return true;
    }
    if (d.status() != 429 && d.status() != 503) {
      return false;
    }
    String m = d.message() == null ? "" : d.message().toLowerCase(Locale.ROOT);
    return m.contains("capacity") || m.contains("concurren");
  }

  /**
   * The sandbox proxy's "sandbox not found": 502 (404 in newer proxies) with "The sandbox was not found" or
   * "Sandbox not found"; SDKs add "likely due to sandbox timeout". The sandbox is gone, not the network.
   */
  static boolean isSandboxGone(ErrorDetails d, boolean proxyAnswer) {
    if (d.status() != 502 && !(d.status() == 404 && d.operation().api() == Api.EXECUTE)) {
      return false;
    }
    String m = d.message() == null ? "" : d.message().toLowerCase(Locale.ROOT);
    boolean sandboxTraffic = d.operation().api() == Api.EXECUTE;
    boolean says = m.contains("sandbox") && (m.contains("not found")
        || (sandboxTraffic && (m.contains("timed out") || m.contains("timeout"))));
    return d.status() == 502 ? says : says && proxyAnswer;
  }

  /** I/O failure with no HTTP answer. Only failures that happen before connecting count as not sent. */
  E2BException fromIo(Operation op, IOException e) {
    ErrorDetails d = ErrorDetails.noAnswer(op, describe(e));
    if (e instanceof InterruptedIOException) {
      return new E2BTimeoutException(d, e, true);
    }
    boolean notSent = e instanceof ConnectException || e instanceof UnknownHostException
        || e instanceof NoRouteToHostException || e instanceof PortUnreachableException;
    return new ConnectionFailureException(d, e, notSent);
  }

  /** I/O failure while reading an execution stream that had already started (HTTP 200 received). */
  E2BException fromStreamIo(Operation op, IOException e) {
    ErrorDetails d = ErrorDetails.noAnswer(op, "stream interrupted: " + describe(e));
    if (e instanceof SocketTimeoutException) {
      return new E2BTimeoutException(d, e, true);
    }
    if (e instanceof InterruptedIOException) {
      // The call deadline (the execution's own timeout) ran out while the sandbox was answering.
      return new E2BTimeoutException(d, e, false);
    }
    return new ExecutionStreamBrokenException(d, e);
  }

  private String describe(IOException e) {
    String m = e.getMessage();
    return clip(redactor.redact(e.getClass().getSimpleName() + (m == null ? "" : ": " + m)));
  }

  /** Retry-After as delay-seconds or an HTTP-date; null when absent or unreadable. */
  static Duration parseRetryAfter(String header, Clock clock) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String v = header.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException unreadable) {
        return null;
      }
    }
  }

  private static String readBody(Response response) {
    try {
      return response.body() == null ? "" : response.peekBody(MAX_BODY).string();
    } catch (IOException e) {
      return "";
    }
  }

  private static String clip(String s) {
    if (s == null) {
      return null;
    }
    String t = s.strip();
    return t.length() <= MAX_MESSAGE ? t : t.substring(0, MAX_MESSAGE) + "...";
  }
}
