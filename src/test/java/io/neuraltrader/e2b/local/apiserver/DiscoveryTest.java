package io.neuraltrader.e2b.local.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
  private final Discovery discovery = new Discovery(Crds.all());

  private static JsonNode resource(JsonNode list, String name) {
    return StreamSupport.stream(list.path("resources").spliterator(), false)
        .filter(r -> r.path("name").asText().equals(name)).findFirst().orElseThrow(() -> new AssertionError(
            name + " not in " + list));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void groupsListTheCrdGroupWithItsPreferredVersion() {
    JsonNode groups = discovery.groups();

    assertEquals("APIGroupList", groups.path("kind").asText());
    JsonNode ours = StreamSupport.stream(groups.path("groups").spliterator(), false)
        .filter(g -> g.path("name").asText().equals("e2b.neuraltrader.io")).findFirst().orElseThrow();
    assertEquals("e2b.neuraltrader.io/v1alpha1", ours.path("preferredVersion").path("groupVersion").asText());
    assertEquals("v1alpha1", ours.path("versions").path(0).path("version").asText());
    assertTrue(groups.toString().contains("\"name\":\"apiextensions.k8s.io\""));
  }

  @Test
  void customResourcesCarryNamesShortNamesVerbsAndSubresources() {
    JsonNode list = discovery.resources("e2b.neuraltrader.io", "v1alpha1").orElseThrow();

    assertEquals("e2b.neuraltrader.io/v1alpha1", list.path("groupVersion").asText());
    JsonNode agents = resource(list, "tradingagents");
    assertEquals("TradingAgent", agents.path("kind").asText());
    assertEquals("tradingagent", agents.path("singularName").asText());
    assertTrue(agents.path("namespaced").asBoolean());
    assertEquals(List.of("tragent"), texts(agents.path("shortNames")));
    assertTrue(texts(agents.path("verbs")).containsAll(List.of("get", "list", "watch", "create", "update", "patch",
        "delete")));
    assertEquals(List.of("get", "patch", "update"), texts(resource(list, "tradingagents/status").path("verbs")));
    JsonNode scale = resource(list, "e2bdeployments/scale");
    assertEquals("autoscaling", scale.path("group").asText());
    assertEquals("v1", scale.path("version").asText());
    assertEquals("Scale", scale.path("kind").asText());
    assertEquals(List.of("e2bdeploy"), texts(resource(list, "e2bdeployments").path("shortNames")));
    assertEquals(List.of("sbpool"), texts(resource(list, "sandboxpools").path("shortNames")));
    assertEquals(List.of("e2bsb"), texts(resource(list, "e2bsandboxes").path("shortNames")));
  }

  @Test
  void categoriesOfACrdAreServed() {
    CustomResourceDefinition agents = Crds.load("tradingagents");
    agents.getSpec().getNames().setCategories(List.of("e2b", "all"));

    JsonNode list = new Discovery(List.of(agents)).resources("e2b.neuraltrader.io", "v1alpha1").orElseThrow();

    assertEquals(List.of("e2b", "all"), texts(resource(list, "tradingagents").path("categories")));
    assertFalse(resource(list, "tradingagents/status").has("categories"));
  }

  @Test
  void theCoreGroupHasTheKindsKubectlNeeds() {
    JsonNode core = discovery.coreResources();

    assertEquals("v1", core.path("groupVersion").asText());
    assertEquals(List.of("cm"), texts(resource(core, "configmaps").path("shortNames")));
    assertEquals("Event", resource(core, "events").path("kind").asText());
    assertFalse(resource(core, "namespaces").path("namespaced").asBoolean());
    assertEquals("Secret", resource(core, "secrets").path("kind").asText());
    assertEquals("v1", discovery.coreVersions("127.0.0.1:1").path("versions").path(0).asText());
  }

  @Test
  void anUnknownGroupVersionIsNotServed() {
    assertTrue(discovery.resources("e2b.neuraltrader.io", "v9").isEmpty());
    assertTrue(discovery.resources("apps", "v1").isEmpty());
    assertEquals("CustomResourceDefinition", resource(discovery.resources("apiextensions.k8s.io", "v1")
        .orElseThrow(), "customresourcedefinitions").path("kind").asText());
  }
}
