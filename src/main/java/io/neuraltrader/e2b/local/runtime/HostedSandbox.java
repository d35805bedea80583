package io.neuraltrader.e2b.local.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** One sandbox: fixed identity plus lifecycle state, code contexts and lifecycle log, guarded by its monitor. */
final class HostedSandbox {

  static final String DEFAULT_CWD = "/home/user";

  final String id;
  final TemplateSpec template;
  final long seq;
  final Instant startedAt;
  final Map<String, String> metadata;
  final Map<String, String> envVars;
  final boolean secure;
  final boolean autoPause;
  final String accessToken;
  /** Required as E2B-Traffic-Access-Token on sandbox traffic; null when public traffic is allowed. */
  final String trafficAccessToken;
  final Boolean allowInternetAccess;

  private HostedState state = HostedState.RUNNING;
  private Transition transition;
  private Instant transitionEnds;
  private Instant endAt;
  private boolean terminated;
  private final Map<String, CodeContext> contexts = new LinkedHashMap<>();
  private final String defaultContextId;
  private final List<LogEntry> logs = new ArrayList<>();
  private Path workDir;

  HostedSandbox(String id, TemplateSpec template, long seq, Instant startedAt, Instant endAt, Map<String, String> metadata,
      Map<String, String> envVars, boolean secure, boolean autoPause, String accessToken, String trafficAccessToken,
      Boolean allowInternetAccess, String defaultContextId) {
    this.id = id;
    this.template = template;
    this.seq = seq;
    this.startedAt = startedAt;
    this.endAt = endAt;
    this.metadata = Map.copyOf(metadata);
    this.envVars = Map.copyOf(envVars);
    this.secure = secure;
    this.autoPause = autoPause;
    this.accessToken = accessToken;
    this.trafficAccessToken = trafficAccessToken;
    this.allowInternetAccess = allowInternetAccess;
    this.defaultContextId = defaultContextId;
    contexts.put(defaultContextId, new CodeContext(defaultContextId, "python", DEFAULT_CWD));
  }

  synchronized HostedState state() {
    return state;
  }

  synchronized Instant endAt() {
    return endAt;
  }

  synchronized boolean isTerminated() {
    return terminated;
  }

  synchronized boolean isRunning() {
    return !terminated && state == HostedState.RUNNING;
  }

  synchronized boolean isDue(Instant now) {
    return !terminated && state == HostedState.RUNNING && !endAt.isAfter(now);
  }

  synchronized void log(Instant at, String level, String message) {
    logs.add(new LogEntry(at, level, message, Map.of("sandboxID", id)));
  }

  synchronized List<LogEntry> logs() {
    return List.copyOf(logs);
  }

  /** Sets the remaining life; 409 when paused (E2B only extends running sandboxes). */
  synchronized void setEndAt(Instant newEndAt, Instant now) {
    if (state == HostedState.PAUSED) {
      throw new ApiException(409, "Sandbox " + id + " is paused");
    }
    endAt = newEndAt;
    log(now, "info", "Sandbox timeout set to " + newEndAt);
  }

  /** The transition in progress, or null. */
  synchronized Transition transition() {
    return transition;
  }

  /** Starts one of E2B's transitional states; it ends at {@code ends} on the runtime's clock. */
  synchronized void beginTransition(Transition t, Instant ends, Instant now) {
    // Only a kill can begin from paused; pauses and snapshots start from running.
    if (terminated || transition != null || (state != HostedState.RUNNING && t != Transition.KILLING)) {
      throw new IllegalStateException("sandbox " + id + " cannot begin " + t.wireName() + " now");
    }
    transition = t;
    transitionEnds = ends;
    log(now, "info", "Sandbox transitioning: " + t.wireName());
  }

  /** The transition whose end has come, cleared (the caller applies its outcome); null when none is due. */
  synchronized Transition takeDueTransition(Instant now) {
    if (transition == null || transitionEnds.isAfter(now)) {
      return null;
    }
    return takeTransition();
  }

  /** Ends the transition now, as E2B's connect does by waiting for it; returns it (or null). */
  synchronized Transition takeTransition() {
    Transition t = transition;
    transition = null;
    transitionEnds = null;
    return t;
  }

  /** Pauses a running sandbox: its processes are stopped (SIGSTOP), their memory kept like a snapshot. */
  synchronized void pause(Instant now, String why) {
    if (transition != null) {
      // E2B's answer when the sandbox's state machine is busy (pausing, killing, snapshotting)
      throw new ApiException(409, "Sandbox '" + id + "' cannot be paused while in '" + transition.wireName()
          + "' state");
    }
    if (state == HostedState.PAUSED) {
      throw new ApiException(409, "Error pausing sandbox - sandbox '" + id + "' is already paused");
    }
    enterPaused(now, why);
  }

  /** The end of a pause: processes stopped (SIGSTOP), memory kept like a snapshot. */
  synchronized void enterPaused(Instant now, String why) {
    state = HostedState.PAUSED;
    for (CodeContext c : contexts.values()) {
      KernelProcess k = c.currentKernel();
      if (k != null) {
        k.signal("STOP");
      }
    }
    log(now, "info", "Sandbox paused (" + why + ")");
  }

  /** Resumes a paused sandbox (SIGCONT) with a new end time; returns false when it was already running. */
  synchronized boolean resumeOrExtend(Instant newEndAt, Instant now) {
    if (state == HostedState.RUNNING) {
      // connecting to a running sandbox only ever extends its life
      if (newEndAt.isAfter(endAt)) {
        endAt = newEndAt;
      }
      log(now, "info", "Sandbox connected, timeout set to " + endAt);
      return false;
    }
    endAt = newEndAt;
    state = HostedState.RUNNING;
    for (CodeContext c : contexts.values()) {
      KernelProcess k = c.currentKernel();
      if (k != null) {
        k.signal("CONT");
      }
    }
    log(now, "info", "Sandbox resumed, timeout set to " + newEndAt);
    return true;
  }

  synchronized CodeContext context(String contextId) {
    return contexts.get(contextId);
  }

  synchronized CodeContext defaultContext() {
    return contexts.get(defaultContextId);
  }

  synchronized CodeContext addContext(CodeContext context) {
    if (terminated) {
      throw new ApiException(502, "The sandbox was not found");
    }
    contexts.put(context.id, context);
    return context;
  }

  synchronized CodeContext removeContext(String contextId) {
    return contexts.remove(contextId);
  }

  synchronized List<CodeContext> contexts() {
    return List.copyOf(contexts.values());
  }

  /** Live kernels of this sandbox (for metrics and process counts). */
  synchronized List<KernelProcess> liveKernels() {
    List<KernelProcess> out = new ArrayList<>();
    for (CodeContext c : contexts.values()) {
      KernelProcess k = c.currentKernel();
      if (k != null) {
        out.add(k);
      }
    }
    return out;
  }

  /** A private working directory, created on first use, for contexts whose cwd does not exist here. */
  synchronized Path workDir() throws IOException {
    if (workDir == null) {
      workDir = Files.createTempDirectory("e2b-local-" + id + "-");
    }
    return workDir;
  }

  /** The working directory if one was created, else null. */
  synchronized Path existingWorkDir() {
    return workDir;
  }

  /** Marks the sandbox gone and kills every process; returns the handles to await. */
  synchronized List<ProcessHandle> terminate(Instant now, String why) {
    if (terminated) {
      return List.of();
    }
    terminated = true;
    log(now, "info", "Sandbox killed (" + why + ")");
    List<ProcessHandle> handles = new ArrayList<>();
    for (CodeContext c : contexts.values()) {
      KernelProcess k = c.currentKernel();
      if (k != null) {
        handles.addAll(k.tree());
      }
      c.close();
    }
    deleteWorkDir();
    return handles;
  }

  private void deleteWorkDir() {
    if (workDir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(workDir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is harmless
    }
  }

  synchronized SandboxSnapshot snapshot() {
    return new SandboxSnapshot(id, template.id(), state, metadata, startedAt, endAt, secure, autoPause,
        liveKernels().size(), trafficAccessToken == null);
  }
}
