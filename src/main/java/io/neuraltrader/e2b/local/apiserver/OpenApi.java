package io.neuraltrader.e2b.local.apiserver;

import static io.neuraltrader.e2b.local.apiserver.CoreKinds.META;
import static io.neuraltrader.e2b.local.apiserver.CoreKinds.array;
import static io.neuraltrader.e2b.local.apiserver.CoreKinds.bool;
import static io.neuraltrader.e2b.local.apiserver.CoreKinds.map;
import static io.neuraltrader.e2b.local.apiserver.CoreKinds.object;
import static io.neuraltrader.e2b.local.apiserver.CoreKinds.ref;
import static io.neuraltrader.e2b.local.apiserver.CoreKinds.string;
import static io.neuraltrader.e2b.local.apiserver.CoreKinds.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAPI v3 as the API server publishes it ({@code /openapi/v3}: one document per group version), built from
 * the CRDs' structural schemas and the built-in kinds. {@code kubectl explain} reads the schemas (found by
 * their {@code x-kubernetes-group-version-kind}); {@code kubectl apply}/{@code create}/{@code patch} read the
 * PATCH operations' {@code fieldValidation} parameter and then leave validation to the server (strict by
 * default), which checks every write against the same schemas.
 */
public final class OpenApi {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String CORE_PATH = "api/v1";

  private final List<CustomResourceDefinition> crds;

  public OpenApi(List<CustomResourceDefinition> crds) {
    this.crds = crds;
  }

  /** {@code GET /openapi/v3}: the documents and their hashed URLs. */
  public ObjectNode root() {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode paths = root.putObject("paths");
    for (Map.Entry<String, ObjectNode> doc : documents().entrySet()) {
      paths.putObject(doc.getKey()).put("serverRelativeURL", "/openapi/v3/" + doc.getKey() + "?hash="
          + hash(doc.getValue()));
    }
    return root;
  }

  /** {@code GET /openapi/v3/<path>}, e.g. {@code apis/e2b.neuraltrader.io/v1alpha1}. */
  public Optional<ObjectNode> document(String path) {
    return Optional.ofNullable(documents().get(path));
  }

  private Map<String, ObjectNode> documents() {
    Map<String, ObjectNode> docs = new LinkedHashMap<>();
    docs.put(CORE_PATH, coreDocument());
    Map<String, List<Served>> byGroupVersion = new LinkedHashMap<>();
    for (CustomResourceDefinition crd : crds) {
      for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
        if (Boolean.TRUE.equals(v.getServed()) && v.getSchema() != null && v.getSchema().getOpenAPIV3Schema() != null) {
          byGroupVersion.computeIfAbsent("apis/" + crd.getSpec().getGroup() + "/" + v.getName(),
              k -> new ArrayList<>()).add(new Served(crd, v));
        }
      }
    }
    byGroupVersion.forEach((path, served) -> docs.put(path, customDocument(served)));
    return docs;
  }

  private record Served(CustomResourceDefinition crd, CustomResourceDefinitionVersion version) {
    String group() {
      return crd.getSpec().getGroup();
    }

    String kind() {
      return crd.getSpec().getNames().getKind();
    }

    /** The API server's schema name: the reversed group, the version, the kind. */
    String schemaName(String kind) {
      List<String> parts = new ArrayList<>(List.of(group().split("\\.")));
      java.util.Collections.reverse(parts);
      return String.join(".", parts) + "." + version.getName() + "." + kind;
    }
  }

  private ObjectNode customDocument(List<Served> served) {
    ObjectNode doc = document();
    ObjectNode paths = (ObjectNode) doc.get("paths");
    ObjectNode schemas = (ObjectNode) doc.path("components").path("schemas");
    for (Served s : served) {
      String group = s.group();
      String version = s.version().getName();
      String plural = s.crd().getSpec().getNames().getPlural();
      boolean namespaced = "Namespaced".equals(s.crd().getSpec().getScope());
      String base = "/apis/" + group + "/" + version + (namespaced ? "/namespaces/{namespace}/" : "/") + plural;
      String schema = s.schemaName(s.kind());
      String list = s.schemaName(s.kind() + "List");
      ObjectNode gvk = gvk(group, version, s.kind());
      addOperations(paths, base, base + "/{name}", schema, list, gvk);
      var sub = s.version().getSubresources();
      if (sub != null && sub.getStatus() != null) {
        ObjectNode status = paths.putObject(base + "/{name}/status");
        status.set("get", operation("read", gvk, schema, false));
        status.set("put", operation("replace", gvk, schema, true));
        status.set("patch", operation("patch", gvk, schema, true));
      }
      if (sub != null && sub.getScale() != null) {
        ObjectNode scale = paths.putObject(base + "/{name}/scale");
        ObjectNode scaleGvk = gvk("autoscaling", "v1", "Scale");
        scale.set("get", operation("read", scaleGvk, "io.k8s.api.autoscaling.v1.Scale", false));
        scale.set("put", operation("replace", scaleGvk, "io.k8s.api.autoscaling.v1.Scale", true));
        scale.set("patch", operation("patch", scaleGvk, "io.k8s.api.autoscaling.v1.Scale", true));
        schemas.set("io.k8s.api.autoscaling.v1.Scale", scaleSchema());
      }
      schemas.set(schema, customSchema(s));
      schemas.set(list, listSchema(s.kind(), schema, gvk(group, version, s.kind() + "List")));
    }
    return doc;
  }

  /** The CRD's schema with apiVersion, kind and metadata as the API server completes them. */
  private static ObjectNode customSchema(Served s) {
    ObjectNode schema = (ObjectNode) Serialization.jsonMapper().valueToTree(s.version().getSchema()
        .getOpenAPIV3Schema());
    ObjectNode properties = schema.with("properties");
    properties.set("apiVersion", apiVersionSchema());
    properties.set("kind", kindSchema());
    properties.set("metadata", ref(META + "ObjectMeta", "Standard object's metadata."));
    schema.putArray("x-kubernetes-group-version-kind").add(gvk(s.group(), s.version().getName(), s.kind()));
    return schema;
  }

  private ObjectNode coreDocument() {
    ObjectNode doc = document();
    ObjectNode paths = (ObjectNode) doc.get("paths");
    ObjectNode schemas = (ObjectNode) doc.path("components").path("schemas");
    schemas.setAll(CoreKinds.referencedSchemas());
    for (CoreKinds.Kind k : CoreKinds.ALL) {
      String base = "/api/v1" + (k.namespaced() ? "/namespaces/{namespace}/" : "/") + k.plural();
      String list = k.schemaName() + "List";
      addOperations(paths, base, base + "/{name}", k.schemaName(), list, gvk("", "v1", k.kind()));
      ObjectNode schema = k.schema().deepCopy();
      ObjectNode properties = schema.with("properties");
      properties.set("apiVersion", apiVersionSchema());
      properties.set("kind", kindSchema());
      properties.set("metadata", ref(META + "ObjectMeta", "Standard object's metadata."));
      schema.putArray("x-kubernetes-group-version-kind").add(gvk("", "v1", k.kind()));
      schemas.set(k.schemaName(), schema);
      schemas.set(list, listSchema(k.kind(), k.schemaName(), gvk("", "v1", k.kind() + "List")));
    }
    return doc;
  }

  /** The object metadata every kind shares, also the metadata fields strict validation accepts. */
  static ObjectNode objectMeta() {
    return object("Metadata that all persisted resources must have.",
        "name", string("Unique within a namespace; required on create unless generateName is set."),
        "generateName", string("Prefix the server uses to generate a unique name when name is not set."),
        "namespace", string("The namespace of the object; empty for cluster-scoped kinds."),
        "selfLink", string("Deprecated; not set."),
        "uid", string("Unique in time and space; set by the server."),
        "resourceVersion", string("Opaque version of the object, for optimistic concurrency and watches."),
        "generation", CoreKinds.scalarInt64("A sequence number of changes to the desired state (spec)."),
        "creationTimestamp", time("When the object was created; set by the server."),
        "deletionTimestamp", time("When the object will be deleted, once its finalizers are done."),
        "deletionGracePeriodSeconds", CoreKinds.scalarInt64("Seconds allowed for graceful termination."),
        "labels", map("Labels to organize and select objects.", string(null)),
        "annotations", map("Unstructured key value data stored with the object.", string(null)),
        "ownerReferences", array("Objects this object depends on; it is garbage-collected with them.",
            ref(META + "OwnerReference", null)),
        "finalizers", array("Must be empty before the object is deleted from the registry.", string(null)),
        "managedFields", array("Which field manager set which fields (server-side apply).",
            preserveUnknown(object("A field manager's entry."))));
  }

  private static ObjectNode document() {
    ObjectNode doc = MAPPER.createObjectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
    doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    schemas.set(META + "ObjectMeta", objectMeta());
    schemas.set(META + "ListMeta", object("Metadata of a list.",
        "resourceVersion", string("The version of the list, to watch from."),
        "continue", string("Set when more items are available."),
        "remainingItemCount", CoreKinds.scalarInt64("Items not returned yet.")));
    ObjectNode owner = object("Identifies an owning object.",
        "apiVersion", string("API version of the referent."),
        "kind", string("Kind of the referent."),
        "name", string("Name of the referent."),
        "uid", string("UID of the referent."),
        "controller", bool("True when the referent is the managing controller."),
        "blockOwnerDeletion", bool("The owner cannot be deleted before this object with foreground deletion."));
    owner.putArray("required").add("apiVersion").add("kind").add("name").add("uid");
    schemas.set(META + "OwnerReference", owner);
    schemas.set(META + "Patch", object("A patch body: a JSON patch, a JSON merge patch."));
    schemas.set(META + "Status", preserveUnknown(object("The result of an operation that returns no object.",
        "status", string("Success or Failure."),
        "message", string("A human-readable description of the status."),
        "reason", string("A machine-readable description of why the operation failed."),
        "code", CoreKinds.integer("The HTTP status code."))));
    return doc;
  }

  private static void addOperations(ObjectNode paths, String collection, String item, String schema, String list,
      ObjectNode gvk) {
    ObjectNode c = paths.putObject(collection);
    c.set("get", operation("list", gvk, list, false));
    c.set("post", operation("create", gvk, schema, true));
    ObjectNode i = paths.putObject(item);
    i.set("get", operation("read", gvk, schema, false));
    i.set("put", operation("replace", gvk, schema, true));
    i.set("patch", operation("patch", gvk, schema, true));
    i.set("delete", operation("delete", gvk, META + "Status", false));
  }

  /**
   * One operation: its action, GVK and answer; writes declare the dryRun and fieldValidation query parameters
   * the server honours, and a PATCH the patch types it accepts (not strategic merge, as for custom resources).
   */
  private static ObjectNode operation(String action, ObjectNode gvk, String schema, boolean write) {
    ObjectNode op = MAPPER.createObjectNode();
    op.put("x-kubernetes-action", action.equals("read") ? "get" : action.equals("replace") ? "put" : action);
    op.set("x-kubernetes-group-version-kind", gvk);
    ArrayNode parameters = op.putArray("parameters");
    if (write) {
      parameters.addObject().put("name", "dryRun").put("in", "query")
          .put("description", "All: process the request without persisting it.")
          .putObject("schema").put("type", "string").put("uniqueItems", true);
      parameters.addObject().put("name", "fieldValidation").put("in", "query")
          .put("description", "Unknown fields: Ignore (drop), Warn (drop with a warning, the default) or Strict "
              + "(refuse the request).")
          .putObject("schema").put("type", "string").put("uniqueItems", true);
      ObjectNode content = op.putObject("requestBody").putObject("content");
      List<String> types = action.equals("patch")
          ? List.of("application/json-patch+json", "application/merge-patch+json") : List.of("*/*");
      for (String type : types) {
        content.putObject(type).putObject("schema").put("$ref", "#/components/schemas/"
            + (action.equals("patch") ? META + "Patch" : schema));
      }
    }
    op.putObject("responses").putObject("200").put("description", "OK").putObject("content")
        .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/" + schema);
    return op;
  }

  private static ObjectNode listSchema(String kind, String itemSchema, ObjectNode gvk) {
    ObjectNode schema = object(kind + "List is a list of " + kind + ".",
        "apiVersion", apiVersionSchema(),
        "items", array("List of " + kind + " objects.", refOnly(itemSchema)),
        "kind", kindSchema(),
        "metadata", ref(META + "ListMeta", "Standard list metadata."));
    schema.putArray("required").add("items");
    schema.putArray("x-kubernetes-group-version-kind").add(gvk);
    return schema;
  }

  private static ObjectNode scaleSchema() {
    ObjectNode schema = object("Scale represents a scaling request for a resource.",
        "apiVersion", apiVersionSchema(),
        "kind", kindSchema(),
        "metadata", ref(META + "ObjectMeta", "Standard object metadata."),
        "spec", object("The desired state.", "replicas", CoreKinds.integer("Desired number of instances.")),
        "status", object("The current state.",
            "replicas", CoreKinds.integer("Actual number of observed instances."),
            "selector", string("Label query over the instances, in string form.")));
    schema.putArray("x-kubernetes-group-version-kind").add(gvk("autoscaling", "v1", "Scale"));
    return schema;
  }

  private static ObjectNode apiVersionSchema() {
    return string("APIVersion defines the versioned schema of this representation of an object.");
  }

  private static ObjectNode kindSchema() {
    return string("Kind is a string value representing the REST resource this object represents.");
  }

  private static ObjectNode refOnly(String schemaName) {
    ObjectNode ref = MAPPER.createObjectNode();
    ref.put("$ref", "#/components/schemas/" + schemaName);
    return ref;
  }

  private static ObjectNode preserveUnknown(ObjectNode schema) {
    schema.put("x-kubernetes-preserve-unknown-fields", true);
    return schema;
  }

  private static ObjectNode gvk(String group, String version, String kind) {
    ObjectNode gvk = MAPPER.createObjectNode();
    gvk.put("group", group).put("kind", kind).put("version", version);
    return gvk;
  }

  private static String hash(JsonNode doc) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-512").digest(doc.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
