package io.neuraltrader.e2b.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** One E2B sandbox (a Firecracker micro-VM) whose lifecycle the operator owns. */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Kind("E2BSandbox")
@Plural("e2bsandboxes")
@Singular("e2bsandbox")
@ShortNames("e2bsb")
public class E2BSandbox extends CustomResource<E2BSandboxSpec, E2BSandboxStatus> implements Namespaced {
  @Override
  protected E2BSandboxSpec initSpec() {
    return new E2BSandboxSpec();
  }

  @Override
  protected E2BSandboxStatus initStatus() {
    return new E2BSandboxStatus();
  }
}
