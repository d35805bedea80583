package io.neuraltrader.e2b.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Duplicates in the shipped CRDs' set and map lists, found as the API server finds them. */
class ListTypesTest {
  private static JSONSchemaProps spec(String crd) throws IOException {
    CustomResourceDefinition d = Serialization.unmarshal(
        Files.readString(Path.of("crds", crd + ".e2b.neuraltrader.io-v1.yml")), CustomResourceDefinition.class);
    return d.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  private static JsonNode yaml(String text) throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(text);
  }

  @Test
  void duplicateSymbolsAndDaysAreRefused() throws IOException {
    JsonNode agent = yaml("{strategy: momentum, symbols: [AAPL, MSFT, AAPL], sandbox: {template: {}}}");
    assertEquals(List.of("spec.symbols[2]: Duplicate value: \"AAPL\""),
        ListTypes.duplicates(spec("tradingagents"), agent, "spec"));
    JsonNode pool = yaml("{replicas: 1, maxSandboxes: 2, schedules: [{name: w, timezone: UTC, days: [Mon, Mon],"
        + " start: '09:00', end: '10:00', replicas: 1}]}");
    assertEquals(List.of("spec.schedules[0].days[1]: Duplicate value: \"Mon\""),
        ListTypes.duplicates(spec("sandboxpools"), pool, "spec"));
  }

  @Test
  void entriesOfAListMapAreUniqueByTheirKeys() throws IOException {
    JsonNode deployment = yaml("{replicas: 1, template: {spec: {strategy: momentum, symbols: [A], sandbox: {template:"
        + " {envVars: [{name: MODE, value: a}, {name: MODE, value: b}]}}}}, schedules: [{name: open, timezone: UTC,"
        + " start: '09:00', end: '10:00', replicas: 1}, {name: open, timezone: UTC, start: '11:00', end: '12:00',"
        + " replicas: 2}]}");
    assertEquals(List.of(
        "spec.template.spec.sandbox.template.envVars[1]: Duplicate value: map[string]interface {}{\"name\":\"MODE\"}",
        "spec.schedules[1]: Duplicate value: map[string]interface {}{\"name\":\"open\"}"),
        ListTypes.duplicates(spec("e2bdeployments"), deployment, "spec"));
  }

  @Test
  void distinctEntriesPass() throws IOException {
    JsonNode sandbox = yaml("{envVars: [{name: A, value: x}, {name: B, value: x}],"
        + " network: {allowOut: [example.com, 8.8.8.8]}}");
    assertEquals(List.of(), ListTypes.duplicates(spec("e2bsandboxes"), sandbox, "spec"));
  }
}
