package io.neuraltrader.e2b.local.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in kinds the in-memory API serves besides the CRDs: what the operator writes (ConfigMaps for agent
 * state, Events) or reads (Secrets), and Namespaces. Each with its discovery entry, its OpenAPI schema (also
 * the fields strict field validation knows) and the field selectors the API server supports for it.
 */
public final class CoreKinds {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
  static final String CORE = "io.k8s.api.core.v1.";

  /** One built-in resource of the core group (v1). */
  public record Kind(String plural, String singular, String kind, boolean namespaced, List<String> shortNames,
      List<String> verbs, ObjectNode schema, Set<String> fieldSelectors) {
    public String schemaName() {
      return CORE + kind;
    }
  }

  private static final List<String> VERBS =
      List.of("create", "delete", "get", "list", "patch", "update", "watch");
  private static final Set<String> META_FIELDS = Set.of("metadata.name", "metadata.namespace");

  public static final List<Kind> ALL = List.of(
      new Kind("configmaps", "configmap", "ConfigMap", true, List.of("cm"), VERBS, object(
          "ConfigMap holds configuration data for pods to consume.",
          "data", map("Configuration data (UTF-8 values).", string(null)),
          "binaryData", map("Binary configuration data, base64-encoded.", bytes()),
          "immutable", bool("When true, the data cannot be changed (only the object deleted).")),
          META_FIELDS),
      new Kind("events", "event", "Event", true, List.of("ev"), VERBS, object(
          "Event is a report of an event somewhere in the cluster.",
          "involvedObject", ref(CORE + "ObjectReference", "The object this event is about."),
          "reason", string("Short, machine understandable reason for the transition into the object's state."),
          "message", string("Human-readable description of the status of this operation."),
          "type", string("Type of this event (Normal, Warning)."),
          "source", object("The component reporting this event.",
              "component", string("Component from which the event is generated."),
              "host", string("Node name on which the event is generated.")),
          "firstTimestamp", time("The time at which the event was first recorded."),
          "lastTimestamp", time("The time at which the most recent occurrence of this event was recorded."),
          "count", integer("The number of times this event has occurred."),
          "eventTime", time("Time when this Event was first observed (microseconds)."),
          "series", object("Data about the Event series this event represents.",
              "count", integer("Number of occurrences in this series up to the last heartbeat time."),
              "lastObservedTime", time("Time of the last occurrence observed.")),
          "action", string("What action was taken/failed regarding to the involved object."),
          "related", ref(CORE + "ObjectReference", "Optional secondary object for more complex actions."),
          "reportingComponent", string("Name of the controller that emitted this Event."),
          "reportingInstance", string("ID of the controller instance.")),
          Set.of("metadata.name", "metadata.namespace", "involvedObject.kind", "involvedObject.namespace",
              "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
              "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent",
              "source", "type")),
      new Kind("namespaces", "namespace", "Namespace", false, List.of("ns"), VERBS, object(
          "Namespace provides a scope for Names.",
          "spec", object("The behavior of the Namespace.",
              "finalizers", array("Finalizers that must be empty before the namespace is removed.", string(null))),
          "status", object("The current status of the Namespace.",
              "phase", string("The current lifecycle phase of the namespace (Active, Terminating)."))),
          Set.of("metadata.name", "status.phase")),
      new Kind("secrets", "secret", "Secret", true, List.of(), VERBS, object(
          "Secret holds secret data of a certain type.",
          "data", map("The secret data, base64-encoded values.", bytes()),
          "stringData", map("Write-only convenience: non-binary secret data, merged into data on write.",
              string(null)),
          "type", string("Used to facilitate programmatic handling of secret data."),
          "immutable", bool("When true, the data cannot be changed (only the object deleted).")),
          Set.of("metadata.name", "metadata.namespace", "type")));

  private CoreKinds() {}

  public static Optional<Kind> byPlural(String plural) {
    return ALL.stream().filter(k -> k.plural().equals(plural)).findFirst();
  }

  /** The component schemas the core kinds refer to. */
  static ObjectNode referencedSchemas() {
    ObjectNode schemas = MAPPER.createObjectNode();
    schemas.set(CORE + "ObjectReference", object("A reference to an object.",
        "apiVersion", string("API version of the referent."),
        "kind", string("Kind of the referent."),
        "name", string("Name of the referent."),
        "namespace", string("Namespace of the referent."),
        "uid", string("UID of the referent."),
        "resourceVersion", string("Specific resourceVersion to which this reference is made, if any."),
        "fieldPath", string("A part of the object, e.g. spec.containers{name}.")));
    return schemas;
  }

  // --- schema builders (OpenAPI v3) ----------------------------------------------------------------------

  static ObjectNode object(String description, Object... properties) {
    ObjectNode schema = MAPPER.createObjectNode();
    if (description != null) {
      schema.put("description", description);
    }
    schema.put("type", "object");
    ObjectNode props = schema.putObject("properties");
    for (int i = 0; i < properties.length; i += 2) {
      props.set((String) properties[i], (ObjectNode) properties[i + 1]);
    }
    return schema;
  }

  static ObjectNode string(String description) {
    return scalar("string", null, description);
  }

  static ObjectNode integer(String description) {
    return scalar("integer", "int32", description);
  }

  static ObjectNode scalarInt64(String description) {
    return scalar("integer", "int64", description);
  }

  static ObjectNode bool(String description) {
    return scalar("boolean", null, description);
  }

  static ObjectNode time(String description) {
    return scalar("string", "date-time", description);
  }

  static ObjectNode bytes() {
    return scalar("string", "byte", null);
  }

  static ObjectNode map(String description, ObjectNode values) {
    ObjectNode schema = scalar("object", null, description);
    schema.set("additionalProperties", values);
    return schema;
  }

  static ObjectNode array(String description, ObjectNode items) {
    ObjectNode schema = scalar("array", null, description);
    schema.set("items", items);
    return schema;
  }

  /** A property of a referenced type: {@code allOf [$ref]}, as the API server writes it, with its own description. */
  static ObjectNode ref(String schemaName, String description) {
    ObjectNode schema = MAPPER.createObjectNode();
    schema.putArray("allOf").addObject().put("$ref", "#/components/schemas/" + schemaName);
    if (description != null) {
      schema.put("description", description);
    }
    return schema;
  }

  private static ObjectNode scalar(String type, String format, String description) {
    ObjectNode schema = MAPPER.createObjectNode();
    if (description != null) {
      schema.put("description", description);
    }
    schema.put("type", type);
    if (format != null) {
      schema.put("format", format);
    }
    return schema;
  }
}
