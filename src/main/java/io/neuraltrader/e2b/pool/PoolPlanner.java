package io.neuraltrader.e2b.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides how a pool reaches its desired warm count: how many members to create and which warm members to
 * delete. Pure. Members being created that the cache does not show yet ({@code inFlight}) count as warm, so a
 * stale cache never causes over-creation; {@code maxSandboxes} caps warm + claimed + in flight. Claimed
 * members are never deleted by the planner.
 */
public final class PoolPlanner {
  private PoolPlanner() {}

  /**
   * The plan, with the numbers status reports.
   *
   * @param warm unclaimed members, including creates in flight (not counting {@code create})
   * @param ready warm members that are Running
   * @param creating warm members not Running yet, including creates in flight (not counting {@code create})
   * @param limitedBy why fewer members than wanted are created (the cap), or null
   * @param heldBy the E2B answer that holds creation (a member's Ready reason), or null
   * @param release claimed members whose claimer is gone, to go back per the pool's release policy
   */
  public record Plan(int create, List<String> delete, int warm, int ready, int claimed, int creating,
      String limitedBy, String heldBy, List<PoolObservation.AbandonedClaim> release) {}

  /** How often a pool is looked at without any event: catches claims abandoned by deleted agents. */
  static final Duration PERIODIC_LOOK = Duration.ofMinutes(5);
  /** While E2B holds creation, members retry with their own backoff; the pool checks back at this pace. */
  static final Duration HELD_LOOK = Duration.ofSeconds(30);

  /** Removal order among warm members: not ready first, then newest first (ties by name: deterministic). */
  static final Comparator<PoolMember> SCALE_DOWN_ORDER = Comparator.comparing(PoolMember::ready)
      .thenComparing(PoolMember::createdAt, Comparator.nullsLast(Comparator.reverseOrder()))
      .thenComparing(PoolMember::name);
  /** Replacement order among stale members: not ready first, then oldest first. */
  static final Comparator<PoolMember> STALE_ORDER = Comparator.comparing(PoolMember::ready)
      .thenComparing(PoolMember::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(PoolMember::name);

  /** The plan for one reconcile: the counts below, plus the abandoned claims to release. */
  static Plan plan(PoolTarget target, PoolObservation observed, Instant now) {
    Plan counts = plan(target.desired(), target.maxSandboxes(), target.maxWarmAge(), observed.members(),
        observed.inFlight(), now);
    return new Plan(counts.create(), counts.delete(), counts.warm(), counts.ready(), counts.claimed(),
        counts.creating(), counts.limitedBy(), counts.heldBy(), observed.abandoned());
  }

  public static Plan plan(int desired, int maxSandboxes, Duration maxWarmAge, List<PoolMember> members,
      int inFlight, Instant now) {
    List<PoolMember> live = members.stream().filter(m -> !m.deleting()).toList();
    int claimed = (int) live.stream().filter(PoolMember::claimed).count();
    // An expired warm member never becomes ready again: it goes, and does not count.
    List<PoolMember> dead = live.stream().filter(m -> !m.claimed() && m.dead()).toList();
    List<PoolMember> warm = live.stream().filter(m -> !m.claimed() && !m.dead()).toList();
    List<PoolMember> stale = warm.stream().filter(m -> isStale(m, maxWarmAge, now)).sorted(STALE_ORDER).toList();
    List<PoolMember> fresh = warm.stream().filter(m -> !isStale(m, maxWarmAge, now)).toList();
    int ready = (int) warm.stream().filter(PoolMember::ready).count();
    int creating = (int) warm.stream().filter(m -> !m.ready()).count() + inFlight;
    String held = live.stream().map(PoolMember::blockedReason).filter(r -> r != null).findFirst().orElse(null);

    Set<String> delete = new LinkedHashSet<>();
    dead.forEach(m -> delete.add(m.name()));
    int create = 0;
    String limitedBy = null;
    int total = claimed + warm.size() + inFlight;
    int want = desired - (fresh.size() + inFlight);
    if (want > 0) {
      int room = maxSandboxes - total;
      if (held == null) {
        // At the cap, stale members make room for their replacements.
        for (int i = 0; room < want && i < stale.size(); i++) {
          delete.add(stale.get(i).name());
          room++;
        }
        create = Math.max(0, Math.min(want, room));
        if (create < want) {
          limitedBy = "maxSandboxes " + maxSandboxes + " reached (" + claimed + " claimed)";
        }
      }
    } else if (want < 0) {
      fresh.stream().sorted(SCALE_DOWN_ORDER).limit(-want).forEach(m -> delete.add(m.name()));
    }
    // Over the cap (maxSandboxes lowered): warm members go, stale ones first; claimed ones stay.
    List<PoolMember> removable = new ArrayList<>(stale);
    fresh.stream().sorted(SCALE_DOWN_ORDER).forEach(removable::add);
    long counted = warm.stream().filter(m -> delete.contains(m.name())).count();
    int after = total + create - (int) counted;
    for (int i = 0; after > maxSandboxes && i < removable.size(); i++) {
      if (delete.add(removable.get(i).name())) {
        after--;
      }
    }
    // Stale members go once enough fresh members are ready to replace them: the ready count never dips.
    long freshReadyKept = fresh.stream().filter(PoolMember::ready).filter(m -> !delete.contains(m.name())).count();
    if (freshReadyKept >= desired) {
      stale.forEach(m -> delete.add(m.name()));
    }
    return new Plan(create, List.copyOf(delete), warm.size() + inFlight, ready, claimed, creating, limitedBy,
        held, List.of());
  }

  /**
   * When to look at the pool next without an event: the periodic look, the next schedule transition, the
   * next member turning stale, the next expectation expiry, and a short look while creation is held.
   */
  static Instant nextLook(PoolTarget target, List<PoolMember> members, Plan plan, Instant expectationExpiry,
      Instant now) {
    Instant wake = now.plus(PERIODIC_LOOK);
    if (target.scheduled()) {
      wake = earliest(wake, target.schedule().nextTransition());
    }
    wake = earliest(wake, nextStale(target.maxWarmAge(), members, now));
    wake = earliest(wake, expectationExpiry);
    if (plan.heldBy() != null) {
      wake = earliest(wake, now.plus(HELD_LOOK));
    }
    return wake;
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }

  private static boolean isStale(PoolMember m, Duration maxWarmAge, Instant now) {
    return maxWarmAge != null && m.createdAt() != null && !now.isBefore(m.createdAt().plus(maxWarmAge));
  }

  /**
   * When the next warm member turns stale, if any. Members already stale are not counted: they wait for
   * their replacements, whose progress triggers reconciles on its own (a past instant would spin).
   */
  public static Instant nextStale(Duration maxWarmAge, List<PoolMember> members, Instant now) {
    if (maxWarmAge == null) {
      return null;
    }
    return members.stream().filter(m -> !m.claimed() && !m.deleting() && m.createdAt() != null)
        .map(m -> m.createdAt().plus(maxWarmAge)).filter(t -> t.isAfter(now))
        .min(Comparator.naturalOrder()).orElse(null);
  }
}
