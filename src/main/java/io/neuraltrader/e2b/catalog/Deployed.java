package io.neuraltrader.e2b.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;

/**
 * What {@link TemplateCatalog#deploy} created: a TradingAgent (one replica) or an E2BDeployment (several).
 *
 * @param spec the agent spec after overrides (each of a deployment's agents runs it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Deployed(String kind, String namespace, String name, String uid, String templateName,
    String templateVersion, int replicas, String strategy, TradingAgentSpec spec) {}
