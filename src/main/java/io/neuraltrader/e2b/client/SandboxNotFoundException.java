package io.neuraltrader.e2b.client;

/** The sandbox is gone: 404 on a sandbox path, or 502 "sandbox was not found" from the sandbox proxy. */
public class SandboxNotFoundException extends NotFoundException {
  public SandboxNotFoundException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }
}
