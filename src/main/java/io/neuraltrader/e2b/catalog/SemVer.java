package io.neuraltrader.e2b.catalog;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A template version, MAJOR.MINOR.PATCH (no pre-release or build parts). */
public record SemVer(int major, int minor, int patch) implements Comparable<SemVer> {
  public static final SemVer FIRST = new SemVer(1, 0, 0);
  private static final Pattern TEXT = Pattern.compile("^(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})$");
  private static final Comparator<SemVer> ORDER =
      Comparator.comparingInt(SemVer::major).thenComparingInt(SemVer::minor).thenComparingInt(SemVer::patch);

  /** The version in {@code text}; {@link IllegalArgumentException} naming {@code field} when it is not one. */
  public static SemVer parse(String text, String field) {
    Matcher m = text == null ? null : TEXT.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(field + " must be a version MAJOR.MINOR.PATCH such as 1.0.2, got "
          + Names.quote(text));
    }
    return new SemVer(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  public static boolean valid(String text) {
    return text != null && TEXT.matcher(text).matches();
  }

  public SemVer nextPatch() {
    return new SemVer(major, minor, patch + 1);
  }

  @Override
  public int compareTo(SemVer other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
