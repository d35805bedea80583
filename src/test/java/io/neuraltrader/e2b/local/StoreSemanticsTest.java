package io.neuraltrader.e2b.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.local.apiserver.ChangeLog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-memory API stores custom resources as a kube-apiserver's registry does: what a write may change
 * (never uid, creationTimestamp or the deletion marks), when resourceVersion and generation move (an
 * unchanged object is not written at all: a same-value {@code kubectl scale} wakes no watch), names from
 * generateName, AlreadyExists, and the deletion that the removal of the last finalizer completes.
 */
class StoreSemanticsTest {
  private static final String NS = "ns";
  private InMemoryKubernetes kube;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    kube = new InMemoryKubernetes();
    client = kube.client();
    kube.apply(AdmissionTest.OBJECTS, NS);
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  private Resource<E2BDeployment> fleet() {
    return client.resources(E2BDeployment.class).inNamespace(NS).withName("fleet");
  }

  private Resource<TradingAgent> agent() {
    return client.resources(TradingAgent.class).inNamespace(NS).withName("agent");
  }

  private List<ChangeLog.Change> changesSince(long version) {
    try {
      return kube.changes().since(version);
    } catch (ChangeLog.TooOld e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aScaleToTheCurrentCountAndAnUnchangedStatusWriteNothing() {
    E2BDeployment before = fleet().get();
    long version = Math.max(Long.parseLong(before.getMetadata().getResourceVersion()),
        Long.parseLong(agent().get().getMetadata().getResourceVersion()));
    E2BDeployment same = fleet().scale(2);
    assertEquals(before.getMetadata().getResourceVersion(), same.getMetadata().getResourceVersion());
    assertEquals(before.getMetadata().getGeneration(), same.getMetadata().getGeneration());

    TradingAgent a = agent().get();
    a.setStatus(new TradingAgentStatus());
    a.getStatus().setRuns(3L);
    TradingAgent written = agent().updateStatus(a);
    TradingAgent again = agent().updateStatus(written);
    assertEquals(written.getMetadata().getResourceVersion(), again.getMetadata().getResourceVersion());
    assertEquals(1, changesSince(version).size(), "one change: the first status write");
  }

  @Test
  void generationCountsSpecChangesOnlyAndResourceVersionEveryChange() {
    TradingAgent a = agent().get();
    long generation = a.getMetadata().getGeneration();
    TradingAgent labelled = agent().edit(x -> {
      x.getMetadata().setLabels(Map.of("team", "quant"));
      return x;
    });
    assertEquals(generation, labelled.getMetadata().getGeneration(), "metadata is not the spec");
    assertTrue(Long.parseLong(labelled.getMetadata().getResourceVersion())
        > Long.parseLong(a.getMetadata().getResourceVersion()));
    labelled.setStatus(new TradingAgentStatus());
    labelled.getStatus().setRuns(1L);
    TradingAgent statused = agent().updateStatus(labelled);
    assertEquals(generation, statused.getMetadata().getGeneration(), "status is not the spec");
    TradingAgent respec = agent().edit(x -> {
      x.getSpec().setSymbols(List.of("MSFT"));
      return x;
    });
    assertEquals(generation + 1, respec.getMetadata().getGeneration());
    assertEquals(List.of("team"), List.copyOf(client.resources(TradingAgent.class).inNamespace(NS)
        .withLabel("team", "quant").list().getItems().get(0).getMetadata().getLabels().keySet()),
        "a list by the new label finds it");
  }

  @Test
  void anUpdateKeepsUidCreationTimeAndTheDeletionMarks() {
    TradingAgent a = agent().get();
    String uid = a.getMetadata().getUid();
    String created = a.getMetadata().getCreationTimestamp();
    a.getMetadata().setUid("00000000-0000-0000-0000-000000000000");
    a.getMetadata().setCreationTimestamp("2000-01-01T00:00:00Z");
    // A client cannot delete through an update: the deletion marks are the server's.
    a.getMetadata().setDeletionTimestamp("2000-01-01T00:00:00Z");
    TradingAgent updated = client.resource(a).update();
    assertEquals(uid, updated.getMetadata().getUid());
    assertEquals(created, updated.getMetadata().getCreationTimestamp());
    assertNull(updated.getMetadata().getDeletionTimestamp());
    assertNotNull(agent().get(), "still stored");
  }

  @Test
  void removingTheLastFinalizerOfAnObjectMarkedForDeletionDeletesIt() {
    agent().edit(x -> {
      x.getMetadata().setFinalizers(List.of("e2b.neuraltrader.io/finalizer"));
      return x;
    });
    agent().delete();
    TradingAgent marked = agent().get();
    assertNotNull(marked.getMetadata().getDeletionTimestamp(), "marked, kept for its finalizer");
    String markedVersion = marked.getMetadata().getResourceVersion();
    agent().patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
    assertNull(agent().get(), "gone with its last finalizer");
    List<ChangeLog.Change> last = changesSince(Long.parseLong(markedVersion));
    assertEquals(1, last.size(), "one change after the mark: the deletion");
    assertNull(last.get(0).after());
  }

  @Test
  void aTakenNameIsAlreadyExistsAndGenerateNameAddsFiveCharacters() {
    KubernetesClientException taken = assertThrows(KubernetesClientException.class,
        () -> client.resource(Serialization.clone(agent().get())).create());
    assertEquals(409, taken.getCode());
    assertEquals("AlreadyExists", taken.getStatus().getReason());
    assertEquals("tradingagents.e2b.neuraltrader.io \"agent\" already exists", taken.getStatus().getMessage());
    assertEquals("agent", taken.getStatus().getDetails().getName());
    assertEquals("tradingagents", taken.getStatus().getDetails().getKind());

    TradingAgent generated = Serialization.clone(agent().get());
    generated.getMetadata().setName(null);
    generated.getMetadata().setResourceVersion(null);
    generated.getMetadata().setGenerateName("agent-");
    TradingAgent created = client.resources(TradingAgent.class).inNamespace(NS).resource(generated).create();
    assertTrue(created.getMetadata().getName().matches("agent-[bcdfghjklmnpqrstvwxz2456789]{5}"),
        created.getMetadata().getName());
    assertEquals(1L, created.getMetadata().getGeneration());
    assertTrue(!created.getMetadata().getUid().equals(agent().get().getMetadata().getUid()), "a new uid");
  }

  @Test
  void anObjectOfAnotherNamespaceIsABadRequest() throws Exception {
    String body = """
        {"apiVersion":"e2b.neuraltrader.io/v1alpha1","kind":"TradingAgent",
         "metadata":{"name":"elsewhere","namespace":"other"},
         "spec":{"strategy":"momentum","symbols":["AAPL"],"sandbox":{"template":{}}}}""";
    var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(kube.server().url("/apis/e2b.neuraltrader.io/v1alpha1/namespaces/" + NS
            + "/tradingagents"))).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(400, response.statusCode(), response.body());
    assertEquals("the namespace of the provided object does not match the namespace sent on the request",
        Serialization.unmarshal(response.body(), io.fabric8.kubernetes.api.model.Status.class).getMessage());
    assertNull(client.resources(TradingAgent.class).inNamespace(NS).withName("elsewhere").get());
  }

  @Test
  void concurrentPatchesOfOneObjectAreNeitherLostNorReordered() throws Exception {
    // Writes are admitted in parallel and stored only if their object is unchanged; the others start over.
    long from = Long.parseLong(agent().get().getMetadata().getResourceVersion());
    int threads = 6;
    int each = 30;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            agent().patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"w" + thread + "-" + i + "\":\"x\"}}}");
          }
        }));
      }
      for (var f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    TradingAgent after = agent().get();
    assertEquals(threads * each, after.getMetadata().getAnnotations().size(), "no patch lost");
    List<ChangeLog.Change> changes = changesSince(from);
    assertEquals(threads * each, changes.size(), "one change per patch");
    for (int i = 1; i < changes.size(); i++) {
      assertTrue(changes.get(i).resourceVersion() > changes.get(i - 1).resourceVersion(), "store order");
    }
    assertEquals(Long.toString(changes.get(changes.size() - 1).resourceVersion()),
        after.getMetadata().getResourceVersion());
  }
}
