package io.neuraltrader.e2b.pool;

import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile of a pool sees, gathered once: its members (as objects and as the planner's view),
 * creates still in flight, and the claims whose TradingAgent no longer exists.
 */
record PoolObservation(List<E2BSandbox> objects, List<PoolMember> members, int inFlight,
    List<AbandonedClaim> abandoned) {

  /** A member claimed by a claimer confirmed gone. */
  record AbandonedClaim(String member, String claimerKind, String claimerName) {}

  PoolObservation {
    objects = List.copyOf(objects);
    members = List.copyOf(members);
    abandoned = List.copyOf(abandoned);
  }

  Optional<E2BSandbox> object(String name) {
    return objects.stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst();
  }
}
