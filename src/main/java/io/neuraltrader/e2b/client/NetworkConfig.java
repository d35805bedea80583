package io.neuraltrader.e2b.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Spec schema SandboxNetworkConfig (the fields the operator uses). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record NetworkConfig(
    @JsonProperty("allowOut") List<String> allowOut,
    @JsonProperty("denyOut") List<String> denyOut,
    @JsonProperty("allowPublicTraffic") Boolean allowPublicTraffic) {

  public NetworkConfig {
    allowOut = Maps.copy(allowOut);
    denyOut = Maps.copy(denyOut);
  }
}
