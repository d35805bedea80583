package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Paper-trading results since the agent started (or since its state was last reset). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Performance {
  private Double totalReturn;
  private Double sharpe;
  private Double maxDrawdown;
  private Double winRate;
  private Integer trades;
  private Double realizedPnl;

  public Double getTotalReturn() {
    return totalReturn;
  }

  public void setTotalReturn(Double totalReturn) {
    this.totalReturn = totalReturn;
  }

  public Double getSharpe() {
    return sharpe;
  }

  public void setSharpe(Double sharpe) {
    this.sharpe = sharpe;
  }

  public Double getMaxDrawdown() {
    return maxDrawdown;
  }

  public void setMaxDrawdown(Double maxDrawdown) {
    this.maxDrawdown = maxDrawdown;
  }

  public Double getWinRate() {
    return winRate;
  }

  public void setWinRate(Double winRate) {
    this.winRate = winRate;
  }

  public Integer getTrades() {
    return trades;
  }

  public void setTrades(Integer trades) {
    this.trades = trades;
  }

  public Double getRealizedPnl() {
    return realizedPnl;
  }

  public void setRealizedPnl(Double realizedPnl) {
    this.realizedPnl = realizedPnl;
  }
}
