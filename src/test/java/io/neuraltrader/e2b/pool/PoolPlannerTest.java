package io.neuraltrader.e2b.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure planner: cap, in-flight counting, stale replacement, scale-down order, hold. No server. */
class PoolPlannerTest {
  private static final Instant NOW = Instant.parse("2026-03-02T14:00:00Z");
  private static final Duration AGE = Duration.ofMinutes(10);

  /** A warm member created {@code minutesAgo} before NOW. */
  private static PoolMember warm(String name, boolean ready, long minutesAgo) {
    return new PoolMember(name, false, ready, false, false, NOW.minus(Duration.ofMinutes(minutesAgo)), null, null);
  }

  private static PoolMember claimed(String name) {
    return new PoolMember(name, true, true, false, false, NOW.minusSeconds(60), "uid-" + name, null);
  }

  private static PoolMember blocked(String name, String reason) {
    return new PoolMember(name, false, false, false, false, NOW, null, reason);
  }

  private static PoolMember deleting(String name) {
    return new PoolMember(name, false, true, true, false, NOW.minusSeconds(60), null, null);
  }

  private static PoolMember expired(String name) {
    return new PoolMember(name, false, false, false, true, NOW.minusSeconds(60), null, null);
  }

  @Test
  void emptyPoolCreatesTheDesiredCount() {
    PoolPlanner.Plan plan = PoolPlanner.plan(3, 5, null, List.of(), 0, NOW);
    assertEquals(3, plan.create());
    assertEquals(List.of(), plan.delete());
    assertNull(plan.limitedBy());
    assertNull(plan.heldBy());
  }

  @Test
  void createsInFlightCountAsWarmSoAStaleCacheNeverOverCreates() {
    assertEquals(0, PoolPlanner.plan(3, 5, null, List.of(), 3, NOW).create());
    assertEquals(1, PoolPlanner.plan(3, 5, null, List.of(), 2, NOW).create());
    assertEquals(0, PoolPlanner.plan(3, 5, null, List.of(warm("a", false, 0)), 2, NOW).create());
    PoolPlanner.Plan plan = PoolPlanner.plan(3, 5, null, List.of(warm("a", true, 0)), 2, NOW);
    assertEquals(3, plan.warm(), "in-flight creates are warm members in status");
    assertEquals(2, plan.creating());
    assertEquals(1, plan.ready());
  }

  @Test
  void theCapCountsClaimedAndInFlightMembers() {
    List<PoolMember> members = List.of(claimed("c1"), claimed("c2"));
    PoolPlanner.Plan plan = PoolPlanner.plan(3, 4, null, members, 1, NOW);
    assertEquals(1, plan.create(), "2 claimed + 1 in flight + 1 new = the cap of 4");
    assertNotNull(plan.limitedBy());
    assertTrue(plan.limitedBy().contains("2 claimed"), plan.limitedBy());
    assertEquals(0, PoolPlanner.plan(3, 3, null, members, 1, NOW).create());
    assertNull(PoolPlanner.plan(3, 10, null, members, 1, NOW).limitedBy());
  }

  @Test
  void membersBeingDeletedDoNotCount() {
    PoolPlanner.Plan plan = PoolPlanner.plan(2, 5, null, List.of(deleting("d1"), warm("a", true, 1)), 0, NOW);
    assertEquals(1, plan.create());
    assertEquals(List.of(), plan.delete(), "a member being deleted is not deleted again");
    assertEquals(1, plan.warm());
  }

  @Test
  void staleMembersAreReplacedFirstAndRemovedOnlyOnceReplacementsAreReady() {
    List<PoolMember> stale = List.of(warm("old-1", true, 11), warm("old-2", true, 10));
    PoolPlanner.Plan replacing = PoolPlanner.plan(2, 5, AGE, stale, 0, NOW);
    assertEquals(2, replacing.create(), "stale members are replaced");
    assertEquals(List.of(), replacing.delete(), "under the cap the stale members stay until replacements are ready");

    List<PoolMember> halfway = new ArrayList<>(stale);
    halfway.add(warm("new-1", true, 0));
    halfway.add(warm("new-2", false, 0));
    assertEquals(List.of(), PoolPlanner.plan(2, 5, AGE, halfway, 0, NOW).delete(),
        "one replacement ready is not enough for two desired");

    List<PoolMember> replaced = new ArrayList<>(stale);
    replaced.add(warm("new-1", true, 0));
    replaced.add(warm("new-2", true, 0));
    PoolPlanner.Plan done = PoolPlanner.plan(2, 5, AGE, replaced, 0, NOW);
    assertEquals(0, done.create());
    assertEquals(List.of("old-1", "old-2"), done.delete());
  }

  @Test
  void atTheCapStaleMembersMakeRoomNotReadyFirstThenOldestFirst() {
    List<PoolMember> members = List.of(warm("fresh", true, 1), warm("stale-oldest", true, 30),
        warm("stale-old", true, 20));
    PoolPlanner.Plan plan = PoolPlanner.plan(2, 3, AGE, members, 0, NOW);
    assertEquals(1, plan.create());
    assertEquals(List.of("stale-oldest"), plan.delete(), "the oldest stale member makes room; the other waits");

    List<PoolMember> withBroken = List.of(warm("fresh", true, 1), warm("stale-oldest", true, 30),
        warm("stale-broken", false, 20));
    assertEquals(List.of("stale-broken"), PoolPlanner.plan(2, 3, AGE, withBroken, 0, NOW).delete(),
        "a stale member that is not ready goes before a ready one");
  }

  @Test
  void scaleDownRemovesNotReadyMembersFirstThenTheNewestAndNeverClaimedOnes() {
    List<PoolMember> members = List.of(claimed("c1"), warm("oldest", true, 9), warm("newest", true, 1),
        warm("middle", true, 5), warm("starting", false, 0));
    PoolPlanner.Plan plan = PoolPlanner.plan(1, 10, null, members, 0, NOW);
    assertEquals(0, plan.create());
    assertEquals(List.of("starting", "newest", "middle"), plan.delete());
    assertEquals(1, plan.claimed());
  }

  @Test
  void aCapacityAnswerHoldsCreationAndKeepsStaleMembersItCannotReplace() {
    List<PoolMember> members = List.of(blocked("b1", "RateLimited"), warm("stale", true, 30));
    PoolPlanner.Plan plan = PoolPlanner.plan(5, 2, AGE, members, 0, NOW);
    assertEquals(0, plan.create());
    assertEquals("RateLimited", plan.heldBy());
    assertEquals(List.of(), plan.delete(), "no room is made for members the hold would not create anyway");
    assertNull(plan.limitedBy());

    PoolPlanner.Plan released = PoolPlanner.plan(5, 10, null, List.of(warm("b1", true, 0)), 0, NOW);
    assertNull(released.heldBy());
    assertEquals(4, released.create());
  }

  @Test
  void expiredWarmMembersAreRemovedAndReplaced() {
    PoolPlanner.Plan plan = PoolPlanner.plan(2, 2, null, List.of(expired("x"), warm("a", true, 1)), 0, NOW);
    assertEquals(List.of("x"), plan.delete());
    assertEquals(1, plan.create(), "an expired member does not count against the cap");
    assertEquals(1, plan.warm());
  }

  @Test
  void loweringTheCapRemovesWarmMembersButNeverClaimedOnes() {
    List<PoolMember> members = List.of(claimed("c1"), claimed("c2"), claimed("c3"), warm("a", true, 5),
        warm("b", false, 1));
    PoolPlanner.Plan plan = PoolPlanner.plan(2, 4, null, members, 0, NOW);
    assertEquals(0, plan.create());
    assertEquals(List.of("b"), plan.delete());
    PoolPlanner.Plan tighter = PoolPlanner.plan(2, 1, null, members, 0, NOW);
    assertEquals(List.of("b", "a"), tighter.delete(), "all warm members go; the claimed ones stay over the cap");
  }

  @Test
  void nextStaleIsTheNextFutureInstantOnly() {
    List<PoolMember> members = List.of(warm("past", true, 30), warm("soon", true, 8), warm("later", true, 2),
        claimed("c"));
    assertEquals(NOW.plus(Duration.ofMinutes(2)), PoolPlanner.nextStale(AGE, members, NOW));
    assertNull(PoolPlanner.nextStale(AGE, List.of(warm("past", true, 30)), NOW),
        "an already stale member must not schedule a wakeup in the past (it would spin)");
    assertNull(PoolPlanner.nextStale(null, members, NOW));
  }
}
