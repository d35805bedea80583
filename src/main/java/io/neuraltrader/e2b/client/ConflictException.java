package io.neuraltrader.e2b.client;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 409: the sandbox is in the wrong state for the call. E2B uses 409 for several situations, told apart by
 * the message: pause answers "... is already paused" but also "cannot be paused while in '<state>' state"
 * (pausing, killing, snapshotting); connect answers 409 only while the sandbox is being killed (it waits out
 * other transitions itself); a timeout change answers 409 for a paused sandbox.
 */
public class ConflictException extends E2BException {
  private static final Pattern WHILE_IN = Pattern.compile("while in '([a-z]+)' state");
  private static final Pattern IS_IN = Pattern.compile("is in ([a-z]+) state");

  /** What the 409 says the sandbox is doing. */
  public enum SandboxCondition {
    /** Already paused: a pause has nothing left to do. */
    PAUSED,
    /** A pause is in progress: it will be paused shortly. */
    PAUSING,
    /** It is being killed: it is as good as gone. */
    KILLING,
    /** A snapshot is being taken: it returns to running. */
    SNAPSHOTTING,
    /** The message names no state the client knows. */
    UNKNOWN
  }

  public ConflictException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }

  @Override
  public Outcome outcome() {
    return Outcome.CONFLICT;
  }

  /** The sandbox's condition as the 409 message states it. */
  public SandboxCondition sandboxCondition() {
    return parse(details().operation(), details().message());
  }

  static SandboxCondition parse(Operation op, String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    String state = null;
    Matcher w = WHILE_IN.matcher(m);
    Matcher i = IS_IN.matcher(m);
    if (w.find()) {
      state = w.group(1);
    } else if (i.find()) {
      state = i.group(1);
    } else if (m.contains("already paused") || m.contains(" is paused")) {
      return SandboxCondition.PAUSED;
    } else if (m.contains("being killed")) {
      return SandboxCondition.KILLING;
    } else if (m.contains("being paused")) {
      return SandboxCondition.PAUSING;
    } else if (m.contains("being snapshotted")) {
      return SandboxCondition.SNAPSHOTTING;
    }
    if (state != null) {
      return switch (state) {
        case "paused" -> SandboxCondition.PAUSED;
        case "pausing" -> SandboxCondition.PAUSING;
        case "killing" -> SandboxCondition.KILLING;
        case "snapshotting" -> SandboxCondition.SNAPSHOTTING;
        default -> SandboxCondition.UNKNOWN;
      };
    }
    // Connect waits out every transition but a kill; its 409 means the sandbox is being killed.
    return op == Operation.CONNECT ? SandboxCondition.KILLING : SandboxCondition.UNKNOWN;
  }
}
