package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Position sizing and exits, all as fractions (0.05 = 5%). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RiskSpec {
  /** Largest share of equity one position may take. */
  @Default("0.1")
  @Min(0.001)
  @Max(1)
  private Double maxPositionFraction = 0.1;
  /** Close a position that lost this fraction of its entry price. */
  @Default("0.05")
  @Min(0.001)
  @Max(0.99)
  private Double stopLoss = 0.05;
  /** Close a position that gained this fraction of its entry price. */
  @Default("0.1")
  @Min(0.001)
  @Max(10)
  private Double takeProfit = 0.1;
  /** Fraction of the Kelly-optimal size to use (0.5 = half Kelly). */
  @Default("0.5")
  @Min(0.01)
  @Max(1)
  private Double kellyFraction = 0.5;
  /** Drawdown from peak equity that flattens the book and halts new entries. */
  @Default("0.2")
  @Min(0.01)
  @Max(0.99)
  private Double maxDrawdown = 0.2;
  /** Fills move this fraction against the trader (0.0005 = 5 basis points): the cost of crossing the spread. */
  @Default("0")
  @Min(0)
  @Max(0.05)
  private Double slippage = 0.0;

  public Double getMaxPositionFraction() {
    return maxPositionFraction;
  }

  public void setMaxPositionFraction(Double maxPositionFraction) {
    this.maxPositionFraction = maxPositionFraction;
  }

  public Double getStopLoss() {
    return stopLoss;
  }

  public void setStopLoss(Double stopLoss) {
    this.stopLoss = stopLoss;
  }

  public Double getTakeProfit() {
    return takeProfit;
  }

  public void setTakeProfit(Double takeProfit) {
    this.takeProfit = takeProfit;
  }

  public Double getKellyFraction() {
    return kellyFraction;
  }

  public void setKellyFraction(Double kellyFraction) {
    this.kellyFraction = kellyFraction;
  }

  public Double getMaxDrawdown() {
    return maxDrawdown;
  }

  public void setMaxDrawdown(Double maxDrawdown) {
    this.maxDrawdown = maxDrawdown;
  }

  public Double getSlippage() {
    return slippage;
  }

  public void setSlippage(Double slippage) {
    this.slippage = slippage;
  }
}
