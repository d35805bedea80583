package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/** A symbol on which at least the quorum of the voting agents agree. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ConsensusDecision {
  @Size(max = 64)
  private String symbol;
  @Size(max = 16)
  /** buy, sell or hold. */
  private String action;
  /** Agents signalling the action. */
  private Integer votes;
  /** Agents that voted on the symbol (healthy and fresh). */
  private Integer voters;
  /** Running agents that trade the symbol: the quorum is a fraction of these, so a failed agent counts against it. */
  private Integer members;
  private Integer buy;
  private Integer sell;
  private Integer hold;

  public String getSymbol() {
    return symbol;
  }

  public void setSymbol(String symbol) {
    this.symbol = symbol;
  }

  public String getAction() {
    return action;
  }

  public void setAction(String action) {
    this.action = action;
  }

  public Integer getVotes() {
    return votes;
  }

  public void setVotes(Integer votes) {
    this.votes = votes;
  }

  public Integer getVoters() {
    return voters;
  }

  public void setVoters(Integer voters) {
    this.voters = voters;
  }

  public Integer getMembers() {
    return members;
  }

  public void setMembers(Integer members) {
    this.members = members;
  }

  public Integer getBuy() {
    return buy;
  }

  public void setBuy(Integer buy) {
    this.buy = buy;
  }

  public Integer getSell() {
    return sell;
  }

  public void setSell(Integer sell) {
    this.sell = sell;
  }

  public Integer getHold() {
    return hold;
  }

  public void setHold(Integer hold) {
    this.hold = hold;
  }
}
