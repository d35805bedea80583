package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Split a symbol universe evenly across the replicas (each agent trades its own shard). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ShardingSpec {
  /** The universe to split: up to 10000 distinct symbols (every US-listed equity fits). */
  @Size(min = 1, max = 10000)
  @Elements(maxLength = ApiConstants.SYMBOL_MAX_LENGTH, pattern = ApiConstants.SYMBOL_PATTERN)
  @ListType("set")
  private List<String> symbols;

  public List<String> getSymbols() {
    return symbols;
  }

  public void setSymbols(List<String> symbols) {
    this.symbols = symbols;
  }
}
