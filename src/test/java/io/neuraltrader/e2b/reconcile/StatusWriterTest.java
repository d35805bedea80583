package io.neuraltrader.e2b.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import org.junit.jupiter.api.Test;

/** Status writes replace status only, survive conflicts, and correct a cache that lags behind them. */
class StatusWriterTest {

  private static E2BSandbox created(InMemoryKubernetes kube) {
    E2BSandbox sb = new E2BSandbox();
    sb.setMetadata(new ObjectMetaBuilder().withName("s").withNamespace("ns").build());
    return kube.client().resource(sb).create();
  }

  @Test
  void aStaleCopyGetsTheWrittenStatusAndANewerOneWins() {
    try (InMemoryKubernetes kube = new InMemoryKubernetes()) {
      E2BSandbox created = created(kube);
      StatusWriter writer = new StatusWriter(kube.client());

      E2BSandbox stale = kube.client().resource(created).get();
      created.getStatus().setPhase(SandboxPhase.Paused);
      E2BSandbox stored = writer.write(created);
      assertEquals(SandboxPhase.Paused, kube.client().resource(stored).get().getStatus().getPhase());

      assertNull(stale.getStatus().getPhase());
      writer.latest(stale);
      assertEquals(SandboxPhase.Paused, stale.getStatus().getPhase(), "the pre-write copy gets what was written");

      E2BSandbox current = kube.client().resource(stored).get();
      current.getStatus().setPhase(SandboxPhase.Running);
      writer.latest(current);
      assertEquals(SandboxPhase.Running, current.getStatus().getPhase(), "a newer version is left alone");
      E2BSandbox staleAgain = kube.client().resource(created).get();
      staleAgain.getMetadata().setResourceVersion(stale.getMetadata().getResourceVersion());
      staleAgain.getStatus().setPhase(null);
      writer.latest(staleAgain);
      assertNull(staleAgain.getStatus().getPhase(), "once the cache caught up, nothing is substituted");
    }
  }

  @Test
  void aConflictIsRetriedOnTheLatestVersionWithoutTouchingSpec() {
    try (InMemoryKubernetes kube = new InMemoryKubernetes()) {
      E2BSandbox created = created(kube);
      E2BSandbox edited = kube.client().resource(created).get();
      edited.getSpec().setPaused(true);
      kube.client().resource(edited).update();

      created.getStatus().setPhase(SandboxPhase.Running);
      new StatusWriter(kube.client()).write(created);
      E2BSandbox now = kube.client().resource(created).get();
      assertEquals(SandboxPhase.Running, now.getStatus().getPhase());
      assertEquals(true, now.getSpec().getPaused(), "the user's spec edit survives the status write");
    }
  }

  @Test
  void aCopyFromBeforeAConflictingEditIsStaleToo() {
    try (InMemoryKubernetes kube = new InMemoryKubernetes()) {
      E2BSandbox created = created(kube);
      StatusWriter writer = new StatusWriter(kube.client());
      E2BSandbox edited = kube.client().resource(created).get();
      edited.getSpec().setPaused(true);
      E2BSandbox afterEdit = kube.client().resource(edited).update();

      created.getStatus().setPhase(SandboxPhase.Paused);
      writer.write(created); // based on the version before the edit: conflicts, then lands on the edited one

      for (E2BSandbox stale : new E2BSandbox[] {kube.client().resource(created).get(), afterEdit}) {
        stale.getMetadata().setResourceVersion(stale == afterEdit ? afterEdit.getMetadata().getResourceVersion()
            : created.getMetadata().getResourceVersion());
        stale.getStatus().setPhase(null);
        writer.latest(stale);
        assertEquals(SandboxPhase.Paused, stale.getStatus().getPhase(),
            "version " + stale.getMetadata().getResourceVersion() + " predates the write");
      }
    }
  }

  @Test
  void aResourceWithoutStatusGetsAnEmptyOne() {
    try (InMemoryKubernetes kube = new InMemoryKubernetes()) {
      E2BSandbox sb = new E2BSandbox();
      sb.setMetadata(new ObjectMetaBuilder().withName("s").withNamespace("ns").withUid("u").build());
      sb.setStatus(null);
      new StatusWriter(kube.client()).latest(sb, io.neuraltrader.e2b.api.v1alpha1.E2BSandboxStatus::new);
      assertNull(sb.getStatus().getPhase());
    }
  }
}
