package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** The agent's price feed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "(self.type != 'configMap' || has(self.configMapRef))"
    + " && (self.type != 'http' || has(self.http))",
    message = "type configMap needs configMapRef; type http needs http")
public class MarketDataSpec {
  @Default("synthetic")
  private MarketDataType type = MarketDataType.synthetic;
  /** Seed of the synthetic feed. */
  @Default("42")
  @Min(0)
  private Long seed = 42L;
  /** Per-tick volatility of the synthetic feed. */
  @Default("0.02")
  @Min(0)
  @Max(0.5)
  private Double volatility = 0.02;
  /** Per-tick drift of the synthetic feed. */
  @Default("0")
  @Min(-0.1)
  @Max(0.1)
  private Double drift = 0.0;
  /** ConfigMap key with CSV prices (timestamp,symbol,price[,venue]). */
  private KeySelector configMapRef;
  private HttpMarketData http;

  public MarketDataType getType() {
    return type;
  }

  public void setType(MarketDataType type) {
    this.type = type;
  }

  public Long getSeed() {
    return seed;
  }

  public void setSeed(Long seed) {
    this.seed = seed;
  }

  public Double getVolatility() {
    return volatility;
  }

  public void setVolatility(Double volatility) {
    this.volatility = volatility;
  }

  public Double getDrift() {
    return drift;
  }

  public void setDrift(Double drift) {
    this.drift = drift;
  }

  public KeySelector getConfigMapRef() {
    return configMapRef;
  }

  public void setConfigMapRef(KeySelector configMapRef) {
    this.configMapRef = configMapRef;
  }

  public HttpMarketData getHttp() {
    return http;
  }

  public void setHttp(HttpMarketData http) {
    this.http = http;
  }
}
