package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * Desired state of a paper-trading agent. Parameters are numbers and symbols match a strict pattern: every
 * input reaches the strategy as data, never as code.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "(self.strategy != 'pairs_trading' || (has(self.pairs) && self.pairs.size() > 0))"
    + " && (self.strategy == 'pairs_trading' || (has(self.symbols) && self.symbols.size() > 0))"
    + " && (self.strategy != 'custom' || has(self.code))"
    + " && (!has(self.parameters) || self.strategy == 'custom'"
    + " || (self.strategy == 'momentum' && self.parameters.all(k, k in ['period', 'threshold']))"
    + " || (self.strategy == 'mean_reversion' && self.parameters.all(k, k in ['windowSize', 'stddevs', 'exitZ']))"
    + " || (self.strategy == 'pairs_trading' && self.parameters.all(k, k in ['lookback', 'entryZ', 'exitZ']))"
    + " || (self.strategy == 'arbitrage' && self.parameters.all(k, k in ['feeThreshold'])))",
    message = "pairs_trading needs pairs; other strategies need symbols; custom needs code; parameters must be"
        + " those of the strategy (momentum: period, threshold; mean_reversion: windowSize, stddevs, exitZ;"
        + " pairs_trading: lookback, entryZ, exitZ; arbitrage: feeThreshold)")
public class TradingAgentSpec {
  @Required
  private Strategy strategy;
  @Size(max = 50)
  @Elements(maxLength = ApiConstants.SYMBOL_MAX_LENGTH, pattern = ApiConstants.SYMBOL_PATTERN)
  @ListType("set")
  private List<String> symbols;
  @Size(max = 25)
  private List<SymbolPair> pairs;
  /** Numeric strategy parameters (see the strategy's documentation for names, ranges and defaults). */
  @Size(max = 16)
  @ValidationRule(value = "self.all(k, k.matches('^[a-zA-Z][a-zA-Z0-9]{0,31}$'))",
      message = "parameters: names are alphanumeric identifiers of at most 32 characters")
  private Map<String, Double> parameters;
  private RiskSpec risk = new RiskSpec();
  /** Paper capital in USD. */
  @Default("100000")
  @Min(100)
  @Max(1000000000)
  private Double capital = 100000.0;
  /** Decision cadence, e.g. 60s. */
  @Default("60s")
  @Pattern(ApiConstants.DURATION_PATTERN)
  @Size(max = ApiConstants.DURATION_MAX_LENGTH)
  private String interval = "60s";
  /** When set, ticks run only inside the calendar's regular sessions. */
  private MarketHoursSpec marketHours;
  private MarketDataSpec marketData = new MarketDataSpec();
  @Required
  private AgentSandboxSource sandbox;
  /** Source of a custom strategy. */
  private CodeSource code;
  /** Stop ticking (and give a claimed sandbox back to its pool). */
  @Default("false")
  private Boolean suspend = false;
  private GuardrailsSpec guardrails;
  /** Replace a sandbox whose executions keep failing. */
  private RemediationSpec remediation;
  /** Error-rate anomaly detection over the agent's ticks. */
  private AnomalySpec anomaly;
  private StatePersistenceSpec statePersistence = new StatePersistenceSpec();

  public Strategy getStrategy() {
    return strategy;
  }

  public void setStrategy(Strategy strategy) {
    this.strategy = strategy;
  }

  public List<String> getSymbols() {
    return symbols;
  }

  public void setSymbols(List<String> symbols) {
    this.symbols = symbols;
  }

  public List<SymbolPair> getPairs() {
    return pairs;
  }

  public void setPairs(List<SymbolPair> pairs) {
    this.pairs = pairs;
  }

  public Map<String, Double> getParameters() {
    return parameters;
  }

  public void setParameters(Map<String, Double> parameters) {
    this.parameters = parameters;
  }

  public RiskSpec getRisk() {
    return risk;
  }

  public void setRisk(RiskSpec risk) {
    this.risk = risk;
  }

  public Double getCapital() {
    return capital;
  }

  public void setCapital(Double capital) {
    this.capital = capital;
  }

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

  public MarketHoursSpec getMarketHours() {
    return marketHours;
  }

  public void setMarketHours(MarketHoursSpec marketHours) {
    this.marketHours = marketHours;
  }

  public MarketDataSpec getMarketData() {
    return marketData;
  }

  public void setMarketData(MarketDataSpec marketData) {
    this.marketData = marketData;
  }

  public AgentSandboxSource getSandbox() {
    return sandbox;
  }

  public void setSandbox(AgentSandboxSource sandbox) {
    this.sandbox = sandbox;
  }

  public CodeSource getCode() {
    return code;
  }

  public void setCode(CodeSource code) {
    this.code = code;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public RemediationSpec getRemediation() {
    return remediation;
  }

  public void setRemediation(RemediationSpec remediation) {
    this.remediation = remediation;
  }

  public AnomalySpec getAnomaly() {
    return anomaly;
  }

  public void setAnomaly(AnomalySpec anomaly) {
    this.anomaly = anomaly;
  }

  public GuardrailsSpec getGuardrails() {
    return guardrails;
  }

  public void setGuardrails(GuardrailsSpec guardrails) {
    this.guardrails = guardrails;
  }

  public StatePersistenceSpec getStatePersistence() {
    return statePersistence;
  }

  public void setStatePersistence(StatePersistenceSpec statePersistence) {
    this.statePersistence = statePersistence;
  }
}
