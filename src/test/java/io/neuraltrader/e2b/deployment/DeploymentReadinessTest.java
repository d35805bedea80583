package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeploymentReadinessTest {
  @Test
  void readyWhenEveryDesiredAgentRunsTheCurrentTemplateAndIsReady() {
    DeploymentReadiness.Verdict v = DeploymentReadiness.of(3, 3, 3, 3, null);
    assertTrue(v.ready());
    assertEquals("AllAgentsReady", v.reason());
    assertEquals("3/3 agents ready, 3/3 on the current template", v.message());
  }

  @Test
  void zeroDesiredAndZeroRunningIsReady() {
    assertTrue(DeploymentReadiness.of(0, 0, 0, 0, null).ready(), "off hours with offHoursPolicy Delete");
  }

  @Test
  void notReadyWhileScalingRollingOrWaiting() {
    assertEquals("Scaling", DeploymentReadiness.of(1, 1, 1, 3, null).reason());
    assertEquals("Scaling", DeploymentReadiness.of(4, 4, 4, 3, null).reason(), "scale-down pending");
    assertEquals("AwaitingApproval", DeploymentReadiness.of(2, 2, 2, 20, "AwaitingApproval").reason());
    assertEquals("RollingUpdate", DeploymentReadiness.of(3, 3, 2, 3, null).reason());
    DeploymentReadiness.Verdict v = DeploymentReadiness.of(3, 2, 3, 3, null);
    assertFalse(v.ready());
    assertEquals("AgentsNotReady", v.reason());
    assertEquals("2/3 agents ready, 3/3 on the current template", v.message());
  }
}
