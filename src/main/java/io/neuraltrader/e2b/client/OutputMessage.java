package io.neuraltrader.e2b.client;

import java.time.Instant;

/**
 * A stdout or stderr chunk of an execution.
 *
 * @param text what was printed
 * @param timestamp when the interpreter saw it (E2B sends an ISO-8601 date-time); null when absent or unreadable
 * @param stderr true for stderr
 */
public record OutputMessage(String text, Instant timestamp, boolean stderr) {}
