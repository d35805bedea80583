package io.neuraltrader.e2b.local.runtime;

import java.util.Random;

/** Seeded ids and tokens, so a run with the same seed and requests produces the same sandbox ids. */
final class IdGenerator {

  private static final char[] ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final Random random;

  IdGenerator(long seed) {
    this.random = new Random(seed);
  }

  /** E2B-shaped sandbox id: "i" and 19 lowercase alphanumerics. */
  synchronized String sandboxId() {
    return "i" + draw(ALPHANUMERIC, 19);
  }

  synchronized String accessToken() {
    return draw(HEX, 40);
  }

  /** UUID-shaped context id. */
  synchronized String contextId() {
    String h = draw(HEX, 32);
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
        + "-" + h.substring(20);
  }

  private String draw(char[] alphabet, int n) {
    char[] out = new char[n];
    for (int i = 0; i < n; i++) {
      out[i] = alphabet[random.nextInt(alphabet.length)];
    }
    return new String(out);
  }
}
