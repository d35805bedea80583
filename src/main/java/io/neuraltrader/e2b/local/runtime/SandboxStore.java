package io.neuraltrader.e2b.local.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * All sandboxes, in creation order (the stable order pagination relies on), and their expiry on the
 * injected clock: a sandbox past its end time is killed, or paused when it was created with autoPause.
 */
final class SandboxStore {

  private static final int ENDED_LOGS_KEPT = 1000;

  private final Clock clock;
  private final IdGenerator ids;
  private final ConcurrentSkipListMap<Long, HostedSandbox> bySeq = new ConcurrentSkipListMap<>();
  private final ConcurrentHashMap<String, HostedSandbox> byId = new ConcurrentHashMap<>();
  private final AtomicLong seqs = new AtomicLong();
  /** Logs of ended sandboxes stay readable for a while, as they do on E2B. */
  private final Map<String, List<LogEntry>> endedLogs = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, List<LogEntry>> eldest) {
      return size() > ENDED_LOGS_KEPT;
    }
  };

  SandboxStore(Clock clock, IdGenerator ids) {
    this.clock = clock;
    this.ids = ids;
  }

  Instant now() {
    return clock.instant();
  }

  IdGenerator ids() {
    return ids;
  }

  synchronized HostedSandbox create(TemplateSpec template, Duration timeout, Map<String, String> metadata,
      Map<String, String> envVars, boolean secure, boolean autoPause, Boolean allowInternetAccess,
      boolean allowPublicTraffic, int maxRunning) {
    Instant now = now();
    if (maxRunning > 0) {
      long running = byId.values().stream().filter(s -> s.state() == HostedState.RUNNING).count();
      if (running >= maxRunning) {
        // E2B's answer when a team reaches its tier's concurrent sandbox limit.
        throw new ApiException(429, "You have reached the maximum number of concurrent E2B sandboxes ("
            + maxRunning + "). If you need more, please contact us at 'https://e2b.dev/docs/getting-help'");
      }
    }
    String id;
    do {
      id = ids.sandboxId();
    } while (byId.containsKey(id));
    HostedSandbox sb = new HostedSandbox(id, template, seqs.incrementAndGet(), now, now.plus(timeout), metadata, envVars,
        secure, autoPause, secure ? ids.accessToken() : null, allowPublicTraffic ? null : ids.accessToken(),
        allowInternetAccess, ids.contextId());
    sb.log(now, "info", "Sandbox created from template " + template.id() + " with timeout " + timeout.toSeconds() + "s");
    byId.put(id, sb);
    bySeq.put(sb.seq, sb);
    return sb;
  }

  /** The sandbox if it exists (ending a due transition and expiring it first when its time is up), else null. */
  HostedSandbox find(String id) {
    HostedSandbox sb = byId.get(id);
    if (sb != null) {
      finishDueTransition(sb);
    }
    sb = byId.get(id);
    if (sb != null && sb.isDue(now())) {
      expire(sb);
      sb = byId.get(id);
    }
    return sb;
  }

  /** Puts a running sandbox into one of E2B's transitional states for {@code length} of the clock. */
  void beginTransition(String id, Transition t, Duration length) {
    HostedSandbox sb = find(id);
    if (sb == null) {
      throw new IllegalArgumentException("no sandbox " + id);
    }
    sb.beginTransition(t, now().plus(length), now());
  }

  /** Applies the outcome of a transition: paused, gone, or running again. */
  void finishTransition(HostedSandbox sb, Transition t) {
    if (t == Transition.PAUSING) {
      sb.enterPaused(now(), "pause finished");
    } else if (t == Transition.KILLING) {
      terminate(sb, "killed");
    }
  }

  private void finishDueTransition(HostedSandbox sb) {
    Transition due = sb.takeDueTransition(now());
    if (due != null) {
      finishTransition(sb, due);
    }
  }

  /** The sandbox, or E2B's 404. */
  HostedSandbox require(String id) {
    HostedSandbox sb = find(id);
    if (sb == null) {
      throw notFound(id);
    }
    return sb;
  }

  static ApiException notFound(String id) {
    return new ApiException(404, "sandbox \"" + id + "\" doesn't exist or you don't have access to it");
  }

  /** Kills a sandbox; false when it did not exist. */
  boolean kill(String id, String why) {
    HostedSandbox sb = byId.get(id);
    if (sb == null) {
      return false;
    }
    terminate(sb, why);
    return true;
  }

  /** Applies every due timeout; returns the handles of processes killed on the way. */
  List<ProcessHandle> expireDue() {
    Instant now = now();
    List<ProcessHandle> killed = new ArrayList<>();
    for (HostedSandbox sb : bySeq.values()) {
      finishDueTransition(sb);
      if (sb.isDue(now)) {
        killed.addAll(expire(sb));
      }
    }
    return killed;
  }

  private List<ProcessHandle> expire(HostedSandbox sb) {
    if (sb.autoPause) {
      try {
        sb.pause(now(), "timeout reached, autoPause");
      } catch (ApiException alreadyPaused) {
        // another thread got there first
      }
      return List.of();
    }
    return terminate(sb, "timeout reached");
  }

  private List<ProcessHandle> terminate(HostedSandbox sb, String why) {
    if (!byId.remove(sb.id, sb)) {
      return List.of();
    }
    bySeq.remove(sb.seq, sb);
    List<ProcessHandle> handles = sb.terminate(now(), why);
    synchronized (endedLogs) {
      endedLogs.put(sb.id, sb.logs());
    }
    return handles;
  }

  /** Every sandbox in creation order, after applying due timeouts. */
  Collection<HostedSandbox> ordered() {
    expireDue();
    return bySeq.values();
  }

  /** Sandboxes from the one with sequence number {@code fromSeq} on, in creation order. */
  Collection<HostedSandbox> orderedFrom(long fromSeq) {
    expireDue();
    return bySeq.tailMap(fromSeq, true).values();
  }

  /** Logs of a live or recently ended sandbox, or null when it never existed (or was forgotten). */
  List<LogEntry> logs(String id) {
    HostedSandbox sb = find(id);
    if (sb != null) {
      return sb.logs();
    }
    synchronized (endedLogs) {
      return endedLogs.get(id);
    }
  }

  int count() {
    return byId.size();
  }

  List<HostedSandbox> all() {
    return new ArrayList<>(bySeq.values());
  }

  /** Kills every sandbox; returns the process handles to await. */
  List<ProcessHandle> terminateAll(String why) {
    List<ProcessHandle> handles = new ArrayList<>();
    for (HostedSandbox sb : all()) {
      handles.addAll(terminate(sb, why));
    }
    return handles;
  }
}
