package io.neuraltrader.e2b.deployment;

import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.reconcile.Conditions;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Helpers for deployment tests: a cheap manifest, status waits, the agents as stored. */
final class Fleet {
  static final String NAME = "fleet";
  static final Duration WAIT = Duration.ofSeconds(60);

  private Fleet() {}

  /**
   * An E2BDeployment "fleet" of cheap momentum agents (interval 60s). {@code specLines} are extra spec lines at
   * two-space indentation (replicas, schedules, scaling...). The sandbox E2B timeout is a day because tests jump
   * the clock by hours, faster than keep-alive renewals would run.
   */
  static String manifest(String specLines) {
    return """
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BDeployment
        metadata: {name: fleet}
        spec:
        %s
          template:
            spec:
              strategy: momentum
              symbols: [AAPL]
              interval: 60s
              sandbox: {template: {timeoutSeconds: 86400}}
        """.formatted(specLines.stripTrailing().indent(2).stripTrailing());
  }

  static E2BDeployment await(OperatorHarness h, Predicate<E2BDeployment> condition) {
    return h.awaitResource(E2BDeployment.class, NAME, d -> d.getStatus() != null && condition.test(d), WAIT);
  }

  static boolean is(Integer value, int expected) {
    return value != null && value == expected;
  }

  /** Waits until the deployment has exactly {@code n} agents, all Ready. */
  static E2BDeployment awaitReady(OperatorHarness h, int n) {
    return await(h, d -> is(d.getStatus().getReplicas(), n) && is(d.getStatus().getReadyReplicas(), n));
  }

  static List<TradingAgent> agents(OperatorHarness h) {
    return h.client().resources(TradingAgent.class).inNamespace(h.namespace()).list().getItems()
        .stream().filter(a -> a.getMetadata().getDeletionTimestamp() == null).toList();
  }

  static List<TradingAgent> activeAgents(OperatorHarness h) {
    return agents(h).stream().filter(a -> !Boolean.TRUE.equals(a.getSpec().getSuspend())).toList();
  }

  /** Ticks done or failed by an agent. */
  static long attempts(TradingAgent a) {
    var s = a.getStatus();
    return s == null ? 0 : (s.getRuns() == null ? 0 : s.getRuns()) + (s.getFailedRuns() == null ? 0 : s.getFailedRuns());
  }

  /**
   * Moves the clock to the earliest next tick of the active agents and waits until every agent due by then has
   * ticked (or failed) once more, or was removed (a scale-down).
   */
  static void stepAll(OperatorHarness h) {
    List<TradingAgent> agents = activeAgents(h).stream()
        .filter(a -> a.getStatus() != null && a.getStatus().getNextRunAt() != null).toList();
    java.time.Instant next = agents.stream().map(a -> java.time.Instant.parse(a.getStatus().getNextRunAt()))
        .min(java.util.Comparator.naturalOrder()).orElseThrow(() -> new AssertionError("no agent has a next tick"));
    if (next.isAfter(h.clock().instant())) {
      h.clock().advanceTo(next);
    }
    for (TradingAgent a : agents) {
      if (!java.time.Instant.parse(a.getStatus().getNextRunAt()).isAfter(next)) {
        long before = attempts(a);
        String name = a.getMetadata().getName();
        org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(25)).ignoreExceptions()
            .until(() -> java.util.Optional.ofNullable(h.get(TradingAgent.class, name)),
                x -> x.isEmpty() || x.get().getMetadata().getDeletionTimestamp() != null || attempts(x.get()) > before);
      }
    }
  }

  static String reason(E2BDeployment d, String type) {
    return Conditions.reason(d.getStatus().getConditions(), type);
  }

  static boolean isTrue(E2BDeployment d, String type) {
    return Conditions.isTrue(d.getStatus().getConditions(), type);
  }

  static String message(E2BDeployment d, String type) {
    return Conditions.find(d.getStatus().getConditions(), type).map(c -> c.getMessage()).orElse(null);
  }

  /** Sets spec.replicas through the scale subresource, as kubectl scale (and an HPA) do. */
  static void scale(OperatorHarness h, int replicas) {
    for (int attempt = 1; ; attempt++) {
      try {
        h.client().resources(E2BDeployment.class).inNamespace(h.namespace()).withName(NAME)
            .scale(replicas);
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  static void annotate(OperatorHarness h, String key, String value) {
    edit(h, d -> {
      if (d.getMetadata().getAnnotations() == null) {
        d.getMetadata().setAnnotations(new java.util.HashMap<>());
      }
      d.getMetadata().getAnnotations().put(key, value);
    });
  }

  /**
   * Edits the deployment as kubectl edit/annotate would: from the latest version, again on a conflict with the
   * operator's concurrent status writes.
   */
  static void edit(OperatorHarness h, java.util.function.Consumer<E2BDeployment> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        h.client().resources(E2BDeployment.class).inNamespace(h.namespace()).withName(NAME).edit(d -> {
          change.accept(d);
          return d;
        });
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }
}
