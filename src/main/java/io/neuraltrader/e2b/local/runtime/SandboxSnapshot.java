package io.neuraltrader.e2b.local.runtime;

import java.time.Instant;
import java.util.Map;

/** A point-in-time view of one sandbox, for tests and benchmarks. */
public record SandboxSnapshot(
    String sandboxId,
    String templateId,
    HostedState state,
    Map<String, String> metadata,
    Instant startedAt,
    Instant endAt,
    boolean secure,
    boolean autoPause,
    int liveProcesses,
    /** False when traffic to the sandbox needs its traffic access token. */
    boolean publicTraffic) {}
