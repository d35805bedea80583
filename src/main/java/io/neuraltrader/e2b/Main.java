package io.neuraltrader.e2b;

/** Entry point; wiring grows as the reconcilers land. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("e2b-operator");
  }
}
