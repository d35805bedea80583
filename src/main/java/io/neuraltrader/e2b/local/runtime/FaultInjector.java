package io.neuraltrader.e2b.local.runtime;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fault plans per operation, changeable while the runtime serves. Each operation draws from its own
 * {@link Random} derived from the seed, so a given sequence of requests meets the same faults on every run.
 */
public final class FaultInjector {

  private static final int[] ERROR_STATUSES = {500, 502, 503};

  private final Map<ServedOperation, Random> randoms = new EnumMap<>(ServedOperation.class);
  private final Map<ServedOperation, FaultPlan> plans = new ConcurrentHashMap<>();
  private volatile FaultPlan defaultPlan = FaultPlan.none();

  FaultInjector(long seed) {
    for (ServedOperation op : ServedOperation.values()) {
      randoms.put(op, new Random(seed ^ (0x9E3779B97F4A7C15L * (op.ordinal() + 1))));
    }
  }

  /** Sets the plan of one operation (it replaces the default plan for that operation). */
  public void set(ServedOperation op, FaultPlan plan) {
    plans.put(op, plan);
  }

  /** Sets the plan of one operation by its wire name, e.g. {@code "set_timeout"}. */
  public void set(String op, FaultPlan plan) {
    set(ServedOperation.fromWireName(op), plan);
  }

  /** Sets the plan every operation without its own plan uses. */
  public void setDefault(FaultPlan plan) {
    defaultPlan = plan;
  }

  /** Removes every plan, the default included: no more faults. */
  public void clear() {
    plans.clear();
    defaultPlan = FaultPlan.none();
  }

  /** The plan in effect for an operation. */
  public FaultPlan plan(ServedOperation op) {
    return plans.getOrDefault(op, defaultPlan);
  }

  /** Draws the fate of one request. */
  Decision decide(ServedOperation op) {
    FaultPlan plan = plan(op);
    if (plan.isNone()) {
      return Decision.NONE;
    }
    double outcome;
    int statusPick;
    double lost;
    Random random = randoms.get(op);
    synchronized (random) {
      // always three draws per request, so one kind's rate does not shift another kind's sequence
      outcome = random.nextDouble();
      statusPick = random.nextInt(ERROR_STATUSES.length);
      lost = random.nextDouble();
    }
    Kind kind = Kind.NONE;
    if (outcome < plan.connectionResetRate()) {
      kind = Kind.RESET;
    } else if (outcome < plan.connectionResetRate() + plan.errorRate()) {
      kind = Kind.ERROR;
    } else if (outcome < plan.connectionResetRate() + plan.errorRate() + plan.rateLimitRate()) {
      kind = Kind.RATE_LIMIT;
    }
    boolean loseCreate = op == ServedOperation.CREATE && lost < plan.lostCreateResponseRate();
    // The same draw as a lost create: the two never apply to the same operation.
    boolean vanish = kind == Kind.NONE && op.sandboxTraffic() && lost < plan.vanishRate();
    return new Decision(kind, ERROR_STATUSES[statusPick], plan.retryAfterSeconds(), plan.latency(), loseCreate,
        vanish);
  }

  enum Kind { NONE, RESET, ERROR, RATE_LIMIT }

  /**
   * The outcome for one request: an injected answer (or none), a delay, whether to drop a create's answer and
   * whether the sandbox addressed vanishes.
   */
  record Decision(Kind kind, int errorStatus, int retryAfterSeconds, Duration latency, boolean loseCreateResponse,
      boolean vanish) {
    static final Decision NONE = new Decision(Kind.NONE, 0, 0, Duration.ZERO, false, false);
  }
}
