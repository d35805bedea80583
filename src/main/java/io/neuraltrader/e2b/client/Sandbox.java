package io.neuraltrader.e2b.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Answer of create and connect (spec schema Sandbox). Only these two answers carry the traffic access
 * token; GET /sandboxes/{id} does not, so after a restart it is obtained again with connect.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Sandbox(
    @JsonProperty("templateID") String templateID,
    @JsonProperty("sandboxID") String sandboxID,
    @JsonProperty("alias") String alias,
    @JsonProperty("clientID") String clientID,
    @JsonProperty("envdVersion") String envdVersion,
    @JsonProperty("envdAccessToken") String envdAccessToken,
    @JsonProperty("trafficAccessToken") String trafficAccessToken,
    @JsonProperty("domain") String domain) {

  /** Where to run code in this sandbox. */
  public SandboxEndpoint endpoint() {
    return new SandboxEndpoint(sandboxID, domain, envdAccessToken, trafficAccessToken);
  }

  @Override
  public String toString() {
    return "Sandbox[sandboxID=" + sandboxID + ", templateID=" + templateID + ", alias=" + alias
        + ", clientID=" + clientID + ", envdVersion=" + envdVersion
        + ", envdAccessToken=" + (envdAccessToken == null ? "null" : "[redacted]")
        + ", trafficAccessToken=" + (trafficAccessToken == null ? "null" : "[redacted]") + ", domain=" + domain + "]";
  }
}
