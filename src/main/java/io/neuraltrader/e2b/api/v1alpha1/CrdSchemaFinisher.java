package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Completes the CRDs that fabric8's CRD generator (crd-generator-maven-plugin, v2) writes with what it does not
 * express: bounds ({@link Size} on a field, {@link Elements} on its items or values), list types
 * ({@link ListType}), the bounds and rules of the Kubernetes types embedded in specs and statuses, and the
 * printer columns of {@link PrinterColumns}. The build runs it over {@code target/classes/META-INF/fabric8} right
 * after the generator, so the CRDs on the classpath, in crds/ and in the chart are the same. Idempotent.
 */
public final class CrdSchemaFinisher {
  private static final Map<String, Class<? extends CustomResource<?, ?>>> BY_KIND = Map.of(
      "E2BSandbox", E2BSandbox.class,
      "SandboxPool", SandboxPool.class,
      "TradingAgent", TradingAgent.class,
      "E2BDeployment", E2BDeployment.class);

  private CrdSchemaFinisher() {}

  /** Finishes every {@code *-v1.yml} CRD of our kinds in the directory given as the only argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: CrdSchemaFinisher <directory of generated CRDs>");
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(args[0]), "*-v1.yml")) {
      for (Path file : files) {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
        if (BY_KIND.containsKey(crd.getSpec().getNames().getKind())) {
          Files.writeString(file, Serialization.asYaml(finish(crd)));
        }
      }
    }
  }

  /** The CRD with bounds, list types and printer columns applied (in place; also returned). */
  public static CustomResourceDefinition finish(CustomResourceDefinition crd) {
    String kind = crd.getSpec().getNames().getKind();
    Class<?> resource = BY_KIND.get(kind);
    if (resource == null) {
      throw new IllegalArgumentException("not a kind of this operator: " + kind);
    }
    Type[] specAndStatus = ((ParameterizedType) resource.getGenericSuperclass()).getActualTypeArguments();
    List<CustomResourceColumnDefinition> columns = PrinterColumns.BY_KIND.get(kind).stream()
        .map(c -> new CustomResourceColumnDefinitionBuilder()
            .withName(c.name()).withType(c.type()).withJsonPath(c.jsonPath())
            .withPriority(c.priority()).withDescription(c.description()).build())
        .toList();
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      walk(root.getProperties().get("spec"), specAndStatus[0]);
      walk(root.getProperties().get("status"), specAndStatus[1]);
      version.setAdditionalPrinterColumns(columns);
    }
    return crd;
  }

  private static void walk(JSONSchemaProps schema, Type type) {
    if (schema == null) {
      return;
    }
    Class<?> raw = raw(type);
    if (Collection.class.isAssignableFrom(raw)) {
      if (schema.getItems() != null) {
        walk(schema.getItems().getSchema(), argument(type, 0));
      }
      return;
    }
    if (Map.class.isAssignableFrom(raw)) {
      if (schema.getAdditionalProperties() != null) {
        walk(schema.getAdditionalProperties().getSchema(), argument(type, 1));
      }
      return;
    }
    if (raw == LabelSelector.class) {
      labelSelector(schema);
      return;
    }
    if (raw == Condition.class) {
      condition(schema);
      return;
    }
    if (schema.getProperties() == null) {
      return;
    }
    for (Class<?> c = raw; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        JSONSchemaProps property = schema.getProperties().get(jsonName(field));
        if (property != null) {
          apply(field, property);
          walk(property, field.getGenericType());
        }
      }
    }
  }

  private static void apply(Field field, JSONSchemaProps s) {
    Size size = field.getAnnotation(Size.class);
    if (size != null) {
      Long min = size.min() > 0 ? size.min() : null;
      Long max = size.max() < Long.MAX_VALUE ? size.max() : null;
      switch (s.getType()) {
        case "string" -> {
          s.setMinLength(min);
          s.setMaxLength(max);
        }
        case "array" -> {
          s.setMinItems(min);
          s.setMaxItems(max);
        }
        case "object" -> {
          s.setMinProperties(min);
          s.setMaxProperties(max);
        }
        default -> throw new IllegalStateException("@Size on " + field + " of type " + s.getType());
      }
    }
    Elements elements = field.getAnnotation(Elements.class);
    if (elements != null) {
      JSONSchemaProps element = "array".equals(s.getType()) ? s.getItems().getSchema()
          : s.getAdditionalProperties().getSchema();
      element.setMaxLength(elements.maxLength());
      element.setMinLength(elements.minLength() > 0 ? elements.minLength() : null);
      element.setPattern(elements.pattern().isEmpty() ? null : elements.pattern());
    }
    ListType listType = field.getAnnotation(ListType.class);
    if (listType != null) {
      s.setXKubernetesListType(listType.value());
      if (listType.keys().length > 0) {
        s.setXKubernetesListMapKeys(new ArrayList<>(List.of(listType.keys())));
      }
    }
  }

  /** A label selector as Kubernetes defines it: label syntax and the four operators with their value rules. */
  private static void labelSelector(JSONSchemaProps s) {
    JSONSchemaProps matchLabels = s.getProperties().get("matchLabels");
    matchLabels.setMaxProperties(64L);
    labelValues(matchLabels.getAdditionalProperties().getSchema());
    setRules(matchLabels, rule("self.all(k, k.matches('" + ApiConstants.QUALIFIED_NAME_PATTERN + "'))",
        "matchLabels keys must be label keys: an optional DNS prefix and '/', then at most 63 of [-A-Za-z0-9_.]"
            + " starting and ending alphanumeric"));
    JSONSchemaProps expressions = s.getProperties().get("matchExpressions");
    expressions.setMaxItems(16L);
    JSONSchemaProps requirement = expressions.getItems().getSchema();
    JSONSchemaProps key = requirement.getProperties().get("key");
    key.setMaxLength(317L);
    key.setPattern(ApiConstants.QUALIFIED_NAME_PATTERN);
    JSONSchemaProps operator = requirement.getProperties().get("operator");
    operator.setEnum(List.of(Serialization.jsonMapper().valueToTree("In"),
        Serialization.jsonMapper().valueToTree("NotIn"), Serialization.jsonMapper().valueToTree("Exists"),
        Serialization.jsonMapper().valueToTree("DoesNotExist")));
    JSONSchemaProps values = requirement.getProperties().get("values");
    values.setMaxItems(64L);
    labelValues(values.getItems().getSchema());
    requirement.setRequired(List.of("key", "operator"));
    setRules(requirement, rule("self.operator == 'In' || self.operator == 'NotIn'"
            + " ? (has(self.values) && self.values.size() > 0) : (!has(self.values) || self.values.size() == 0)",
        "operators In and NotIn need values; Exists and DoesNotExist take none"));
  }

  private static void labelValues(JSONSchemaProps s) {
    s.setMaxLength(63L);
    s.setPattern(ApiConstants.LABEL_VALUE_PATTERN);
  }

  /** Conditions as metav1.Condition bounds them; one per type. */
  private static void condition(JSONSchemaProps s) {
    Map<String, JSONSchemaProps> p = s.getProperties();
    p.get("type").setMaxLength(316L);
    p.get("status").setEnum(List.of(Serialization.jsonMapper().valueToTree("True"),
        Serialization.jsonMapper().valueToTree("False"), Serialization.jsonMapper().valueToTree("Unknown")));
    p.get("reason").setMaxLength(1024L);
    p.get("message").setMaxLength(32768L);
    p.get("lastTransitionTime").setMaxLength(64L);
    s.setRequired(List.of("status", "type"));
  }

  private static ValidationRule rule(String rule, String message) {
    return new ValidationRuleBuilder().withRule(rule).withMessage(message).build();
  }

  private static void setRules(JSONSchemaProps s, ValidationRule... rules) {
    s.setXKubernetesValidations(new ArrayList<>(List.of(rules)));
  }

  private static String jsonName(Field field) {
    JsonProperty property = field.getAnnotation(JsonProperty.class);
    return property != null && !property.value().isEmpty() ? property.value() : field.getName();
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }

  private static Type argument(Type type, int index) {
    return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
  }
}
