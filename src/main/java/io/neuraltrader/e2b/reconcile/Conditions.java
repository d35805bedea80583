package io.neuraltrader.e2b.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Kubernetes-style conditions: lastTransitionTime moves only when the status value changes. */
public final class Conditions {
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private Conditions() {}

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }

  public static String reason(List<Condition> conditions, String type) {
    return find(conditions, type).map(Condition::getReason).orElse(null);
  }

  /** Sets (or adds) a condition in place. */
  public static void set(List<Condition> conditions, String type, boolean status, String reason,
      String message, Long generation, Instant now) {
    set(conditions, type, status ? TRUE : FALSE, reason, message, generation, now);
  }

  public static void set(List<Condition> conditions, String type, String status, String reason,
      String message, Long generation, Instant now) {
    Condition existing = find(conditions, type).orElse(null);
    if (existing == null) {
      existing = new Condition();
      existing.setType(type);
      conditions.add(existing);
    }
    if (!Objects.equals(existing.getStatus(), status) || existing.getLastTransitionTime() == null) {
      existing.setLastTransitionTime(Times.format(now));
    }
    existing.setStatus(status);
    existing.setReason(reason);
    existing.setMessage(message == null ? "" : message);
    existing.setObservedGeneration(generation);
  }

  public static void remove(List<Condition> conditions, String type) {
    conditions.removeIf(c -> type.equals(c.getType()));
  }
}
