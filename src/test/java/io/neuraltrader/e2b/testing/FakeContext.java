package io.neuraltrader.e2b.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A reconciler {@link Context} whose secondary resources come from the test (e.g. a stale or empty cache),
 * for driving a reconciler's {@code reconcile} directly. Only the secondary-resource and retry methods work;
 * anything else fails loudly so a test cannot silently depend on it.
 */
public final class FakeContext {
  private FakeContext() {}

  /** {@code secondaries} answers getSecondaryResources(kind) on every call. */
  public static <P extends HasMetadata> Context<P> of(Function<Class<?>, Collection<?>> secondaries) {
    return of(secondaries, false);
  }

  /** The context of a reconcile for a delete event (the primary is gone from the API). */
  public static <P extends HasMetadata> Context<P> primaryDeleted() {
    return of(kind -> Set.of(), true);
  }

  @SuppressWarnings("unchecked")
  private static <P extends HasMetadata> Context<P> of(Function<Class<?>, Collection<?>> secondaries,
      boolean deleted) {
    return (Context<P>) Proxy.newProxyInstance(FakeContext.class.getClassLoader(), new Class<?>[] {Context.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getSecondaryResources" -> new LinkedHashSet<>(secondaries.apply((Class<?>) args[0]));
          case "getSecondaryResourcesAsStream" -> secondaries.apply((Class<?>) args[0]).stream();
          case "getSecondaryResource" -> secondaries.apply((Class<?>) args[0]).stream().findFirst();
          case "getRetryInfo" -> Optional.empty();
          case "isPrimaryResourceDeleted" -> deleted;
          case "isNextReconciliationImminent", "isPrimaryResourceFinalStateUnknown" -> false;
          case "toString" -> "FakeContext";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException("FakeContext does not support " + method.getName());
        });
  }

  /** A context whose cache shows no secondary resources at all. */
  public static <P extends HasMetadata> Context<P> empty() {
    return of(kind -> Set.of());
  }
}
