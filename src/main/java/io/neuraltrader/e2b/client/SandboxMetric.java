package io.neuraltrader.e2b.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** One resource sample of a sandbox (spec schema SandboxMetric). Memory and disk in bytes. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SandboxMetric(
    @JsonProperty("timestamp") Instant timestamp,
    @JsonProperty("timestampUnix") long timestampUnix,
    @JsonProperty("cpuCount") int cpuCount,
    @JsonProperty("cpuUsedPct") double cpuUsedPct,
    @JsonProperty("memUsed") long memUsed,
    @JsonProperty("memTotal") long memTotal,
    @JsonProperty("memCache") long memCache,
    @JsonProperty("diskUsed") long diskUsed,
    @JsonProperty("diskTotal") long diskTotal) {

  /** The sample time: timestampUnix when set, else the deprecated timestamp. */
  public Instant sampledAt() {
    return timestampUnix > 0 ? Instant.ofEpochSecond(timestampUnix) : timestamp;
  }
}
