package io.neuraltrader.e2b.client;

/** 404/410: the addressed thing (a context, or a sandbox, see SandboxNotFoundException) does not exist. */
public class NotFoundException extends E2BException {
  public NotFoundException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }

  @Override
  public Outcome outcome() {
    return Outcome.NOT_FOUND;
  }
}
