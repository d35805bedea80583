package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Paper results summed or averaged over a deployment's agents. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class AggregatePerformance {
  private Double totalEquity;
  private Double totalPnl;
  private Double averageReturn;
  private Double averageSharpe;
  private Integer trades;

  public Double getTotalEquity() {
    return totalEquity;
  }

  public void setTotalEquity(Double totalEquity) {
    this.totalEquity = totalEquity;
  }

  public Double getTotalPnl() {
    return totalPnl;
  }

  public void setTotalPnl(Double totalPnl) {
    this.totalPnl = totalPnl;
  }

  public Double getAverageReturn() {
    return averageReturn;
  }

  public void setAverageReturn(Double averageReturn) {
    this.averageReturn = averageReturn;
  }

  public Double getAverageSharpe() {
    return averageSharpe;
  }

  public void setAverageSharpe(Double averageSharpe) {
    this.averageSharpe = averageSharpe;
  }

  public Integer getTrades() {
    return trades;
  }

  public void setTrades(Integer trades) {
    this.trades = trades;
  }
}
