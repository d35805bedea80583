package io.neuraltrader.e2b.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import io.neuraltrader.e2b.testing.FakeContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The finalizer inside the reconcile: added with the first work, removed after a complete cleanup only. */
class InlineFinalizerTest {
  private static final String FINALIZER = "e2b.neuraltrader.io/finalizer";

  private InMemoryKubernetes kube;
  private InlineFinalizer<E2BSandbox> finalizer;
  private final List<String> calls = new ArrayList<>();
  private final List<E2BSandbox> worked = new ArrayList<>();
  private boolean cleanupComplete;

  private final InlineFinalizer.Controller<E2BSandbox> controller = new InlineFinalizer.Controller<>() {
    @Override
    public UpdateControl<E2BSandbox> work(E2BSandbox resource, Context<E2BSandbox> context) {
      calls.add("work");
      worked.add(resource);
      return UpdateControl.noUpdate();
    }

    @Override
    public boolean cleanup(E2BSandbox resource, Context<E2BSandbox> context) {
      calls.add("cleanup");
      return cleanupComplete;
    }

    @Override
    public void forget(E2BSandbox resource) {
      calls.add("forget");
    }
  };

  @BeforeEach
  void setUp() {
    kube = new InMemoryKubernetes();
    finalizer = new InlineFinalizer<>(kube.client(), FINALIZER);
  }

  @AfterEach
  void tearDown() {
    kube.close();
  }

  private E2BSandbox created() {
    E2BSandbox sb = new E2BSandbox();
    sb.setMetadata(new ObjectMetaBuilder().withName("s").withNamespace("default").build());
    return kube.client().resource(sb).create();
  }

  private E2BSandbox stored() {
    return kube.client().resources(E2BSandbox.class).inNamespace("default").withName("s").get();
  }

  @Test
  void aNewResourceGetsItsFinalizerAndItsFirstWorkInOneReconcile() {
    E2BSandbox view = created();
    finalizer.reconcile(view, FakeContext.empty(), controller);

    assertEquals(List.of("work"), calls);
    E2BSandbox stored = stored();
    assertTrue(stored.hasFinalizer(FINALIZER));
    E2BSandbox handed = worked.get(0);
    assertTrue(handed.hasFinalizer(FINALIZER), "the work sees the version with the finalizer");
    assertEquals(stored.getMetadata().getResourceVersion(), handed.getMetadata().getResourceVersion(),
        "later writes of the reconcile build on the stored version, not on the one before the finalizer");

    finalizer.reconcile(stored, FakeContext.empty(), controller);
    assertEquals(List.of("work", "work"), calls);
    assertEquals(stored.getMetadata().getResourceVersion(), stored().getMetadata().getResourceVersion(),
        "a resource with the finalizer is not written again");
  }

  @Test
  void theWorkGoesOnFromTheApisAnswerNotFromAStaleView() {
    E2BSandbox stale = created();
    E2BSandbox current = stored();
    current.getStatus().setPhase(SandboxPhase.Running);
    kube.client().resource(current).updateStatus();

    finalizer.reconcile(stale, FakeContext.empty(), controller);
    assertEquals(SandboxPhase.Running, worked.get(0).getStatus().getPhase(),
        "the view from before a status write is replaced by the stored object");
  }

  @Test
  void theFinalizerStaysUntilTheCleanupIsComplete() {
    finalizer.reconcile(created(), FakeContext.empty(), controller);
    kube.client().resource(stored()).delete();
    E2BSandbox deleting = stored();
    assertNotNull(deleting.getMetadata().getDeletionTimestamp());

    cleanupComplete = false;
    finalizer.reconcile(deleting, FakeContext.empty(), controller);
    assertEquals(List.of("work", "cleanup"), calls, "no work on a resource being deleted");
    assertTrue(stored().hasFinalizer(FINALIZER), "an incomplete cleanup keeps the finalizer");

    cleanupComplete = true;
    finalizer.reconcile(stored(), FakeContext.empty(), controller);
    assertEquals(List.of("work", "cleanup", "cleanup"), calls);
    assertNull(stored(), "the finalizer removed, the API deletes the resource");
  }

  @Test
  void aResourceGoneFromTheApiIsOnlyForgotten() {
    E2BSandbox view = created();
    kube.client().resource(view).delete();
    finalizer.reconcile(view, FakeContext.primaryDeleted(), controller);
    assertEquals(List.of("forget"), calls);
  }

  @Test
  void aResourceMarkedForDeletionWithoutOurFinalizerIsLeftToItsOwners() {
    E2BSandbox sb = new E2BSandbox();
    sb.setMetadata(new ObjectMetaBuilder().withName("s").withNamespace("default").withFinalizers("someone/else")
        .build());
    kube.client().resource(sb).create();
    kube.client().resource(stored()).delete();

    finalizer.reconcile(stored(), FakeContext.empty(), controller);
    assertEquals(List.of(), calls, "neither work nor cleanup: the other finalizer's owner decides");
    assertEquals(List.of("someone/else"), stored().getMetadata().getFinalizers());
  }
}
