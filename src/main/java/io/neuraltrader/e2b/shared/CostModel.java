package io.neuraltrader.e2b.shared;

import java.time.Duration;

/**
 * Estimated E2B cost of running sandboxes, from E2B's published per-second usage prices (vCPU and RAM).
 * Paused sandboxes are not billed for compute. The prices are configurable for negotiated rates.
 */
public record CostModel(double usdPerVcpuSecond, double usdPerGibSecond) {
  /** E2B list prices: $0.000014 per vCPU-second, $0.0000045 per GiB of RAM per second. */
  public static final CostModel E2B_LIST_PRICES = new CostModel(0.000014, 0.0000045);
  /** What E2B's default sandbox (2 vCPU, 512 MiB) is sized at when nothing else is known. */
  public static final int DEFAULT_CPU = 2;
  public static final int DEFAULT_MEMORY_MB = 512;

  public double perSecond(int cpuCount, int memoryMB) {
    int cpu = cpuCount > 0 ? cpuCount : DEFAULT_CPU;
    int mem = memoryMB > 0 ? memoryMB : DEFAULT_MEMORY_MB;
    return cpu * usdPerVcpuSecond + (mem / 1024.0) * usdPerGibSecond;
  }

  public double perHour(int cpuCount, int memoryMB) {
    return perSecond(cpuCount, memoryMB) * 3600;
  }

  public double cost(int cpuCount, int memoryMB, Duration running) {
    return perSecond(cpuCount, memoryMB) * Math.max(0, running.toMillis()) / 1000.0;
  }
}
