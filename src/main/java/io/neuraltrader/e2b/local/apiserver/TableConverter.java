package io.neuraltrader.e2b.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * Server-side printing: the {@code meta.k8s.io/v1 Table} that {@code kubectl get} asks for ({@code Accept:
 * application/json;as=Table;g=meta.k8s.io;v=v1}). A custom resource gets a Name column and its CRD's
 * additionalPrinterColumns, each cell its JSONPath's first result typed as the column says (dates as ages),
 * as apiextensions-apiserver's table convertor does; the built-in kinds get the columns of the API server's
 * printers.
 */
public final class TableConverter {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String NAME_DESCRIPTION = "Name must be unique within a namespace; see "
      + "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

  /** A column and how a cell is computed from an object at a time. */
  private record Column(String name, String type, String format, String description, int priority,
      BiFunction<JsonNode, Instant, JsonNode> cell) {}

  private final List<Column> columns;

  private TableConverter(List<Column> columns) {
    this.columns = columns;
  }

  /** The Table of a CRD version: Name, then its additionalPrinterColumns (Age when it declares none). */
  public static TableConverter forCrd(CustomResourceDefinitionVersion version) {
    List<Column> columns = new ArrayList<>();
    columns.add(nameColumn());
    List<CustomResourceColumnDefinition> declared = version.getAdditionalPrinterColumns();
    if (declared == null) {
      CustomResourceColumnDefinition age = new CustomResourceColumnDefinition();
      age.setName("Age");
      age.setType("date");
      age.setJsonPath(".metadata.creationTimestamp");
      declared = List.of(age);
    }
    for (CustomResourceColumnDefinition c : declared) {
      JsonPath path = JsonPath.parse(c.getJsonPath());
      String type = c.getType();
      columns.add(new Column(c.getName(), type, c.getFormat() == null ? "" : c.getFormat(),
          c.getDescription() == null || c.getDescription().isEmpty()
              ? "Custom resource definition column (in JSONPath format): " + c.getJsonPath() : c.getDescription(),
          c.getPriority() == null ? 0 : c.getPriority(), (object, now) -> typed(type, path.evaluate(object), now)));
    }
    return new TableConverter(columns);
  }

  /** The Table of a built-in kind, with the API server's printer columns for it. */
  public static TableConverter forCore(String kind) {
    List<Column> columns = new ArrayList<>();
    switch (kind) {
      case "ConfigMap" -> {
        columns.add(nameColumn());
        columns.add(new Column("Data", "integer", "", "Number of data entries", 0,
            (o, now) -> NODES.numberNode((long) o.path("data").size() + o.path("binaryData").size())));
        columns.add(ageColumn());
      }
      case "Secret" -> {
        columns.add(nameColumn());
        columns.add(new Column("Type", "string", "", "The type of the secret", 0,
            (o, now) -> NODES.textNode(o.path("type").asText(""))));
        columns.add(new Column("Data", "integer", "", "Number of data entries", 0,
            (o, now) -> NODES.numberNode((long) o.path("data").size())));
        columns.add(ageColumn());
      }
      case "Namespace" -> {
        columns.add(nameColumn());
        columns.add(new Column("Status", "string", "", "The status of the namespace", 0,
            (o, now) -> NODES.textNode(o.path("status").path("phase").asText(""))));
        columns.add(ageColumn());
      }
      case "Event" -> eventColumns(columns);
      default -> {
        columns.add(nameColumn());
        columns.add(ageColumn());
      }
    }
    return new TableConverter(columns);
  }

  /**
   * The Table of {@code body} (an object or a list), its rows' objects as {@code includeObject} says (None,
   * Object, or Metadata: PartialObjectMetadata, the default).
   */
  public ObjectNode convert(JsonNode body, String includeObject, Instant now) {
    ObjectNode table = MAPPER.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    String resourceVersion = body.path("metadata").path("resourceVersion").asText("");
    if (!resourceVersion.isEmpty()) {
      metadata.put("resourceVersion", resourceVersion);
    }
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (Column c : columns) {
      definitions.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
          .put("description", c.description()).put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    boolean list = body.has("items") && body.path("kind").asText("").endsWith("List");
    for (JsonNode item : list ? body.path("items") : List.of(body)) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Column c : columns) {
        JsonNode cell = c.cell().apply(item, now);
        cells.add(cell == null ? NullNode.getInstance() : cell);
      }
      String include = includeObject == null || includeObject.isEmpty() ? "Metadata" : includeObject;
      if (include.equals("Object")) {
        row.set("object", item);
      } else if (include.equals("Metadata")) {
        ObjectNode partial = row.putObject("object");
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", item.path("metadata").deepCopy());
      }
    }
    return table;
  }

  /** One cell from a column's JSONPath results, as the CRD table convertor types it; null for none. */
  static JsonNode typed(String type, List<JsonNode> results, Instant now) {
    if (results.isEmpty()) {
      return null;
    }
    JsonNode value = results.get(0);
    if (value.isNull()) {
      return null;
    }
    switch (type) {
      case "string":
        return NODES.textNode(JsonPath.text(value));
      case "integer":
        return value.isNumber() ? NODES.numberNode(value.asLong()) : null;
      case "number":
        return value.isNumber() ? NODES.numberNode(value.asDouble()) : null;
      case "boolean":
        return value.isBoolean() ? value : null;
      case "date":
        if (!value.isTextual()) {
          return null;
        }
        Instant at = parseTime(value.asText());
        return NODES.textNode(at == null ? "<invalid>" : HumanDuration.of(Duration.between(at, now)));
      default:
        return null;
    }
  }

  private static Instant parseTime(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Column nameColumn() {
    return new Column("Name", "string", "name", NAME_DESCRIPTION, 0,
        (o, now) -> NODES.textNode(o.path("metadata").path("name").asText("")));
  }

  private static Column ageColumn() {
    return new Column("Age", "string", "", "Time since the object was created", 0,
        (o, now) -> NODES.textNode(since(o.path("metadata").path("creationTimestamp").asText(""), now)));
  }

  /** The API server's translateTimestampSince: {@code <unknown>} for no time. */
  private static String since(String time, Instant now) {
    if (time.isEmpty()) {
      return "<unknown>";
    }
    Instant at = parseTime(time);
    return at == null ? "<unknown>" : HumanDuration.of(Duration.between(at, now));
  }

  /** The core printer's event columns: seen times, type, reason, object, source, message, count. */
  private static void eventColumns(List<Column> columns) {
    columns.add(new Column("Last Seen", "string", "", "Time since the most recent occurrence", 0, (o, now) -> {
      JsonNode series = o.path("series");
      if (series.isObject()) {
        return NODES.textNode(since(series.path("lastObservedTime").asText(""), now));
      }
      String last = o.path("lastTimestamp").asText("");
      return NODES.textNode(last.isEmpty() ? firstSeen(o, now) : since(last, now));
    }));
    columns.add(text("Type", "Type of this event", o -> o.path("type").asText("")));
    columns.add(text("Reason", "Why the event was generated", o -> o.path("reason").asText("")));
    columns.add(text("Object", "The object this event is about", o -> {
      JsonNode involved = o.path("involvedObject");
      String kind = involved.path("kind").asText("").toLowerCase(Locale.ROOT);
      String name = involved.path("name").asText("");
      return name.isEmpty() ? kind : kind + "/" + name;
    }));
    columns.add(wide(text("Subobject", "The part of the object", o -> o.path("involvedObject").path("fieldPath")
        .asText(""))));
    columns.add(wide(text("Source", "The component reporting this event", o -> {
      String component = o.path("source").path("component").asText("");
      String host = o.path("source").path("host").asText("");
      if (component.isEmpty()) {
        component = o.path("reportingComponent").asText("");
        host = o.path("reportingInstance").asText("");
      }
      return host.isEmpty() ? component : component + ", " + host;
    })));
    columns.add(text("Message", "A human-readable description", o -> o.path("message").asText("").trim()));
    columns.add(new Column("First Seen", "string", "", "Time since the first occurrence", 1,
        (o, now) -> NODES.textNode(firstSeen(o, now))));
    columns.add(new Column("Count", "integer", "", "The number of times this event has occurred", 1, (o, now) -> {
      JsonNode series = o.path("series");
      long count = series.isObject() ? series.path("count").asLong(0) : o.path("count").asLong(0);
      return NODES.numberNode(count == 0 && !series.isObject() ? 1 : count);
    }));
    columns.add(wide(text("Name", NAME_DESCRIPTION, o -> o.path("metadata").path("name").asText(""))));
  }

  private static String firstSeen(JsonNode event, Instant now) {
    String first = event.path("firstTimestamp").asText("");
    return first.isEmpty() ? since(event.path("eventTime").asText(""), now) : since(first, now);
  }

  private static Column text(String name, String description, java.util.function.Function<JsonNode, String> f) {
    return new Column(name, "string", "", description, 0, (o, now) -> NODES.textNode(f.apply(o)));
  }

  private static Column wide(Column c) {
    return new Column(c.name(), c.type(), c.format(), c.description(), 1, c.cell());
  }
}
