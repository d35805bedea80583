package io.neuraltrader.e2b.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A pool of warm, Running sandboxes that agents claim without waiting for E2B. */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Kind("SandboxPool")
@Plural("sandboxpools")
@Singular("sandboxpool")
@ShortNames("sbpool")
public class SandboxPool extends CustomResource<SandboxPoolSpec, SandboxPoolStatus> implements Namespaced {
  @Override
  protected SandboxPoolSpec initSpec() {
    return new SandboxPoolSpec();
  }

  @Override
  protected SandboxPoolStatus initStatus() {
    return new SandboxPoolStatus();
  }
}
