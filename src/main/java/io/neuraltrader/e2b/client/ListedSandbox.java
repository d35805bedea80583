package io.neuraltrader.e2b.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/** One item of {@code GET /v2/sandboxes} (spec schema ListedSandbox). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ListedSandbox(
    @JsonProperty("templateID") String templateID,
    @JsonProperty("alias") String alias,
    @JsonProperty("sandboxID") String sandboxID,
    @JsonProperty("clientID") String clientID,
    @JsonProperty("startedAt") Instant startedAt,
    @JsonProperty("endAt") Instant endAt,
    @JsonProperty("cpuCount") int cpuCount,
    @JsonProperty("memoryMB") int memoryMB,
    @JsonProperty("diskSizeMB") int diskSizeMB,
    @JsonProperty("metadata") Map<String, String> metadata,
    @JsonProperty("state") SandboxState state,
    @JsonProperty("envdVersion") String envdVersion) {

  public ListedSandbox {
    metadata = metadata == null ? Map.of() : Maps.copy(metadata);
  }
}
