package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/**
 * What a tick saw of one symbol's market: realized volatility (sample stdev of per-step returns over
 * {@code window} steps), volume and relative spread, each absent when the data source cannot give it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class MarketObservation extends MarketFigures {
  @Size(max = 64)
  private String symbol;
  private Integer window;

  public String getSymbol() {
    return symbol;
  }

  public void setSymbol(String symbol) {
    this.symbol = Bounded.text(symbol, 64);
  }

  public Integer getWindow() {
    return window;
  }

  public void setWindow(Integer window) {
    this.window = window;
  }
}
