package io.neuraltrader.e2b.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** N identical trading agents whose count follows market-hours schedules and kubectl scale. */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Kind("E2BDeployment")
@Plural("e2bdeployments")
@Singular("e2bdeployment")
@ShortNames("e2bdeploy")
public class E2BDeployment extends CustomResource<E2BDeploymentSpec, E2BDeploymentStatus>
    implements Namespaced {
  @Override
  protected E2BDeploymentSpec initSpec() {
    return new E2BDeploymentSpec();
  }

  @Override
  protected E2BDeploymentStatus initStatus() {
    return new E2BDeploymentStatus();
  }
}
