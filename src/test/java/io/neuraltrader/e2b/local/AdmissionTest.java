package io.neuraltrader.e2b.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.reconcile.StatusWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-memory API refuses what a kube-apiserver (v1.32) refuses, with the same status code, reason,
 * message and causes, whichever way the write comes (create, update, JSON patch, merge patch; resource,
 * /status, /scale), through the fabric8 client as the operator uses it.
 */
class AdmissionTest {
  private static final String NS = "ns";
  private InMemoryKubernetes kube;
  private KubernetesClient client;

  /** The objects every test starts from (also those of {@link StoreSemanticsTest}). */
  static final String OBJECTS = """
      apiVersion: e2b.neuraltrader.io/v1alpha1
      kind: E2BDeployment
      metadata: {name: fleet}
      spec:
        replicas: 2
        scaling: {maxReplicas: 20}
        template:
          spec: {strategy: momentum, symbols: [AAPL], sandbox: {template: {}}}
      ---
      apiVersion: e2b.neuraltrader.io/v1alpha1
      kind: SandboxPool
      metadata: {name: pool}
      spec: {replicas: 1, maxSandboxes: 3}
      ---
      apiVersion: e2b.neuraltrader.io/v1alpha1
      kind: TradingAgent
      metadata: {name: agent}
      spec: {strategy: momentum, symbols: [AAPL], sandbox: {template: {}}}
      """;

  @BeforeEach
  void start() {
    kube = new InMemoryKubernetes();
    client = kube.client();
    kube.apply(OBJECTS, NS);
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  private static Status refusal(int code, Supplier<?> write) {
    KubernetesClientException e = assertThrows(KubernetesClientException.class, write::get);
    assertEquals(code, e.getCode(), e.getMessage());
    assertNotNull(e.getStatus(), "a Status body");
    assertEquals("Status", e.getStatus().getKind());
    assertEquals("Failure", e.getStatus().getStatus());
    assertEquals(code, e.getStatus().getCode());
    assertTrue(e.getMessage().contains(e.getStatus().getMessage()), "the client surfaces the message");
    return e.getStatus();
  }

  private static void assertCause(Status s, String reason, String field, String message) {
    assertTrue(s.getDetails().getCauses().stream().anyMatch(c -> c.getReason().equals(reason)
        && c.getField().equals(field) && c.getMessage().equals(message)),
        "cause " + reason + " " + field + " " + message + " in " + s.getDetails().getCauses());
  }

  private E2BDeployment fleet() {
    return client.resources(E2BDeployment.class).inNamespace(NS).withName("fleet").get();
  }

  @Test
  void aNegativeReplicaCountThroughScaleIsInvalidAndNothingChanges() {
    String before = fleet().getMetadata().getResourceVersion();
    Status s = refusal(422, () -> client.resources(E2BDeployment.class).inNamespace(NS).withName("fleet")
        .scale(-5));
    assertEquals("Invalid", s.getReason());
    assertEquals("E2BDeployment.e2b.neuraltrader.io \"fleet\" is invalid: [spec.replicas: Invalid value: -5: "
        + "spec.replicas in body should be greater than or equal to 0, .spec.replicas: Invalid value: -5: should "
        + "be a non-negative integer]", s.getMessage());
    assertEquals("fleet", s.getDetails().getName());
    assertEquals("e2b.neuraltrader.io", s.getDetails().getGroup());
    assertEquals("E2BDeployment", s.getDetails().getKind());
    assertCause(s, "FieldValueInvalid", "spec.replicas",
        "Invalid value: -5: spec.replicas in body should be greater than or equal to 0");
    assertEquals(2, fleet().getSpec().getReplicas());
    assertEquals(before, fleet().getMetadata().getResourceVersion(), "nothing was written");
  }

  @Test
  void aMergePatchOfScaleAndOfTheResourceIsValidatedLikeAnUpdate() {
    String expected = "E2BDeployment.e2b.neuraltrader.io \"fleet\" is invalid: [spec.replicas: Invalid value: -5: "
        + "spec.replicas in body should be greater than or equal to 0, .spec.replicas: Invalid value: -5: should "
        + "be a non-negative integer]";
    Status onScale = refusal(422, () -> rawPatch("/e2bdeployments/fleet/scale", "application/merge-patch+json",
        "{\"spec\":{\"replicas\":-5}}"));
    assertEquals(expected, onScale.getMessage());
    Status onResource = refusal(422, () -> client.resources(E2BDeployment.class).inNamespace(NS)
        .withName("fleet").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":-5}}"));
    assertEquals(expected, onResource.getMessage());
    assertEquals(2, fleet().getSpec().getReplicas());
  }

  @Test
  void scaleServesAnAutoscalingScaleAndSetsSpecReplicasOnly() {
    long generation = fleet().getMetadata().getGeneration();
    Scale scale = client.resources(E2BDeployment.class).inNamespace(NS).withName("fleet").scale();
    assertEquals("autoscaling/v1", scale.getApiVersion());
    assertEquals("Scale", scale.getKind());
    assertEquals(2, scale.getSpec().getReplicas());
    assertEquals(0, scale.getStatus().getReplicas());
    assertTrue(scale.getAdditionalProperties().isEmpty(), "a Scale, not the resource: " + scale);

    E2BDeployment scaled = client.resources(E2BDeployment.class).inNamespace(NS).withName("fleet").scale(7);
    assertEquals(7, scaled.getSpec().getReplicas());
    assertEquals("momentum", scaled.getSpec().getTemplate().getSpec().getStrategy().toString(),
        "the rest of the spec is kept");
    assertEquals(generation + 1, scaled.getMetadata().getGeneration());
  }

  @Test
  void aBadEnumThroughAJsonPatchIsUnsupportedAndSkipsTheCelRules() {
    Status s = refusal(422, () -> client.resources(TradingAgent.class).inNamespace(NS).withName("agent")
        .patch(PatchContext.of(PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/strategy\",\"value\":\"martingale\"}]"));
    assertEquals("TradingAgent.e2b.neuraltrader.io \"agent\" is invalid: [spec.strategy: Unsupported value: "
        + "\"martingale\": supported values: \"arbitrage\", \"custom\", \"mean_reversion\", \"momentum\", "
        + "\"pairs_trading\", <nil>: Invalid value: \"null\": some validation rules were not checked because the "
        + "object was invalid; correct the existing errors to complete validation]", s.getMessage());
    StatusCause enumCause = s.getDetails().getCauses().get(0);
    assertEquals("FieldValueNotSupported", enumCause.getReason());
    assertEquals("spec.strategy", enumCause.getField());
    assertCause(s, "FieldValueInvalid", "<nil>", "Invalid value: \"null\": some validation rules were not checked "
        + "because the object was invalid; correct the existing errors to complete validation");
  }

  @Test
  void aCelRuleViolationNamesTheRuleMessageAtItsPath() {
    Status s = refusal(422, () -> client.resources(SandboxPool.class).inNamespace(NS).withName("pool")
        .edit(p -> {
          p.getSpec().setReplicas(5);
          return p;
        }));
    assertEquals("SandboxPool.e2b.neuraltrader.io \"pool\" is invalid: spec: Invalid value: \"object\": "
        + poolRuleMessage(), s.getMessage());
    assertCause(s, "FieldValueInvalid", "spec", "Invalid value: \"object\": " + poolRuleMessage());
  }

  private String poolRuleMessage() {
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
        .withName("sandboxpools.e2b.neuraltrader.io").get();
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec")
        .getXKubernetesValidations().get(0).getMessage();
  }

  @Test
  void unknownFieldsAreRefusedWhenStrictAndPrunedOtherwise() {
    String manifest = """
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BSandbox
        metadata: {name: sb}
        spec: {privileged: true}
        """;
    InMemoryKubernetes.AdmissionException strict = assertThrows(InMemoryKubernetes.AdmissionException.class,
        () -> kube.apply(manifest, NS));
    assertEquals("E2BSandbox in version \"v1alpha1\" cannot be handled as a E2BSandbox: strict decoding error: "
        + "unknown field \"spec.privileged\"", strict.getMessage());
    assertNull(client.resources(E2BSandbox.class).inNamespace(NS).withName("sb").get());

    // Without fieldValidation the server warns and drops the field.
    GenericKubernetesResource generic = Serialization.unmarshal(manifest, GenericKubernetesResource.class);
    generic.getMetadata().setNamespace(NS);
    GenericKubernetesResource stored = client.resource(generic).create();
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> spec = (java.util.Map<String, Object>) stored.getAdditionalProperties().get("spec");
    assertFalse(spec.containsKey("privileged"), "pruned: " + spec);
    assertEquals(300, ((Number) spec.get("timeoutSeconds")).intValue(), "and defaulted: " + spec);
  }

  @Test
  void aStrategicMergePatchOfACustomResourceIsAnUnsupportedMediaType() {
    Status s = refusal(415, () -> client.resources(SandboxPool.class).inNamespace(NS).withName("pool")
        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"spec\":{\"replicas\":2}}"));
    assertEquals("UnsupportedMediaType", s.getReason());
    assertEquals("the body of the request was in an unknown format - accepted media types include: "
        + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml", s.getMessage());
  }

  @Test
  void anInvalidStatusIsRefusedToTheOperatorsStatusWriter() {
    SandboxPool pool = client.resources(SandboxPool.class).inNamespace(NS).withName("pool").get();
    pool.getStatus().setReplicas(-1);
    Status s = refusal(422, () -> new StatusWriter(client).write(pool));
    assertTrue(s.getMessage().startsWith("SandboxPool.e2b.neuraltrader.io \"pool\" is invalid: "), s.getMessage());
    assertCause(s, "FieldValueInvalid", ".status.replicas", "Invalid value: -1: should be a non-negative integer");
    assertNull(client.resources(SandboxPool.class).inNamespace(NS).withName("pool").get().getStatus()
        .getReplicas());
  }

  @Test
  void statusAndSpecAreWrittenOnlyThroughTheirOwnEndpoints() {
    SandboxPool pool = client.resources(SandboxPool.class).inNamespace(NS).withName("pool").get();
    long generation = pool.getMetadata().getGeneration();

    pool.getStatus().setReplicas(1);
    pool.getSpec().setReplicas(3);
    SandboxPool afterStatus = client.resource(pool).updateStatus();
    assertEquals(1, afterStatus.getStatus().getReplicas());
    assertEquals(1, afterStatus.getSpec().getReplicas(), "/status leaves the spec alone");
    assertEquals(generation, afterStatus.getMetadata().getGeneration(), "a status write is no new generation");

    afterStatus.getStatus().setReplicas(9);
    afterStatus.getSpec().setReplicas(3);
    SandboxPool afterUpdate = client.resource(afterStatus).update();
    assertEquals(3, afterUpdate.getSpec().getReplicas());
    assertEquals(1, afterUpdate.getStatus().getReplicas(), "the resource's endpoint leaves the status alone");
    assertEquals(generation + 1, afterUpdate.getMetadata().getGeneration());

    SandboxPool relabelled = client.resources(SandboxPool.class).inNamespace(NS).withName("pool")
        .edit(p -> {
          p.getMetadata().setLabels(java.util.Map.of("team", "a"));
          return p;
        });
    assertEquals(generation + 1, relabelled.getMetadata().getGeneration(), "metadata is no new generation");
  }

  @Test
  void aCelRuleOnStatusIsCheckedOnStatusWrites() {
    client.apiextensions().v1().customResourceDefinitions().resource(testCrd("Gadget", "gadgets", """
        subresources: {status: {}}
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec: {type: object, properties: {size: {type: integer}}}
              status:
                type: object
                properties: {ready: {type: integer}, total: {type: integer}}
                x-kubernetes-validations:
                  - {rule: "self.ready <= self.total", message: ready cannot exceed total}
        """)).create();
    String base = "/apis/test.io/v1/namespaces/" + NS + "/gadgets";
    assertEquals(201, raw("POST", base, "application/json",
        "{\"apiVersion\":\"test.io/v1\",\"kind\":\"Gadget\",\"metadata\":{\"name\":\"g\"},\"spec\":{\"size\":1}}")
        .statusCode());
    HttpResponse<String> refused = raw("PATCH", base + "/g/status", "application/merge-patch+json",
        "{\"status\":{\"ready\":3,\"total\":2}}");
    assertEquals(422, refused.statusCode());
    Status s = Serialization.unmarshal(refused.body(), Status.class);
    assertEquals("Gadget.test.io \"g\" is invalid: status: Invalid value: \"object\": ready cannot exceed total",
        s.getMessage());
    assertEquals(200, raw("PATCH", base + "/g/status", "application/merge-patch+json",
        "{\"status\":{\"ready\":2,\"total\":2}}").statusCode());
  }

  @Test
  void aReplacementMustNameTheVersionItReplaces() {
    HttpResponse<String> response = raw("PUT", "/apis/e2b.neuraltrader.io/v1alpha1/namespaces/" + NS
        + "/sandboxpools/pool", "application/json", "{\"apiVersion\":\"e2b.neuraltrader.io/v1alpha1\","
        + "\"kind\":\"SandboxPool\",\"metadata\":{\"name\":\"pool\"},\"spec\":{\"replicas\":2,\"maxSandboxes\":3}}");
    assertEquals(422, response.statusCode());
    assertEquals("sandboxpools.e2b.neuraltrader.io \"pool\" is invalid: metadata.resourceVersion: Invalid value: 0x0: "
        + "must be specified for an update", Serialization.unmarshal(response.body(), Status.class).getMessage());
    assertEquals(1, client.resources(SandboxPool.class).inNamespace(NS).withName("pool").get().getSpec()
        .getReplicas());
  }

  @Test
  void aCrdTheServerWouldRefuseIsRefused() {
    CustomResourceDefinition crd = testCrd("Widget", "widgets", """
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                properties: {name: {type: string, pattern: "^a{1,2000}$"}}
        """);
    List<String> violations = io.neuraltrader.e2b.api.validation.CrdRules.violations(crd);
    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).contains("invalid repeat count"), violations.get(0));
    Status s = refusal(422, () -> client.apiextensions().v1().customResourceDefinitions().resource(crd).create());
    assertEquals("CustomResourceDefinition.apiextensions.k8s.io \"widgets.test.io\" is invalid: " + violations.get(0),
        s.getMessage());
    assertEquals("FieldValueInvalid", s.getDetails().getCauses().get(0).getReason());
    assertNull(client.apiextensions().v1().customResourceDefinitions().withName("widgets.test.io").get());
  }

  /** A namespaced CRD of group test.io, version v1, with {@code version} the rest of its version entry. */
  private static CustomResourceDefinition testCrd(String kind, String plural, String version) {
    return Serialization.unmarshal("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: %s.test.io}
        spec:
          group: test.io
          names: {kind: %s, plural: %s, singular: %s}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
        """.formatted(plural, kind, plural, kind.toLowerCase()) + version.indent(6), CustomResourceDefinition.class);
  }

  private Object rawPatch(String resourcePath, String contentType, String body) {
    HttpResponse<String> response = raw("PATCH", "/apis/e2b.neuraltrader.io/v1alpha1/namespaces/" + NS
        + resourcePath, contentType, body);
    if (response.statusCode() >= 400) {
      Status status = Serialization.unmarshal(response.body(), Status.class);
      throw new KubernetesClientException(status);
    }
    return response.body();
  }

  private HttpResponse<String> raw(String method, String path, String contentType, String body) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(kube.server().url(path)))
          .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType)
          .build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
