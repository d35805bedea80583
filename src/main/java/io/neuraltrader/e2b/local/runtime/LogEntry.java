package io.neuraltrader.e2b.local.runtime;

import java.time.Instant;
import java.util.Map;

/** One lifecycle log line the runtime recorded for a sandbox (E2B's SandboxLogEntry). */
record LogEntry(Instant timestamp, String level, String message, Map<String, String> fields) {}
