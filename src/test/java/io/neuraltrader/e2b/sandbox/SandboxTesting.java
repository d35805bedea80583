package io.neuraltrader.e2b.sandbox;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.local.runtime.SandboxSnapshot;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Small helpers shared by the E2BSandbox tests. */
final class SandboxTesting {
  private SandboxTesting() {}

  /** Applies an E2BSandbox named {@code name} with the given spec body (YAML, indented by 2). */
  static void applySandbox(OperatorHarness h, String name, String spec) {
    h.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BSandbox
        metadata: {name: %s}
        spec:
        %s
        """.formatted(name, spec.isBlank() ? "  {}" : spec.stripTrailing().indent(2).stripTrailing()));
  }

  static E2BSandbox awaitPhase(OperatorHarness h, String name, SandboxPhase phase) {
    return h.awaitResource(E2BSandbox.class, name,
        r -> r.getStatus() != null && r.getStatus().getPhase() == phase);
  }

  static E2BSandbox awaitRunning(OperatorHarness h, String name) {
    return h.awaitResource(E2BSandbox.class, name, r -> r.getStatus() != null
        && r.getStatus().getPhase() == SandboxPhase.Running && r.getStatus().getSandboxID() != null);
  }

  static E2BSandbox awaitReadyReason(OperatorHarness h, String name, String reason) {
    return h.awaitResource(E2BSandbox.class, name,
        r -> r.getStatus() != null && reason.equals(Conditions.reason(r.getStatus().getConditions(), "Ready")));
  }

  static Condition condition(E2BSandbox r, String type) {
    return Conditions.find(r.getStatus().getConditions(), type).orElseThrow(
        () -> new AssertionError("no condition " + type + " in " + r.getStatus().getConditions()));
  }

  /** A spec edit as kubectl makes it: read, change, write; on a conflict with a status write, again. */
  static void edit(OperatorHarness h, String name, Consumer<E2BSandbox> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        h.client().resources(E2BSandbox.class).inNamespace(h.namespace()).withName(name).edit(r -> {
          change.accept(r);
          return r;
        });
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  static void delete(OperatorHarness h, String name) {
    h.client().resources(E2BSandbox.class).inNamespace(h.namespace()).withName(name).delete();
  }

  static long count(OperatorHarness h, ServedOperation op) {
    return h.runtime().requestCount(op);
  }

  static Optional<SandboxSnapshot> sandbox(OperatorHarness h, String sandboxID) {
    return h.runtime().sandboxes().stream().filter(s -> s.sandboxId().equals(sandboxID)).findFirst();
  }

  static void awaitTrue(BooleanSupplier condition) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(25)).until(condition::getAsBoolean);
  }

  /** The condition holds for a while of real time (the clock does not move): nothing keeps happening. */
  static void awaitStays(BooleanSupplier condition) {
    await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(25))
        .until(condition::getAsBoolean);
  }
}
