package io.neuraltrader.e2b.local.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An E2B-compatible server on 127.0.0.1: the control plane and the code interpreter's /execute, running code
 * in local {@code python3} processes. It is local mode's sandbox provider and the E2B stand-in of the tests.
 * Sandboxes are NOT isolated: code runs as the current user on this machine.
 *
 * <pre>
 * try (LocalSandboxRuntime e2b = LocalSandboxRuntime.start(RuntimeConfig.builder().apiKey("k").build())) {
 *   String api = e2b.baseUrl();                       // control plane, X-API-Key: k
 *   e2b.faults().set(Operation.CREATE, FaultPlan.none().withErrorRate(0.1));
 * }
 * </pre>
 */
public final class LocalSandboxRuntime implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalSandboxRuntime.class);
  private static final long PROCESS_EXIT_WAIT_MILLIS = 10_000;

  private final RuntimeConfig config;
  private final SandboxStore store;
  private final FaultInjector faults;
  private final RequestCounter counter = new RequestCounter();
  private final HttpServer server;
  private final ScheduledExecutorService sweeper;
  private final Thread shutdownHook;
  private final String domain;
  private volatile boolean closed;

  private LocalSandboxRuntime(RuntimeConfig config) throws IOException {
    this.config = config;
    this.store = new SandboxStore(config.clock(), new IdGenerator(config.seed()));
    this.faults = new FaultInjector(config.seed());
    SandboxApi sandboxApi = new SandboxApi(store, config);
    ControlPlaneApi controlPlane = new ControlPlaneApi(store, config, this::domain);
    Router router = new Router(controlPlane, sandboxApi, faults, counter, config.apiKey());
    this.server = new HttpServer(config.port(), (int) config.idleConnectionTimeout().toMillis(), router);
    this.domain = config.domain() != null ? config.domain() : "localhost:" + server.port();
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "e2b-local-sweeper-" + server.port());
      t.setDaemon(true);
      return t;
    });
    long every = config.sweepInterval().toMillis();
    sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    // safety net: a JVM that exits without close() must not leave Python processes behind
    this.shutdownHook = new Thread(this::killAllProcesses, "e2b-local-shutdown-" + server.port());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    log.info("local E2B runtime listening on {} (sandboxes are local processes, not isolated)", baseUrl());
  }

  /** Binds 127.0.0.1 on the configured (or a free) port and starts serving. */
  public static LocalSandboxRuntime start(RuntimeConfig config) {
    try {
      return new LocalSandboxRuntime(config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the local E2B runtime on port " + config.port(), e);
    }
  }

  /** Control plane base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  public int port() {
    return server.port();
  }

  /** The domain reported to clients; sandbox traffic goes to {@code 49999-<id>.<domain>} (or use the headers). */
  public String domain() {
    return domain;
  }

  public RuntimeConfig config() {
    return config;
  }

  /** Fault plans, changeable while serving. */
  public FaultInjector faults() {
    return faults;
  }

  /** Requests received per operation since start (or the last reset), counted before faults. */
  public Map<ServedOperation, Long> requestCounts() {
    return counter.snapshot();
  }

  public long requestCount(ServedOperation op) {
    return counter.get(op);
  }

  public void resetCounts() {
    counter.reset();
  }

  /** A snapshot of the current sandboxes, in creation order. */
  public List<SandboxSnapshot> sandboxes() {
    store.expireDue();
    List<SandboxSnapshot> out = new ArrayList<>();
    for (HostedSandbox sb : store.all()) {
      out.add(sb.snapshot());
    }
    return out;
  }

  /** Kills a sandbox behind the client's back (as E2B would on a host failure); false when unknown. */
  public boolean kill(String sandboxId) {
    return store.kill(sandboxId, "killed by the runtime");
  }

  /**
   * Puts a running sandbox into one of E2B's transitional states for {@code length} on the runtime's clock
   * (real E2B pauses take about 4 s per GiB of memory; kills and snapshots take time too).
   */
  public void beginTransition(String sandboxId, Transition transition, java.time.Duration length) {
    store.beginTransition(sandboxId, transition, length);
  }

  public int sandboxCount() {
    store.expireDue();
    return store.count();
  }

  /** Python kernel processes currently alive across all sandboxes (children of user code not included). */
  public int liveProcessCount() {
    int n = 0;
    for (HostedSandbox sb : store.all()) {
      n += sb.liveKernels().size();
    }
    return n;
  }

  /** Applies due timeouts now (the background sweeper also does, a few times per second). */
  public void sweep() {
    try {
      store.expireDue();
    } catch (RuntimeException e) {
      log.warn("timeout sweep failed", e);
    }
  }

  /** Stops serving and kills every Python process (and their children), waiting until they are gone. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    sweeper.shutdownNow();
    server.close();
    killAllProcesses();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the hook runs anyway
    }
  }

  private void killAllProcesses() {
    List<ProcessHandle> handles = store.terminateAll("runtime stopped");
    KernelProcess.awaitExit(handles, PROCESS_EXIT_WAIT_MILLIS);
  }
}
