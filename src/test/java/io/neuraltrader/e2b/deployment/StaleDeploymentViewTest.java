package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import io.neuraltrader.e2b.local.SimulatedClock;
import io.neuraltrader.e2b.observability.EventRecorder;
import io.neuraltrader.e2b.shared.CostModel;
import io.neuraltrader.e2b.testing.FakeContext;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The informer can hand the reconciler the deployment as it was before the reconciler's own last status write.
 * Driven directly, so the stale view arrives exactly then: it must not take a second scale step in one interval.
 */
class StaleDeploymentViewTest {
  private static final String NS = "default";
  private InMemoryKubernetes kube;
  private KubernetesClient client;
  private DeploymentReconciler reconciler;

  @BeforeEach
  void start() {
    kube = new InMemoryKubernetes();
    client = kube.client();
    SimulatedClock clock = SimulatedClock.frozenAt(Instant.parse("2026-03-02T15:00:00Z"));
    reconciler = new DeploymentReconciler(client, new EventRecorder(client, clock, "test"), clock,
        CostModel.E2B_LIST_PRICES, new SimpleMeterRegistry());
    kube.apply(Fleet.manifest("""
        replicas: 3
        scaling: {maxStep: 1, stepIntervalSeconds: 60}
        """), NS);
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  private E2BDeployment stored() {
    return client.resources(E2BDeployment.class).inNamespace(NS).withName(Fleet.NAME).get();
  }

  private int agents() {
    return client.resources(TradingAgent.class).inNamespace(NS).list().getItems().size();
  }

  @Test
  void aViewFromBeforeTheLastStatusWriteTakesNoSecondStep() {
    E2BDeployment before = stored();
    reconciler.reconcile(client.getKubernetesSerialization().clone(before), FakeContext.empty());
    assertEquals(1, agents(), "one step of maxStep 1");
    String scaledAt = stored().getStatus().getLastScaleTime();

    reconciler.reconcile(client.getKubernetesSerialization().clone(before), FakeContext.empty());
    assertEquals(1, agents(), "the stale view must not step again within the step interval");
    assertEquals(scaledAt, stored().getStatus().getLastScaleTime());
  }

  @Test
  void aViewFromBeforeAConcurrentEditTakesNoSecondStep() {
    E2BDeployment before = stored();
    // Someone edits the deployment between the informer's view and the status write: the write conflicts.
    E2BDeployment edited = stored();
    java.util.Map<String, String> labels = new java.util.HashMap<>();
    if (edited.getMetadata().getLabels() != null) {
      labels.putAll(edited.getMetadata().getLabels());
    }
    labels.put("team", "quant");
    edited.getMetadata().setLabels(labels);
    client.resource(edited).update();
    reconciler.reconcile(client.getKubernetesSerialization().clone(before), FakeContext.empty());
    assertEquals(1, agents());
    String scaledAt = stored().getStatus().getLastScaleTime();

    reconciler.reconcile(client.getKubernetesSerialization().clone(before), FakeContext.empty());
    assertEquals(1, agents(), "the view from before the edit is older than the status write too");
    assertEquals(scaledAt, stored().getStatus().getLastScaleTime(), "and must not write its older status back");
  }
}
