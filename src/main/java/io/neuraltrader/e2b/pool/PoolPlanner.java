package io.neuraltrader.e2b.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides how a pool reaches its desired warm count: how many members to create and which warm members to
 * delete. Pure. Members being created that the cache does not show yet ({@code inFlight}) count as warm, so a
 * stale cache never causes over-creation; {@code maxSandboxes} caps warm + claimed + in flight.
 */
public final class PoolPlanner {
  private PoolPlanner() {}

  /** The plan, with the numbers status reports. */
  public record Plan(int create, List<String> delete, int warm, int ready, int claimed, int creating,
      String limitedBy, String heldBy) {}

  public static Plan plan(int desired, int maxSandboxes, Duration maxWarmAge, List<PoolMember> members,
      int inFlight, Instant now) {
    List<PoolMember> live = members.stream().filter(m -> !m.deleting()).toList();
    List<PoolMember> warm = live.stream().filter(m -> !m.claimed()).toList();
    int claimed = (int) live.stream().filter(PoolMember::claimed).count();
    List<PoolMember> stale = maxWarmAge == null ? List.of() : warm.stream()
        .filter(m -> m.createdAt() != null && !now.isBefore(m.createdAt().plus(maxWarmAge))).toList();
    List<PoolMember> fresh = warm.stream().filter(m -> !stale.contains(m)).toList();
    int freshReady = (int) fresh.stream().filter(PoolMember::ready).count();
    int ready = (int) warm.stream().filter(PoolMember::ready).count();
    int creating = (int) warm.stream().filter(m -> !m.ready()).count() + inFlight;
    String held = live.stream().map(PoolMember::blockedReason).filter(r -> r != null).findFirst().orElse(null);

    List<String> delete = new ArrayList<>();
    int create = 0;
    String limitedBy = null;
    int total = live.size() + inFlight;
    int want = desired - (fresh.size() + inFlight);
    if (want > 0) {
      int room = maxSandboxes - total;
      // At the cap, stale members make room for their replacements.
      for (int i = 0; room < want && i < stale.size(); i++) {
        delete.add(stale.get(i).name());
        room++;
      }
      create = Math.max(0, Math.min(want, room));
      if (create < want) {
        limitedBy = "maxSandboxes " + maxSandboxes + " reached (" + claimed + " claimed)";
      }
      if (held != null) {
        create = 0;
      }
    } else if (want < 0) {
      // Too many warm members: remove those not ready yet first, then the newest (stale ones go below).
      List<PoolMember> order = fresh.stream().sorted(Comparator.comparing(PoolMember::ready)
              .thenComparing(PoolMember::createdAt, Comparator.nullsLast(Comparator.reverseOrder())))
          .toList();
      for (int i = 0; i < -want && i < order.size(); i++) {
        delete.add(order.get(i).name());
      }
    }
    // Stale members go once their replacements are ready.
    if (freshReady >= desired) {
      stale.stream().map(PoolMember::name).filter(n -> !delete.contains(n)).forEach(delete::add);
    }
    return new Plan(create, delete, warm.size(), ready, claimed, creating, limitedBy, held);
  }

  /** When the next warm member turns stale, if any. */
  public static Instant nextStale(Duration maxWarmAge, List<PoolMember> members) {
    if (maxWarmAge == null) {
      return null;
    }
    return members.stream().filter(m -> !m.claimed() && !m.deleting() && m.createdAt() != null)
        .map(m -> m.createdAt().plus(maxWarmAge)).min(Comparator.naturalOrder()).orElse(null);
  }
}
