package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Split a symbol universe evenly across the replicas (each agent trades its own shard). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ShardingSpec {
  @ValidationRule(value = "self.size() > 0 && self.size() <= 5000"
      + " && self.all(s, s.matches('" + ApiConstants.SYMBOL_PATTERN + "'))",
      message = "sharding.symbols: 1 to 5000 symbols, each matching " + ApiConstants.SYMBOL_PATTERN)
  private List<String> symbols;

  public List<String> getSymbols() {
    return symbols;
  }

  public void setSymbols(List<String> symbols) {
    this.symbols = symbols;
  }
}
