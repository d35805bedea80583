package io.neuraltrader.e2b.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxStatus;
import io.neuraltrader.e2b.api.v1alpha1.Signal;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Free text and strategy output copied into status stay within the CRD's bounds, so status writes succeed. */
class StatusBoundsTest {
  private static JSONSchemaProps status(String crd) throws IOException {
    return CrdFiles.read(CrdFiles.file(Path.of("crds"), crd)).getSpec().getVersions().get(0).getSchema()
        .getOpenAPIV3Schema().getProperties().get("status");
  }

  @Test
  void longErrorsAreCutToTheDeclaredLength() throws IOException {
    E2BSandboxStatus sandbox = new E2BSandboxStatus();
    sandbox.setLastError("x".repeat(100_000));
    long max = status("e2bsandboxes.e2b.neuraltrader.io").getProperties().get("lastError").getMaxLength();
    assertEquals(max, sandbox.getLastError().length());
    assertTrue(sandbox.getLastError().endsWith("..."));
    sandbox.setLastError("short");
    assertEquals("short", sandbox.getLastError());
  }

  @Test
  void strategyOutputIsCutToTheDeclaredBounds() throws IOException {
    JSONSchemaProps schema = status("tradingagents.e2b.neuraltrader.io");
    List<Signal> signals = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Signal s = new Signal();
      s.setSymbol("S".repeat(500));
      s.setReason("r".repeat(50_000));
      signals.add(s);
    }
    TradingAgentStatus agent = new TradingAgentStatus();
    agent.setSignals(signals);
    JSONSchemaProps signalSchema = schema.getProperties().get("signals");
    assertEquals(signalSchema.getMaxItems().intValue(), agent.getSignals().size());
    JSONSchemaProps item = signalSchema.getItems().getSchema();
    assertEquals(item.getProperties().get("symbol").getMaxLength().intValue(),
        agent.getSignals().get(0).getSymbol().length());
    assertEquals(item.getProperties().get("reason").getMaxLength().intValue(),
        agent.getSignals().get(0).getReason().length());
  }
}
