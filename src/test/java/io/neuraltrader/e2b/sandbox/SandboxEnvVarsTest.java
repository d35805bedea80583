package io.neuraltrader.e2b.sandbox;

import static io.neuraltrader.e2b.sandbox.SandboxTesting.applySandbox;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitPhase;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitRunning;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.condition;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.count;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.edit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.EnvVar;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.local.runtime.Operation;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sandbox's env vars end up as Python source in E2B's code interpreter (the first cell of every context),
 * so values that cannot stay inside a quoted literal are refused before any E2B call.
 */
class SandboxEnvVarsTest {
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void aSecretValueWithAQuoteOrLineBreakFailsTheSpecWithoutCreatingAnything() {
    String secret = "pa'ss\nword";
    h.client().secrets().inNamespace(OperatorHarness.NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName("vendor").endMetadata().addToStringData("token", secret).build()).create();
    applySandbox(h, "quoted", """
        envVars:
          - {name: MODE, value: paper}
          - name: VENDOR_TOKEN
            valueFrom: {secretKeyRef: {name: vendor, key: token}}
        """);
    E2BSandbox failed = awaitPhase(h, "quoted", SandboxPhase.Failed);
    String message = condition(failed, "Ready").getMessage();
    assertEquals("InvalidSpec", condition(failed, "Ready").getReason());
    assertTrue(message.contains("VENDOR_TOKEN"), message);
    assertFalse(message.contains("pa'ss"), "the value is never shown");
    h.awaitEvent("quoted", "InvalidSpec");
    assertTrue(h.events("quoted").stream().noneMatch(e -> e.getMessage().contains("pa'ss")));
    assertEquals(0, count(h, Operation.CREATE), "nothing reached E2B");

    // A usable value is all it takes.
    edit(h, "quoted", r -> r.getSpec().setEnvVars(List.of(new EnvVar("MODE", "paper"),
        new EnvVar("VENDOR_TOKEN", "plain-token_1"))));
    String id = awaitRunning(h, "quoted").getStatus().getSandboxID();
    assertTrue(id != null);
  }
}
