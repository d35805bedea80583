package io.neuraltrader.e2b.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one logical call: rate limit, circuit breaker, HTTP, error mapping, retries, metrics, logs.
 * Logs carry the operation, status, attempt and duration only, never headers or URLs with secrets.
 */
final class CallExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(CallExecutor.class);

  /** Turns a successful response into a value. */
  @FunctionalInterface
  interface BodyReader<T> {
    T read(Response response) throws IOException;
  }

  private record AttemptResult<T>(T value, E2BException failure) { }

  private final OkHttpClient controlHttp;
  private final OkHttpClient executeHttp;
  private final Map<Api, CircuitBreaker> breakers = new EnumMap<>(Api.class);
  private final TokenBucketRateLimiter limiter;
  private final ErrorMapper errors;
  private final E2BMetrics metrics;
  private final RetryPolicy policy;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Random random;

  CallExecutor(OkHttpClient controlHttp, OkHttpClient executeHttp, E2BClientConfig config, ErrorMapper errors,
      E2BMetrics metrics, Clock clock, Sleeper sleeper, Random random) {
    this.controlHttp = controlHttp;
    this.executeHttp = executeHttp;
    this.errors = errors;
    this.metrics = metrics;
    this.policy = config.retryPolicy();
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
    this.limiter = new TokenBucketRateLimiter(config.rateLimit(), clock, sleeper, metrics::recordThrottled);
    for (Api api : Api.values()) {
      CircuitBreaker b = new CircuitBreaker(api, config.breaker(), clock);
      breakers.put(api, b);
      metrics.registerBreaker(b);
    }
  }

  CircuitBreaker breaker(Api api) {
    return breakers.get(api);
  }

  /** A call retried per its operation's retry mode within the retry policy's bounds. */
  <T> T call(Operation op, Supplier<Request> request, Duration deadline, BodyReader<T> reader) {
    Instant start = clock.instant();
    for (int attempt = 1; ; attempt++) {
      AttemptResult<T> res = attempt(op, request.get(), deadline, reader, attempt, false);
      if (res.failure() == null) {
        return res.value();
      }
      E2BException f = res.failure();
      if (!retryable(op, f) || attempt >= policy.maxAttempts() || Thread.currentThread().isInterrupted()) {
        throw f;
      }
      Duration delay = policy.backoff(attempt - 1, random);
      Duration retryAfter = f.retryAfter().orElse(Duration.ZERO);
      if (retryAfter.compareTo(delay) > 0) {
        delay = retryAfter;
      }
      if (Duration.between(start, clock.instant()).plus(delay).compareTo(policy.maxTotalTime()) > 0) {
        LOG.debug("e2b {} giving up after attempt {}: retry budget exhausted", op.tag(), attempt);
        throw f;
      }
      metrics.recordRetry(op, f.outcome());
      LOG.debug("e2b {} retry after attempt {} ({}) in {} ms", op.tag(), attempt, f.outcome().tag(),
          delay.toMillis());
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw f;
      }
    }
  }

  /** A single streaming attempt (code execution): never retried. */
  <T> T once(Operation op, Request request, Duration deadline, BodyReader<T> reader) {
    AttemptResult<T> res = attempt(op, request, deadline, reader, 1, true);
    if (res.failure() != null) {
      throw res.failure();
    }
    return res.value();
  }

  private <T> AttemptResult<T> attempt(Operation op, Request request, Duration deadline, BodyReader<T> reader,
      int attempt, boolean streaming) {
    if (op.api() == Api.CONTROL) {
      try {
        limiter.acquire(op.priority());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new AttemptResult<>(null, new ConnectionFailureException(
            ErrorDetails.noAnswer(op, "interrupted before sending"), e, true));
      }
    }
    CircuitBreaker breaker = breakers.get(op.api());
    long t0 = System.nanoTime();
    try {
      breaker.acquire(op);
    } catch (CircuitOpenException open) {
      finish(op, open.outcome(), 0, attempt, t0);
      return new AttemptResult<>(null, open);
    }
    OkHttpClient http = op.api() == Api.CONTROL ? controlHttp : executeHttp;
    Call call = http.newCall(request);
    if (deadline != null && !deadline.isZero()) {
      call.timeout().timeout(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }
    boolean answered = false;
    int status = 0;
    E2BException failure;
    try (Response response = call.execute()) {
      answered = true;
      status = response.code();
      if (response.isSuccessful()) {
        T value = readSuccess(op, response, reader);
        breaker.onSuccess();
        finish(op, Outcome.SUCCESS, status, attempt, t0);
        return new AttemptResult<>(value, null);
      }
      failure = errors.fromResponse(op, response);
    } catch (IOException e) {
      failure = answered && streaming ? errors.fromStreamIo(op, e) : errors.fromIo(op, e);
    } catch (E2BException e) {
      failure = e;
    } catch (RuntimeException | Error e) {
      // The caller's listener failed: the service did nothing wrong.
      breaker.onSuccess();
      breaker.release();
      throw e;
    }
    if (op.retryMode() == Operation.RetryMode.CREATE && !retryable(op, failure) && uncertain(failure)) {
      failure = new CreateOutcomeUnknownException(failure);
    }
    if (failure.serviceFault()) {
      breaker.onFailure();
    } else {
      breaker.onSuccess();
    }
    finish(op, failure.outcome(), status, attempt, t0);
    return new AttemptResult<>(null, failure);
  }

  private <T> T readSuccess(Operation op, Response response, BodyReader<T> reader) throws IOException {
    try {
      return reader.read(response);
    } catch (JsonProcessingException e) {
      throw new ServerException(new ErrorDetails(op, response.code(), null,
          "unreadable response body: " + e.getOriginalMessage(), null, null), null);
    }
  }

  private void finish(Operation op, Outcome outcome, int status, int attempt, long t0) {
    long nanos = System.nanoTime() - t0;
    metrics.recordRequest(op, outcome, nanos);
    LOG.debug("e2b {} attempt={} status={} outcome={} duration={}ms", op.tag(), attempt, status, outcome.tag(),
        TimeUnit.NANOSECONDS.toMillis(nanos));
  }

  static boolean retryable(Operation op, E2BException f) {
    return switch (op.retryMode()) {
      case NONE -> false;
      case FULL -> f instanceof RateLimitedException || f instanceof E2BTimeoutException
          || f instanceof ConnectionFailureException
          || (f instanceof ServerException && (f.status() == 502 || f.status() == 503 || f.status() == 504));
      case SAFE_ONLY, CREATE -> f instanceof RateLimitedException
          || (f instanceof ConnectionFailureException c && c.requestNotSent());
    };
  }

  /** The request may have been acted on: no answer, or a server error. */
  private static boolean uncertain(E2BException f) {
    return f instanceof E2BTimeoutException || f instanceof ConnectionFailureException
        || f instanceof ServerException;
  }
}
