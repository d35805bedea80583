package io.neuraltrader.e2b.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.neuraltrader.e2b.api.v1alpha1.AgentSandboxSource;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import io.neuraltrader.e2b.reconcile.StatusWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentSandboxTemplateTest {

  private static TradingAgent agent(Boolean paused) {
    E2BSandboxSpec template = new E2BSandboxSpec();
    template.setTemplate("code-interpreter-v1");
    template.setTimeoutSeconds(300);
    template.setPaused(paused);
    AgentSandboxSource source = new AgentSandboxSource();
    source.setTemplate(template);
    TradingAgentSpec spec = new TradingAgentSpec();
    spec.setSandbox(source);
    TradingAgent agent = new TradingAgent();
    agent.setMetadata(new ObjectMetaBuilder().withName("alpha").withNamespace("desk").withUid("uid-1")
        .withLabels(Map.of("team", "quant", "app.kubernetes.io/instance", "argo-app")).build());
    agent.setSpec(spec);
    return agent;
  }

  @Test
  void theOwnSandboxIsTheTemplateRunningAndOwnedByTheAgent() {
    TradingAgent agent = agent(true);
    E2BSandbox sandbox = AgentSandboxTemplate.desired(agent);
    assertEquals("alpha-sandbox", sandbox.getMetadata().getName());
    assertEquals("desk", sandbox.getMetadata().getNamespace());
    assertEquals("code-interpreter-v1", sandbox.getSpec().getTemplate());
    assertEquals(300, sandbox.getSpec().getTimeoutSeconds());
    assertFalse(sandbox.getSpec().getPaused(), "the agent runs in it: never paused while it is wanted");
    assertTrue(agent.getSpec().getSandbox().getTemplate().getPaused(), "the agent's template is not changed");
    assertEquals(Map.of("team", "quant", ApiConstants.LABEL_AGENT, "alpha",
        ApiConstants.LABEL_MANAGED_BY, ApiConstants.MANAGED_BY_VALUE), sandbox.getMetadata().getLabels(),
        "the agent's labels without Argo CD's tracking label, plus the agent and manager labels");
    var owner = sandbox.getMetadata().getOwnerReferences().get(0);
    assertEquals("uid-1", owner.getUid());
    assertTrue(owner.getController());
  }

  @Test
  void theSameAgentGivesTheSameSandbox() {
    assertTrue(StatusWriter.same(AgentSandboxTemplate.desired(agent(null)), AgentSandboxTemplate.desired(agent(false))),
        "a template without paused and one with paused: false both give a running sandbox");
  }
}
