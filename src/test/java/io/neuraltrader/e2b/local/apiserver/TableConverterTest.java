package io.neuraltrader.e2b.local.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuraltrader.e2b.api.v1alpha1.PrinterColumns;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableConverterTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text.replace('\'', '"'));
  }

  @Test
  void aCustomResourceGetsNameAndItsCrdsPrinterColumnsInOrder() throws Exception {
    TableConverter converter = TableConverter.forCrd(Crds.load("tradingagents").getSpec().getVersions().get(0));
    JsonNode agent = json("{'apiVersion':'e2b.neuraltrader.io/v1alpha1','kind':'TradingAgent','metadata':{'name':"
        + "'momentum','namespace':'default','resourceVersion':'7','creationTimestamp':'2026-03-02T14:58:30Z'},"
        + "'spec':{'strategy':'momentum'},'status':{'phase':'Running','runs':5,'equity':100007.48,'pnl':7.48,"
        + "'lastRunAt':'2026-03-02T14:56:55Z'}}");

    JsonNode table = converter.convert(agent, null, NOW);

    assertEquals("Table", table.path("kind").asText());
    assertEquals("meta.k8s.io/v1", table.path("apiVersion").asText());
    List<String> names = new ArrayList<>();
    table.path("columnDefinitions").forEach(c -> names.add(c.path("name").asText()));
    List<String> expected = new ArrayList<>(List.of("Name"));
    PrinterColumns.BY_KIND.get("TradingAgent").forEach(c -> expected.add(c.name()));
    assertEquals(expected, names);
    assertEquals("name", table.path("columnDefinitions").path(0).path("format").asText());
    assertEquals(1, table.path("columnDefinitions").path(6).path("priority").asInt(), "Sandbox is -o wide");
    JsonNode cells = table.path("rows").path(0).path("cells");
    // Name, Strategy, Phase, Runs, Equity, PnL, Sandbox (missing: null), Last-Run (date: age), Age
    assertEquals("[\"momentum\",\"momentum\",\"Running\",5,100007.48,7.48,null,\"3m5s\",\"90s\"]", cells.toString());
    assertTrue(cells.path(3).isIntegralNumber());
    assertTrue(cells.path(4).isFloatingPointNumber());
    JsonNode object = table.path("rows").path(0).path("object");
    assertEquals("PartialObjectMetadata", object.path("kind").asText());
    assertEquals("momentum", object.path("metadata").path("name").asText());
    assertFalse(object.has("spec"));
    assertEquals("7", table.path("metadata").path("resourceVersion").asText());
  }

  @Test
  void aListGivesOneRowPerItemAndIncludeObjectChoosesTheRowObject() throws Exception {
    TableConverter converter = TableConverter.forCrd(Crds.load("e2bdeployments").getSpec().getVersions().get(0));
    JsonNode list = json("{'kind':'E2BDeploymentList','metadata':{'resourceVersion':'12'},'items':["
        + "{'metadata':{'name':'a'},'spec':{'replicas':2}},{'metadata':{'name':'b'},'status':{'readyReplicas':1}}]}");

    JsonNode none = converter.convert(list, "None", NOW);
    JsonNode whole = converter.convert(list, "Object", NOW);

    assertEquals(2, none.path("rows").size());
    assertFalse(none.path("rows").path(0).has("object"));
    assertEquals(2, whole.path("rows").path(0).path("object").path("spec").path("replicas").asInt());
    assertEquals("b", whole.path("rows").path(1).path("cells").path(0).asText());
    assertEquals("12", none.path("metadata").path("resourceVersion").asText());
  }

  @Test
  void cellsAreTypedAsTheColumnSays() throws Exception {
    JsonNode o = json("{'s':'x','i':3,'f':2.5,'b':true,'t':'2026-03-02T14:59:59Z','bad':'yesterday',"
        + "'m':{'z':1,'a':[1,'x']},'big':1000000.0,'c':[{'type':'Synced','status':'False'},"
        + "{'type':'Ready','status':'True'}]}");

    assertEquals("x", cell("string", ".s", o).asText());
    assertEquals("3", cell("string", ".i", o).asText(), "a string column prints any value");
    assertEquals("2.5", cell("string", ".f", o).asText());
    assertEquals("1e+06", cell("string", ".big", o).asText(), "Go's %v of a float64");
    assertEquals("{\"a\":[1,\"x\"],\"z\":1}", cell("string", ".m", o).asText(), "maps as JSON, keys sorted");
    assertEquals(2L, cell("integer", ".f", o).asLong(), "integer columns truncate");
    assertEquals(3.0, cell("number", ".i", o).asDouble());
    assertTrue(cell("boolean", ".b", o).asBoolean());
    assertEquals(null, cell("boolean", ".s", o), "a value of another type is no value");
    assertEquals("1s", cell("date", ".t", o).asText());
    assertEquals("<invalid>", cell("date", ".bad", o).asText());
    assertEquals(null, cell("string", ".missing.deeper", o));
    assertEquals("True", cell("string", ".c[?(@.type==\"Ready\")].status", o).asText());
    assertEquals("Synced", cell("string", ".c[0].type", o).asText());
    assertEquals("Ready", cell("string", ".c[-1].type", o).asText());
  }

  private static JsonNode cell(String type, String path, JsonNode object) {
    return TableConverter.typed(type, JsonPath.parse(path).evaluate(object), NOW);
  }

  @Test
  void eventsPrintAsTheCorePrinterDoes() throws Exception {
    JsonNode event = json("{'kind':'Event','metadata':{'name':'momentum.abc','creationTimestamp':"
        + "'2026-03-02T14:50:00Z'},'involvedObject':{'kind':'TradingAgent','name':'momentum'},'reason':"
        + "'SandboxCreated','message':' Created E2BSandbox momentum-sandbox \\n','type':'Normal','source':"
        + "{'component':'e2b-operator'},'firstTimestamp':'2026-03-02T14:50:00Z','lastTimestamp':"
        + "'2026-03-02T14:59:00Z','count':3}");

    JsonNode table = TableConverter.forCore("Event").convert(event, null, NOW);

    assertEquals("[\"60s\",\"Normal\",\"SandboxCreated\",\"tradingagent/momentum\",\"\",\"e2b-operator\","
        + "\"Created E2BSandbox momentum-sandbox\",\"10m\",3,\"momentum.abc\"]",
        table.path("rows").path(0).path("cells").toString());
    assertEquals("Last Seen", table.path("columnDefinitions").path(0).path("name").asText());
  }

  @Test
  void configMapsCountTheirDataAndNamespacesShowTheirPhase() throws Exception {
    JsonNode cm = json("{'metadata':{'name':'s','creationTimestamp':'2026-03-02T12:00:00Z'},'data':{'a':'1','b':'2'},"
        + "'binaryData':{'c':'AA=='}}");
    JsonNode ns = json("{'metadata':{'name':'default'},'status':{'phase':'Active'}}");

    assertEquals("[\"s\",3,\"3h\"]", TableConverter.forCore("ConfigMap").convert(cm, null, NOW)
        .path("rows").path(0).path("cells").toString());
    assertEquals("[\"default\",\"Active\",\"<unknown>\"]", TableConverter.forCore("Namespace").convert(ns, null,
        NOW).path("rows").path(0).path("cells").toString());
  }

  @Test
  void agesReadAsTheApiServerWritesThem() {
    Object[][] cases = {
        {Duration.ofMillis(-1500), "0s"}, {Duration.ofSeconds(-2), "<invalid>"}, {Duration.ofSeconds(119), "119s"},
        {Duration.ofSeconds(120), "2m"}, {Duration.ofSeconds(599), "9m59s"}, {Duration.ofSeconds(659), "10m"},
        {Duration.ofMinutes(179), "179m"}, {Duration.ofMinutes(180), "3h"}, {Duration.ofMinutes(479), "7h59m"},
        {Duration.ofHours(47), "47h"}, {Duration.ofHours(48), "2d"}, {Duration.ofHours(191), "7d23h"},
        {Duration.ofHours(192), "8d"}, {Duration.ofDays(730), "2y"}, {Duration.ofDays(735), "2y5d"},
        {Duration.ofDays(365 * 9 + 3), "9y"}};
    for (Object[] c : cases) {
      assertEquals(c[1], HumanDuration.of((Duration) c[0]), c[0].toString());
    }
  }

  @Test
  void floatsRenderAsGoRendersThem() {
    assertEquals("100000", GoFloat.format(100000));
    assertEquals("123456.5", GoFloat.format(123456.5));
    assertEquals("1.2345675e+06", GoFloat.format(1234567.5));
    assertEquals("0.0001", GoFloat.format(0.0001));
    assertEquals("1e-05", GoFloat.format(0.00001));
    assertEquals("-2.5", GoFloat.format(-2.5));
    assertEquals("1234567.5", GoFloat.json(1234567.5));
    assertEquals("1e+21", GoFloat.json(1e21));
    assertEquals("1e-7", GoFloat.json(1e-7));
  }
}
