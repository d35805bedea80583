package io.neuraltrader.e2b.local.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelectorsTest {
  private static final Set<String> EVENT_FIELDS = CoreKinds.byPlural("events").orElseThrow().fieldSelectors();

  private static JsonNode json(String text) throws Exception {
    return new ObjectMapper().readTree(text.replace('\'', '"'));
  }

  @Test
  void fieldSelectorsMatchTheFieldsKubectlDescribeUses() throws Exception {
    JsonNode event = json("{'metadata':{'name':'e1','namespace':'default'},'involvedObject':{'kind':'TradingAgent',"
        + "'name':'momentum','uid':'u-1'},'reason':'Created','source':{'component':'e2b-operator'}}");

    assertTrue(Selectors.parse("involvedObject.name=momentum,involvedObject.namespace!=other,"
        + "involvedObject.uid==u-1", null, EVENT_FIELDS).matches(event));
    assertFalse(Selectors.parse("involvedObject.name=other", null, EVENT_FIELDS).matches(event));
    assertTrue(Selectors.parse("source=e2b-operator", null, EVENT_FIELDS).matches(event));
    assertEquals("e1", Selectors.parse("metadata.name=e1", null, EVENT_FIELDS).name());
  }

  @Test
  void aFieldTheKindDoesNotIndexIsRefusedAsTheServerDoes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Selectors.parse("spec.strategy=momentum", null, Set.of("metadata.name", "metadata.namespace")));
    assertEquals("field label not supported: spec.strategy", e.getMessage());
  }

  @Test
  void labelSelectorsTakeEqualitySetAndExistenceRequirements() throws Exception {
    JsonNode o = json("{'metadata':{'labels':{'app':'fleet','tier':'a'}}}");

    assertTrue(Selectors.parse(null, "app=fleet", Set.of()).matches(o));
    assertTrue(Selectors.parse(null, "app in (x, fleet),tier notin (b),tier,!missing", Set.of()).matches(o));
    assertFalse(Selectors.parse(null, "app!=fleet", Set.of()).matches(o));
    assertFalse(Selectors.parse(null, "missing", Set.of()).matches(o));
    assertFalse(Selectors.parse(null, "!app", Set.of()).matches(o));
    assertFalse(Selectors.parse(null, "tier in (b,c)", Set.of()).matches(o));
    assertTrue(Selectors.parse("", "", Set.of()).matches(o));
  }
}
