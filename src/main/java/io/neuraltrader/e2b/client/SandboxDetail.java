package io.neuraltrader.e2b.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/** Answer of {@code GET /sandboxes/{sandboxID}} (spec schema SandboxDetail). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SandboxDetail(
    @JsonProperty("templateID") String templateID,
    @JsonProperty("alias") String alias,
    @JsonProperty("sandboxID") String sandboxID,
    @JsonProperty("clientID") String clientID,
    @JsonProperty("startedAt") Instant startedAt,
    @JsonProperty("endAt") Instant endAt,
    @JsonProperty("envdVersion") String envdVersion,
    @JsonProperty("envdAccessToken") String envdAccessToken,
    @JsonProperty("allowInternetAccess") Boolean allowInternetAccess,
    @JsonProperty("domain") String domain,
    @JsonProperty("cpuCount") int cpuCount,
    @JsonProperty("memoryMB") int memoryMB,
    @JsonProperty("diskSizeMB") int diskSizeMB,
    @JsonProperty("metadata") Map<String, String> metadata,
    @JsonProperty("state") SandboxState state,
    @JsonProperty("network") NetworkConfig network) {

  public SandboxDetail {
    metadata = metadata == null ? Map.of() : Maps.copy(metadata);
  }

  public SandboxEndpoint endpoint() {
    return new SandboxEndpoint(sandboxID, domain, envdAccessToken);
  }

  @Override
  public String toString() {
    return "SandboxDetail[sandboxID=" + sandboxID + ", templateID=" + templateID + ", alias=" + alias
        + ", state=" + state + ", startedAt=" + startedAt + ", endAt=" + endAt + ", cpuCount=" + cpuCount
        + ", memoryMB=" + memoryMB + ", diskSizeMB=" + diskSizeMB + ", metadata=" + metadata
        + ", envdVersion=" + envdVersion + ", envdAccessToken=" + (envdAccessToken == null ? "null" : "[redacted]")
        + ", allowInternetAccess=" + allowInternetAccess + ", domain=" + domain + ", network=" + network + "]";
  }
}
