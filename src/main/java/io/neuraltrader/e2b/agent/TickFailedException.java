package io.neuraltrader.e2b.agent;

/** The strategy code raised (or printed no result): the Python error's name, value and last traceback line. */
public class TickFailedException extends Exception {
  private final String name;
  private final String value;
  private final String where;

  public TickFailedException(String name, String value, String where) {
    super(name + ": " + value + (where == null || where.isBlank() ? "" : " (" + where + ")"));
    this.name = name;
    this.value = value;
    this.where = where;
  }

  public String errorName() {
    return name;
  }

  public String errorValue() {
    return value;
  }

  public String where() {
    return where;
  }
}
