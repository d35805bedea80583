package io.neuraltrader.e2b.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * CPU time used by this JVM (the bench client, the in-memory API and the operator share it), and the part of
 * it spent on the in-memory API's event loops. Less noisy than latency on a shared 2-core machine: it says
 * what a claim costs, not how long it waited for a core.
 */
record CpuTime(long totalNanos, long apiNanos) {
  private static final String API_THREADS = "vert.x-eventloop-thread-";

  static CpuTime now() {
    long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long api = 0;
    for (long id : threads.getAllThreadIds()) {
      ThreadInfo info = threads.getThreadInfo(id);
      if (info != null && info.getThreadName().startsWith(API_THREADS)) {
        long cpu = threads.getThreadCpuTime(id);
        api += Math.max(0, cpu);
      }
    }
    return new CpuTime(total, api);
  }

  /** The CPU used since {@code earlier}, per unit of work, in milliseconds: total and the API's part. */
  double[] perUnitMs(CpuTime earlier, int units) {
    return new double[] {(totalNanos - earlier.totalNanos) / 1e6 / units, (apiNanos - earlier.apiNanos) / 1e6 / units};
  }
}
