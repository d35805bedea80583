package io.neuraltrader.e2b.client;

/** The code raised: exception class name, its value and the formatted traceback. */
public record ExecutionError(String name, String value, String traceback) {}
