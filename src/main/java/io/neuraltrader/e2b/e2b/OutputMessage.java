package io.neuraltrader.e2b.e2b;

/**
 * A stdout or stderr chunk of an execution.
 *
 * @param text what was printed
 * @param timestamp the interpreter's timestamp of it (as sent; 0 when absent)
 * @param stderr true for stderr
 */
public record OutputMessage(String text, long timestamp, boolean stderr) {}
