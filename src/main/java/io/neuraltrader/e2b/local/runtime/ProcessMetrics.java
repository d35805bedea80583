package io.neuraltrader.e2b.local.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/** E2B SandboxMetric values measured from the sandbox's real processes via /proc. */
final class ProcessMetrics {

  /** Linux reports utime/stime in USER_HZ ticks, which is 100 on every mainstream architecture. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcessMetrics() {}

  static ObjectNode metric(HostedSandbox sb, Instant now) {
    long rssBytes = 0;
    double cpuSeconds = 0;
    long oldestNanos = 0;
    for (KernelProcess k : sb.liveKernels()) {
      oldestNanos = Math.max(oldestNanos, k.ageNanos());
      for (ProcessHandle h : k.tree()) {
        rssBytes += rssBytes(h.pid());
        cpuSeconds += cpuSeconds(h);
      }
    }
    int cpus = sb.template.cpuCount();
    double pct = oldestNanos == 0 ? 0 : 100.0 * cpuSeconds / (oldestNanos / 1e9) / cpus;
    ObjectNode m = RequestJson.MAPPER.createObjectNode();
    m.put("timestamp", now.toString());
    m.put("timestampUnix", now.getEpochSecond());
    m.put("cpuCount", cpus);
    m.put("cpuUsedPct", Math.min(100.0, Math.round(pct * 100) / 100.0));
    m.put("memUsed", rssBytes);
    m.put("memTotal", sb.template.memoryMB() * 1024L * 1024L);
    m.put("memCache", 0L);
    m.put("diskUsed", diskUsed(sb.existingWorkDir()));
    m.put("diskTotal", sb.template.diskSizeMB() * 1024L * 1024L);
    return m;
  }

  /** VmRSS of a process in bytes, 0 when it is gone. */
  static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024L;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended while we read it
    }
    return 0;
  }

  /** User + system CPU seconds of a process from /proc/<pid>/stat, falling back to the JDK's view. */
  static double cpuSeconds(ProcessHandle h) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
      // the command name may contain spaces and parentheses: fields start after the last ')'
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return h.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }
  }

  private static long diskUsed(Path dir) {
    if (dir == null) {
      return 0;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Number of live processes in the trees of the given kernels. */
  static int processCount(List<KernelProcess> kernels) {
    int n = 0;
    for (KernelProcess k : kernels) {
      n += k.tree().size();
    }
    return n;
  }
}
