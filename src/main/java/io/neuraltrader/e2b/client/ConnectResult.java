package io.neuraltrader.e2b.client;

/** Answer of connect: the sandbox, and whether it had to be resumed from paused (HTTP 201). */
public record ConnectResult(Sandbox sandbox, boolean resumed) {}
