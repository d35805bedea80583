package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/** Resource usage as last sampled from E2B's metrics API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class SandboxUsage {
  private Double cpuPct;
  private Long memoryUsedMB;
  private Long memoryTotalMB;
  private Long diskUsedMB;
  @Size(max = 64)
  private String sampledAt;

  public Double getCpuPct() {
    return cpuPct;
  }

  public void setCpuPct(Double cpuPct) {
    this.cpuPct = cpuPct;
  }

  public Long getMemoryUsedMB() {
    return memoryUsedMB;
  }

  public void setMemoryUsedMB(Long memoryUsedMB) {
    this.memoryUsedMB = memoryUsedMB;
  }

  public Long getMemoryTotalMB() {
    return memoryTotalMB;
  }

  public void setMemoryTotalMB(Long memoryTotalMB) {
    this.memoryTotalMB = memoryTotalMB;
  }

  public Long getDiskUsedMB() {
    return diskUsedMB;
  }

  public void setDiskUsedMB(Long diskUsedMB) {
    this.diskUsedMB = diskUsedMB;
  }

  public String getSampledAt() {
    return sampledAt;
  }

  public void setSampledAt(String sampledAt) {
    this.sampledAt = sampledAt;
  }
}
