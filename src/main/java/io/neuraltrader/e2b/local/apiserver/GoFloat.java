package io.neuraltrader.e2b.local.apiserver;

import java.math.BigDecimal;

/** Go's renderings of a float64: {@code %v} (fmt) and encoding/json's, both with the shortest exact digits. */
final class GoFloat {
  private GoFloat() {}

  /** {@code fmt.Sprint(f)}: %g with the shortest digits, exponent form below 1e-4 and from 1e6. */
  static String format(double f) {
    return render(f, -4, 6, true);
  }

  /** {@code json.Marshal(f)}: plain decimal, exponent form below 1e-6 and from 1e21. */
  static String json(double f) {
    return render(f, -6, 21, false);
  }

  private static String render(double f, int minExp, int maxExp, boolean padExponent) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return (1 / f < 0) ? "-0" : "0";
    }
    BigDecimal d = new BigDecimal(Double.toString(f)).stripTrailingZeros();
    int exp = d.precision() - d.scale() - 1;
    if (exp < minExp || exp >= maxExp) {
      String digits = d.unscaledValue().abs().toString();
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      int abs = Math.abs(exp);
      String e = (padExponent && abs < 10 ? "0" : "") + abs;
      return (f < 0 ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+") + e;
    }
    return d.toPlainString();
  }
}
