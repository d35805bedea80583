package io.neuraltrader.e2b.sandbox;

import io.neuraltrader.e2b.shared.SandboxActivity;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.applySandbox;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitReadyReason;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitRunning;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.awaitStays;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.condition;
import static io.neuraltrader.e2b.sandbox.SandboxTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.client.ExecuteRequest;
import io.neuraltrader.e2b.client.ExecutionListener;
import io.neuraltrader.e2b.client.ExecutionResult;
import io.neuraltrader.e2b.client.SandboxEndpoint;
import io.neuraltrader.e2b.local.runtime.ServedOperation;
import io.neuraltrader.e2b.testing.OperatorHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Env vars and credentials from Secrets and ConfigMaps: resolved at create time, missing ones are conditions. */
class SandboxReferencesTest {
  private static final String SECRET_VALUE = "s3cr3t-value-xyz";
  private OperatorHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private void secret(String name, String key, String value) {
    h.client().secrets().inNamespace(h.namespace()).resource(new SecretBuilder()
        .withNewMetadata().withName(name).endMetadata().addToStringData(key, value).build()).create();
  }

  private String env(E2BSandbox sb, String name) {
    String id = sb.getStatus().getSandboxID();
    String token = h.operator().activity().access(id).map(SandboxActivity.Access::envdAccessToken).orElse(null);
    ExecutionResult result = h.operator().clients().defaultClient().execute(
        new SandboxEndpoint(id, sb.getStatus().getDomain(), token),
        ExecuteRequest.of("import os; print(os.environ.get('" + name + "', '<unset>'))"), ExecutionListener.NONE);
    return result.stdoutText().trim();
  }

  private static final String ENV_SPEC = """
      envVars:
        - name: PLAIN
          value: hello
        - name: FROM_SECRET
          valueFrom:
            secretKeyRef: {name: broker, key: token}
        - name: FROM_CONFIG
          valueFrom:
            configMapKeyRef: {name: settings, key: venue}
      """;

  @Test
  void envVarsFromSecretsAndConfigMapsReachTheSandbox() {
    h = OperatorHarness.start();
    secret("broker", "token", SECRET_VALUE);
    h.client().configMaps().inNamespace(h.namespace()).resource(new ConfigMapBuilder()
        .withNewMetadata().withName("settings").endMetadata().addToData("venue", "XNYS").build()).create();
    applySandbox(h, "with-env", ENV_SPEC);
    E2BSandbox sb = awaitRunning(h, "with-env");

    assertEquals("hello", env(sb, "PLAIN"));
    assertEquals(SECRET_VALUE, env(sb, "FROM_SECRET"));
    assertEquals("XNYS", env(sb, "FROM_CONFIG"));
    assertFalse(h.client().resources(E2BSandbox.class).inNamespace(h.namespace())
        .withName("with-env").get().toString().contains(SECRET_VALUE));
    assertFalse(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(sb.getStatus()).toString()
        .contains(SECRET_VALUE), "env values are never copied into status");
  }

  @Test
  void aMissingSecretIsAConditionUntilTheSecretAppears() {
    h = OperatorHarness.start();
    h.client().configMaps().inNamespace(h.namespace()).resource(new ConfigMapBuilder()
        .withNewMetadata().withName("settings").endMetadata().addToData("venue", "XNYS").build()).create();
    applySandbox(h, "waits-for-secret", ENV_SPEC);

    E2BSandbox waiting = awaitReadyReason(h, "waits-for-secret", "SecretNotFound");
    String message = condition(waiting, "Ready").getMessage();
    assertTrue(message.contains("default/broker"), message);
    assertEquals("False", condition(waiting, "Ready").getStatus());
    assertEquals(null, waiting.getStatus().getSandboxID());
    h.awaitEvent("waits-for-secret", "SecretNotFound");
    awaitStays(() -> count(h, ServedOperation.CREATE) == 0);

    secret("broker", "token", SECRET_VALUE);
    h.advance(Duration.ofSeconds(6)); // past the first backoff
    E2BSandbox running = awaitRunning(h, "waits-for-secret");
    assertEquals(SECRET_VALUE, env(running, "FROM_SECRET"));
    assertTrue(condition(running, "Ready").getStatus().equals("True"));
    assertEquals(null, running.getStatus().getLastError());
  }

  @Test
  void perResourceCredentialsWithTheRightKeyWork() {
    h = OperatorHarness.start();
    secret("team-e2b", "apiKey", h.runtime().config().apiKey());
    applySandbox(h, "own-account", "credentialsSecretRef: {name: team-e2b}");
    E2BSandbox sb = awaitRunning(h, "own-account");
    assertEquals(1, h.runtime().sandboxCount());
    assertEquals(sb.getStatus().getSandboxID(), h.runtime().sandboxes().get(0).sandboxId());
  }

  @Test
  void aWrongKeyIsNotRetriedUntilItsSecretChangesThenOnce() {
    // The poller runs once at start; every create attempt below comes from the reconciler.
    h = OperatorHarness.start(rc -> { }, c -> c.withTimings(Duration.ofHours(1), Duration.ofSeconds(5),
        Duration.ofSeconds(60)));
    secret("team-e2b", "apiKey", "e2b_wrong_key_0123456789");
    applySandbox(h, "wrong-key", "credentialsSecretRef: {name: team-e2b}");
    E2BSandbox failed = awaitReadyReason(h, "wrong-key", "AuthenticationFailed");
    String message = condition(failed, "Ready").getMessage();
    assertTrue(message.contains("default/team-e2b"), message);
    assertFalse(message.contains("e2b_wrong_key"), "the key never appears in status");
    assertEquals(SandboxPhase.Failed, failed.getStatus().getPhase());
    h.awaitEvent("wrong-key", "AuthenticationFailed");
    assertEquals(1, count(h, ServedOperation.CREATE), "one rejected attempt");

    // Refreshes come and go; the same key is not offered to E2B again.
    for (int i = 0; i < 5; i++) {
      h.advance(Duration.ofSeconds(61));
      awaitStays(() -> count(h, ServedOperation.CREATE) == 1);
    }

    h.client().secrets().inNamespace(h.namespace()).withName("team-e2b").edit(s -> {
      s.setStringData(java.util.Map.of("apiKey", h.runtime().config().apiKey()));
      return s;
    });
    // The changed Secret is noticed at the next status refresh, and tried once.
    h.advance(Duration.ofSeconds(61));
    awaitRunning(h, "wrong-key");
    assertEquals(2, count(h, ServedOperation.CREATE));
    assertEquals(1, h.runtime().sandboxCount());
  }
}
