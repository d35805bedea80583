package io.neuraltrader.e2b.sandbox;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxStatus;
import io.neuraltrader.e2b.api.v1alpha1.IdleAction;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.client.ListedSandbox;
import io.neuraltrader.e2b.client.SandboxState;
import io.neuraltrader.e2b.reconcile.StatusWriter;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides the one next step for an E2BSandbox from its spec, status and what E2B was last seen to hold.
 * Pure: no I/O, the clock is an argument. The reconciler acts on the step and asks again.
 */
public final class SandboxPlanner {
  /**
   * Renew the E2B timeout when about this fraction of it is left: a failed renewal still has a third of the
   * timeout to be retried, and renewals cost a third fewer calls than at half-life.
   */
  static final double RENEW_AT_REMAINING = 0.35;
  /** Renewal points spread over +-5% of the timeout by sandbox, so sandboxes created together do not renew together. */
  static final double RENEW_JITTER = 0.05;
  /** A listing younger than this after a create/start proves nothing about absence. */
  static final Duration LISTING_SETTLE = Duration.ofSeconds(2);
  public static final String PAUSE_REQUESTED = "Requested";
  public static final String PAUSE_IDLE = "Idle";
  /** Paused by someone else; spec.paused false resumes it. */
  public static final String PAUSE_EXTERNAL = "External";

  private SandboxPlanner() {}

  /** The steps a reconcile can take. */
  public enum Action {
    /** Look for a sandbox tagged with the resource uid; adopt it, else create one. */
    CREATE,
    /** The listing no longer shows the sandbox: confirm with a GET, then recreate (restarts + 1). */
    CONFIRM_LOST,
    /** Lifetime is over: kill the sandbox, phase Expired, never recreate. */
    EXPIRE,
    PAUSE,
    RESUME,
    /** idleAction Delete: delete the resource itself (its finalizer kills the sandbox). */
    DELETE_RESOURCE,
    /** Push the E2B timeout forward (the dead-man's switch). */
    RENEW,
    /** Nothing to do until {@link Plan#wakeAt()}. */
    NONE
  }

  /**
   * What E2B was last seen to hold for this resource.
   *
   * @param listed the sandbox the last listing showed with this resource's uid, or null
   * @param listedAt when that listing was taken (operator clock)
   * @param listingComplete the listing through this resource's E2B client succeeded (absence means something)
   * @param actedAt when the operator last changed the sandbox (create, renew, pause, resume), or null: a listing
   *     taken before that shows the state the operator just changed, so it must not override status
   */
  public record Observation(ListedSandbox listed, Instant listedAt, boolean listingComplete, Instant actedAt,
      Instant reportedGoneAt) {
    public Observation(ListedSandbox listed, Instant listedAt, boolean listingComplete, Instant actedAt) {
      this(listed, listedAt, listingComplete, actedAt, null);
    }

    public Observation(ListedSandbox listed, Instant listedAt, boolean listingComplete) {
      this(listed, listedAt, listingComplete, null, null);
    }

    public static Observation unknown() {
      return new Observation(null, null, false, null, null);
    }

    /** The listing was taken after the operator's last change to the sandbox. */
    public boolean fresh() {
      return listedAt != null && (actedAt == null || listedAt.isAfter(actedAt));
    }
  }

  /** A step, why, and when to look again if nothing else happens. */
  public record Plan(Action action, String reason, Instant wakeAt) {}

  public record Limits(Duration lifetime, Duration idleTimeout) {}

  /**
   * Brings status in line with what a fresh listing shows: a sandbox paused or resumed outside the operator
   * (an agent resuming an idle-paused sandbox, someone using E2B directly). A pause the spec asks for is
   * recorded as Requested, so setting paused back to false resumes it even if it was first paused as idle.
   * Returns a new status; {@code status} is left as it was.
   */
  public static E2BSandboxStatus syncObserved(E2BSandboxSpec spec, E2BSandboxStatus status, Observation observed,
      Instant now) {
    E2BSandboxStatus synced = StatusWriter.copy(status);
    ListedSandbox listed = observed.listed();
    boolean wantPaused = Boolean.TRUE.equals(spec.getPaused());
    if (listed != null && observed.fresh() && listed.sandboxID().equals(synced.getSandboxID())) {
      if (listed.state() == SandboxState.RUNNING && synced.getPhase() == SandboxPhase.Paused) {
        synced.setPhase(SandboxPhase.Running);
        synced.setPauseReason(null);
        synced.setLastRenewedAt(Times.format(now));
        synced.setExpiresAt(Times.format(listed.endAt() != null ? listed.endAt() : now));
      } else if (listed.state() == SandboxState.PAUSED && synced.getPhase() == SandboxPhase.Running) {
        synced.setPhase(SandboxPhase.Paused);
        synced.setPauseReason(wantPaused ? PAUSE_REQUESTED : PAUSE_EXTERNAL);
      }
    }
    if (wantPaused && synced.getPhase() == SandboxPhase.Paused) {
      synced.setPauseReason(PAUSE_REQUESTED);
    }
    return synced;
  }

  /** When the lifetime ends (counted from the first start), or null when there is none. */
  static Instant lifetimeEnd(E2BSandboxStatus status, Limits limits) {
    Instant firstStarted = Times.parse(status.getFirstStartedAt());
    return limits.lifetime() == null || firstStarted == null ? null : firstStarted.plus(limits.lifetime());
  }

  /** Why the sandbox must stop for good at {@code now}, or null while its lifetime lasts. */
  static String lifetimeOver(E2BSandboxStatus status, Limits limits, Instant now) {
    Instant end = lifetimeEnd(status, limits);
    return end != null && !now.isBefore(end) ? "lifetime " + Durations.describe(limits.lifetime()) + " reached"
        : null;
  }

  public static Plan decide(E2BSandboxSpec spec, E2BSandboxStatus status, Observation observed, Limits limits,
      Instant lastActivity, Instant now) {
    String sandboxID = status.getSandboxID();
    Instant lifetimeEnd = lifetimeEnd(status, limits);

    if (status.getPhase() == SandboxPhase.Expired) {
      return new Plan(Action.NONE, "lifetime over", null);
    }
    String over = lifetimeOver(status, limits, now);
    if (over != null) {
      return new Plan(sandboxID == null ? Action.NONE : Action.EXPIRE, over, null);
    }
    if (sandboxID == null) {
      return new Plan(Action.CREATE, "no sandbox yet", null);
    }

    if (observed.reportedGoneAt() != null) {
      // An execution was answered "sandbox not found" (E2B's proxy 502): look now, not at the next listing.
      return new Plan(Action.CONFIRM_LOST, "an execution in sandbox " + sandboxID
          + " was answered that the sandbox was not found", null);
    }
    ListedSandbox listed = observed.listed();
    boolean listedThis = listed != null && sandboxID.equals(listed.sandboxID());
    // A listing older than the operator's last change to the sandbox shows the state before that change
    // (still running just after a pause, the old end time just after a renewal): status is the truth then.
    boolean fresh = observed.fresh();
    Instant started = Times.parse(status.getStartedAt());
    if (!listedThis && observed.listingComplete() && fresh
        && (started == null || observed.listedAt().isAfter(started.plus(LISTING_SETTLE)))) {
      return new Plan(Action.CONFIRM_LOST, "sandbox " + sandboxID + " is no longer listed by E2B", null);
    }
    return decideLive(spec, status, listedThis && fresh ? listed : null, limits, lastActivity, lifetimeEnd, now);
  }

  /**
   * The step for a sandbox E2B still has: pause, resume, idle, renew or wait.
   *
   * @param listed this sandbox as a fresh listing shows it, or null (status is the truth then)
   */
  private static Plan decideLive(E2BSandboxSpec spec, E2BSandboxStatus status, ListedSandbox listed,
      Limits limits, Instant lastActivity, Instant lifetimeEnd, Instant now) {
    Instant started = Times.parse(status.getStartedAt());
    boolean paused = listed != null ? listed.state() == SandboxState.PAUSED
        : status.getPhase() == SandboxPhase.Paused;
    boolean wantPaused = Boolean.TRUE.equals(spec.getPaused());
    if (wantPaused && !paused) {
      return new Plan(Action.PAUSE, PAUSE_REQUESTED, null);
    }
    if (!wantPaused && paused && !PAUSE_IDLE.equals(status.getPauseReason())) {
      return new Plan(Action.RESUME, "spec.paused is false", null);
    }
    if (paused) {
      // A paused sandbox does not time out; an idle-paused one resumes when work arrives for it.
      return new Plan(Action.NONE, "paused", lifetimeEnd);
    }

    Instant wake = lifetimeEnd;
    if (limits.idleTimeout() != null) {
      Instant since = latest(lastActivity, started);
      if (since != null) {
        Instant idleAt = since.plus(limits.idleTimeout());
        if (!now.isBefore(idleAt)) {
          return spec.getIdleAction() == IdleAction.Delete
              ? new Plan(Action.DELETE_RESOURCE, "idle for " + Durations.describe(limits.idleTimeout()), null)
              : new Plan(Action.PAUSE, PAUSE_IDLE, null);
        }
        wake = earliest(wake, idleAt);
      }
    }

    Instant renewAt = renewalDue(spec, status, listed != null ? listed.endAt() : null);
    if (renewAt != null && !now.isBefore(renewAt)) {
      return new Plan(Action.RENEW, "timeout renewal due", null);
    }
    return new Plan(Action.NONE, "running", earliest(wake, renewAt));
  }

  /**
   * When the E2B timeout must next be pushed forward: from the end time a fresh listing shows (E2B's
   * {@code endAt} is the truth, earlier or later than recorded: a shortened timeout, or a status written before
   * renewals this operator made and, after a restart, no longer remembers), else from status.
   */
  static Instant renewalDue(E2BSandboxSpec spec, E2BSandboxStatus status, Instant listedEndAt) {
    Duration timeout = Duration.ofSeconds(spec.getTimeoutSeconds() == null ? 300 : spec.getTimeoutSeconds());
    Instant expires = listedEndAt != null ? listedEndAt : Times.parse(status.getExpiresAt());
    if (expires == null) {
      return null;
    }
    return expires.minus(Duration.ofMillis((long) (timeout.toMillis() * renewFraction(status.getSandboxID()))));
  }

  /** Fraction of the timeout left when the renewal is due: 0.30 to 0.40, fixed per sandbox. */
  static double renewFraction(String sandboxID) {
    int bucket = sandboxID == null ? 50 : Math.floorMod(sandboxID.hashCode(), 101);
    return RENEW_AT_REMAINING - RENEW_JITTER + (2 * RENEW_JITTER) * bucket / 100.0;
  }

  private static Instant latest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }

  static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }

  /** Short human form of a duration for messages. */
  static final class Durations {
    private Durations() {}

    static String describe(Duration d) {
      return io.neuraltrader.e2b.schedule.Durations.format(d);
    }
  }
}
