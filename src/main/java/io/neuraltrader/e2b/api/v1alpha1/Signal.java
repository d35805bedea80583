package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/** A strategy's latest decision for one symbol. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Signal {
  @Size(max = 64)
  private String symbol;
  /** buy, sell or hold. */
  @Size(max = 16)
  private String action;
  private Double strength;
  private Double price;
  @Size(max = 64)
  private String time;
  @Size(max = 1024)
  private String reason;

  public String getSymbol() {
    return symbol;
  }

  public void setSymbol(String symbol) {
    this.symbol = Bounded.text(symbol, 64);
  }

  public String getAction() {
    return action;
  }

  public void setAction(String action) {
    this.action = Bounded.text(action, 16);
  }

  public Double getStrength() {
    return strength;
  }

  public void setStrength(Double strength) {
    this.strength = strength;
  }

  public Double getPrice() {
    return price;
  }

  public void setPrice(Double price) {
    this.price = price;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = Bounded.text(reason, 1024);
  }
}
