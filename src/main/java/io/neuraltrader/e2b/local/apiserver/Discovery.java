package io.neuraltrader.e2b.local.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionNames;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Legacy API discovery ({@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/<group>/<version>}), from
 * the stored CRDs and the built-in kinds: names, short names, categories, verbs, subresources (status, and
 * scale as autoscaling/v1 Scale). Answered as {@code application/json}, which a client asking for aggregated
 * discovery (apidiscovery.k8s.io/v2) takes as "not aggregated" and reads group by group.
 */
public final class Discovery {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String CRD_GROUP = "apiextensions.k8s.io";
  private static final List<String> CR_VERBS =
      List.of("delete", "get", "list", "patch", "create", "update", "watch");
  private static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");

  private final List<CustomResourceDefinition> crds;

  public Discovery(List<CustomResourceDefinition> crds) {
    this.crds = crds;
  }

  /** {@code GET /api}. */
  public ObjectNode coreVersions(String serverAddress) {
    ObjectNode versions = MAPPER.createObjectNode();
    versions.put("kind", "APIVersions");
    versions.putArray("versions").add("v1");
    versions.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0")
        .put("serverAddress", serverAddress);
    return versions;
  }

  /** {@code GET /apis}: apiextensions.k8s.io/v1 and every CRD group with its served versions. */
  public ObjectNode groups() {
    ObjectNode list = MAPPER.createObjectNode();
    list.put("kind", "APIGroupList");
    list.put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    for (Map.Entry<String, List<String>> group : groupVersions().entrySet()) {
      ObjectNode g = groups.addObject();
      g.put("name", group.getKey());
      ArrayNode versions = g.putArray("versions");
      for (String v : group.getValue()) {
        versions.addObject().put("groupVersion", group.getKey() + "/" + v).put("version", v);
      }
      String preferred = group.getValue().get(0);
      g.putObject("preferredVersion").put("groupVersion", group.getKey() + "/" + preferred).put("version", preferred);
    }
    return list;
  }

  /** Group to served versions, the storage version first (the preferred one). */
  Map<String, List<String>> groupVersions() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    groups.put(CRD_GROUP, new ArrayList<>(List.of("v1")));
    for (CustomResourceDefinition crd : crds) {
      List<String> versions = groups.computeIfAbsent(crd.getSpec().getGroup(), g -> new ArrayList<>());
      for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
        if (Boolean.TRUE.equals(v.getServed()) && !versions.contains(v.getName())) {
          if (Boolean.TRUE.equals(v.getStorage())) {
            versions.add(0, v.getName());
          } else {
            versions.add(v.getName());
          }
        }
      }
    }
    groups.values().removeIf(List::isEmpty);
    return groups;
  }

  /** {@code GET /api/v1}. */
  public ObjectNode coreResources() {
    ObjectNode list = resourceList("v1");
    ArrayNode resources = (ArrayNode) list.get("resources");
    for (CoreKinds.Kind k : CoreKinds.ALL) {
      ObjectNode r = resources.addObject();
      r.put("name", k.plural()).put("singularName", k.singular()).put("namespaced", k.namespaced())
          .put("kind", k.kind());
      k.verbs().forEach(r.putArray("verbs")::add);
      if (!k.shortNames().isEmpty()) {
        k.shortNames().forEach(r.putArray("shortNames")::add);
      }
    }
    return list;
  }

  /** {@code GET /apis/<group>/<version>}, empty when the group version is not served. */
  public Optional<ObjectNode> resources(String group, String version) {
    if (group.equals(CRD_GROUP) && version.equals("v1")) {
      ObjectNode list = resourceList(CRD_GROUP + "/v1");
      ArrayNode resources = (ArrayNode) list.get("resources");
      ObjectNode r = resources.addObject();
      r.put("name", "customresourcedefinitions").put("singularName", "customresourcedefinition")
          .put("namespaced", false).put("kind", "CustomResourceDefinition");
      CR_VERBS.forEach(r.putArray("verbs")::add);
      r.putArray("shortNames").add("crd").add("crds");
      r.putArray("categories").add("api-extensions");
      return Optional.of(list);
    }
    ObjectNode list = resourceList(group + "/" + version);
    ArrayNode resources = (ArrayNode) list.get("resources");
    for (CustomResourceDefinition crd : crds) {
      if (!crd.getSpec().getGroup().equals(group)) {
        continue;
      }
      for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
        if (v.getName().equals(version) && Boolean.TRUE.equals(v.getServed())) {
          addCustomResource(resources, crd, v);
        }
      }
    }
    return resources.isEmpty() ? Optional.empty() : Optional.of(list);
  }

  private static void addCustomResource(ArrayNode resources, CustomResourceDefinition crd,
      CustomResourceDefinitionVersion v) {
    CustomResourceDefinitionNames names = crd.getSpec().getNames();
    boolean namespaced = "Namespaced".equals(crd.getSpec().getScope());
    String singular = names.getSingular() != null ? names.getSingular() : names.getKind().toLowerCase();
    ObjectNode r = resources.addObject();
    r.put("name", names.getPlural()).put("singularName", singular).put("namespaced", namespaced)
        .put("kind", names.getKind());
    CR_VERBS.forEach(r.putArray("verbs")::add);
    if (names.getShortNames() != null && !names.getShortNames().isEmpty()) {
      names.getShortNames().forEach(r.putArray("shortNames")::add);
    }
    if (names.getCategories() != null && !names.getCategories().isEmpty()) {
      names.getCategories().forEach(r.putArray("categories")::add);
    }
    var sub = v.getSubresources();
    if (sub != null && sub.getStatus() != null) {
      ObjectNode s = resources.addObject();
      s.put("name", names.getPlural() + "/status").put("singularName", "").put("namespaced", namespaced)
          .put("kind", names.getKind());
      SUBRESOURCE_VERBS.forEach(s.putArray("verbs")::add);
    }
    if (sub != null && sub.getScale() != null) {
      ObjectNode s = resources.addObject();
      s.put("name", names.getPlural() + "/scale").put("singularName", "").put("namespaced", namespaced)
          .put("group", "autoscaling").put("version", "v1").put("kind", "Scale");
      SUBRESOURCE_VERBS.forEach(s.putArray("verbs")::add);
    }
  }

  private static ObjectNode resourceList(String groupVersion) {
    ObjectNode list = MAPPER.createObjectNode();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", groupVersion);
    list.putArray("resources");
    return list;
  }
}
