package io.neuraltrader.e2b.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A trading strategy running tick by tick in an E2B sandbox, paper trading only. */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Kind("TradingAgent")
@Plural("tradingagents")
@Singular("tradingagent")
@ShortNames("tragent")
public class TradingAgent extends CustomResource<TradingAgentSpec, TradingAgentStatus> implements Namespaced {
  @Override
  protected TradingAgentSpec initSpec() {
    return new TradingAgentSpec();
  }

  @Override
  protected TradingAgentStatus initStatus() {
    return new TradingAgentStatus();
  }
}
