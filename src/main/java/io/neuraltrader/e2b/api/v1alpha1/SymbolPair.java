package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Two co-moving symbols traded as a spread. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "self.first != self.second", message = "a pair needs two different symbols")
public class SymbolPair {
  @Required
  @Pattern(ApiConstants.SYMBOL_PATTERN)
  @Size(max = ApiConstants.SYMBOL_MAX_LENGTH)
  private String first;
  @Required
  @Pattern(ApiConstants.SYMBOL_PATTERN)
  @Size(max = ApiConstants.SYMBOL_MAX_LENGTH)
  private String second;

  public SymbolPair() {}

  public SymbolPair(String first, String second) {
    this.first = first;
    this.second = second;
  }

  public String getFirst() {
    return first;
  }

  public void setFirst(String first) {
    this.first = first;
  }

  public String getSecond() {
    return second;
  }

  public void setSecond(String second) {
    this.second = second;
  }
}
