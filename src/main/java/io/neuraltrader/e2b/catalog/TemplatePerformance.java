package io.neuraltrader.e2b.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Paper-trading results of the agent a template was exported from (fractions: 0.12 = 12%). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemplatePerformance(Double totalReturn, Double sharpe, Double maxDrawdown, Double winRate,
    Integer trades, Long runs, Long failedRuns) {}
