package io.neuraltrader.e2b.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxStatus;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.local.InMemoryKubernetes;
import io.neuraltrader.e2b.local.SimulatedClock;
import io.neuraltrader.e2b.observability.EventRecorder;
import io.neuraltrader.e2b.reconcile.ChildMetadata;
import io.neuraltrader.e2b.testing.FakeContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Claim/retire races and abandoned-claim rules, against the in-memory API with no operator running. */
class PoolMemberRulesTest {
  private static final String NS = "default";
  private InMemoryKubernetes kube;
  private KubernetesClient client;
  private SimulatedClock clock;
  private PoolClaims claims;
  private PoolReconciler reconciler;
  private SandboxPool pool;

  @BeforeEach
  void start() {
    kube = new InMemoryKubernetes();
    client = kube.client();
    clock = SimulatedClock.frozenAt(Instant.parse("2026-03-02T14:00:00Z"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    claims = new PoolClaims(client, clock, registry);
    claims.bind(new ApiMemberView(client));
    reconciler = new PoolReconciler(client, claims, new EventRecorder(client, clock, "test"), clock, registry);
    pool = (SandboxPool) kube.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: SandboxPool
        metadata: {name: rules}
        spec: {replicas: 1, maxSandboxes: 5}
        """, NS).get(0);
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  /** A warm member whose sandbox is Running, as the sandbox reconciler would leave it. */
  private E2BSandbox runningMember(String name) {
    E2BSandbox m = new E2BSandbox();
    m.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS)
        .withLabels(Map.of(ApiConstants.LABEL_POOL, "rules", ApiConstants.LABEL_POOL_STATE, ApiConstants.POOL_STATE_WARM))
        .withAnnotations(Map.of(PoolMember.CREATED_AT, "2026-03-02T14:00:00Z"))
        .withOwnerReferences(ChildMetadata.ownerReference(pool, true)).build());
    m = client.resource(m).create();
    E2BSandboxStatus status = new E2BSandboxStatus();
    status.setPhase(SandboxPhase.Running);
    status.setSandboxID("sb-" + name);
    m.setStatus(status);
    return client.resource(m).updateStatus();
  }

  private E2BSandbox member(String name) {
    return client.resources(E2BSandbox.class).inNamespace(NS).withName(name).get();
  }

  private TradingAgent agent(String name) {
    return client.resource(Pools.claimer(name, NS)).create();
  }

  @Test
  void aMemberClaimedAfterThePoolLookedIsNotRetired() {
    E2BSandbox seenByPool = runningMember("m1");
    claims.claim(NS, "rules", agent("a1")).orElseThrow();
    assertFalse(claims.retire(seenByPool), "the pool's view is stale: the member was claimed since");
    E2BSandbox stored = member("m1");
    assertNotNull(stored, "a claimed member is never deleted by a scale-down");
    assertNull(stored.getMetadata().getDeletionTimestamp());
    assertEquals(ApiConstants.POOL_STATE_CLAIMED, stored.getMetadata().getLabels().get(ApiConstants.LABEL_POOL_STATE));
  }

  @Test
  void aRetiredMemberCannotBeClaimed() {
    E2BSandbox m = runningMember("m1");
    assertTrue(claims.retire(m));
    assertNull(member("m1"), "no finalizer here, so it is gone at once");
    assertTrue(claims.claim(NS, "rules", agent("a1")).isEmpty());
  }

  @Test
  void retiringMembersCountAsGone() {
    E2BSandbox m = runningMember("m1");
    m.getMetadata().getLabels().put(ApiConstants.LABEL_POOL_STATE, ApiConstants.POOL_STATE_RETIRING);
    PoolMember pm = PoolMember.of(m);
    assertTrue(pm.deleting());
    assertFalse(pm.claimed());
  }

  @Test
  void claimsOfADeletedAgentAreReleasedButClaimsOfUnknownKindsAreLeftAlone() {
    runningMember("by-agent");
    runningMember("by-job");
    runningMember("by-live-agent");
    TradingAgent doomed = agent("doomed");
    assertEquals("by-agent", claimSpecific("by-agent", doomed));
    HasMetadata job = new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
        .withNewMetadata().withName("job").withNamespace(NS).withUid("job-uid").endMetadata().build();
    assertEquals("by-job", claimSpecific("by-job", job));
    TradingAgent live = agent("live");
    assertEquals("by-live-agent", claimSpecific("by-live-agent", live));
    client.resource(doomed).delete();

    reconciler.reconcile(client.resource(pool).get(),
        FakeContext.of(kind -> kind == E2BSandbox.class ? client.resources(E2BSandbox.class).inNamespace(NS)
            .withLabel(ApiConstants.LABEL_POOL, "rules").list().getItems() : Set.of()));

    assertNull(member("by-agent"), "released with the pool's Delete policy");
    assertNotNull(member("by-job").getSpec().getClaimRef(), "the pool cannot tell whether a Job still exists");
    assertNotNull(member("by-live-agent").getSpec().getClaimRef());
    List<String> reasons = client.v1().events().inNamespace(NS).list().getItems().stream()
        .map(e -> e.getReason()).toList();
    assertEquals(1, reasons.stream().filter("ClaimReleased"::equals).count(), reasons.toString());
  }

  /** Members as the API server has them: with no operator running there is no informer cache to read. */
  record ApiMemberView(KubernetesClient client) implements PoolClaims.MemberView {
    @Override
    public List<E2BSandbox> inState(String namespace, String pool, String state) {
      return client.resources(E2BSandbox.class).inNamespace(namespace).withLabel(ApiConstants.LABEL_POOL, pool)
          .withLabel(ApiConstants.LABEL_POOL_STATE, state).list().getItems();
    }

    @Override
    public List<E2BSandbox> claimedBy(String namespace, String claimerUid) {
      return client.resources(E2BSandbox.class).inNamespace(namespace).list().getItems().stream()
          .filter(m -> m.getSpec().getClaimRef() != null && claimerUid.equals(m.getSpec().getClaimRef().getUid()))
          .toList();
    }

    @Override
    public java.util.Optional<E2BSandbox> get(String namespace, String name) {
      return java.util.Optional.ofNullable(client.resources(E2BSandbox.class).inNamespace(namespace)
          .withName(name).get());
    }
  }

  /** Claims while only {@code name} is claimable, so the test knows which member each claimer gets. */
  private String claimSpecific(String name, HasMetadata claimer) {
    List<E2BSandbox> others = client.resources(E2BSandbox.class).inNamespace(NS)
        .withLabel(ApiConstants.LABEL_POOL, "rules").list().getItems().stream()
        .filter(PoolClaims::claimable).filter(m -> !m.getMetadata().getName().equals(name)).toList();
    others.forEach(o -> {
      o.getStatus().setPhase(SandboxPhase.Creating);
      client.resource(o).updateStatus();
    });
    String got = claims.claim(NS, "rules", claimer).orElseThrow().getMetadata().getName();
    others.forEach(o -> {
      E2BSandbox latest = member(o.getMetadata().getName());
      latest.getStatus().setPhase(SandboxPhase.Running);
      client.resource(latest).updateStatus();
    });
    return got;
  }
}
