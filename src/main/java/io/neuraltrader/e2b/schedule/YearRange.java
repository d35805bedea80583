package io.neuraltrader.e2b.schedule;

/** An inclusive range of calendar years, e.g. the years a calendar's holiday data covers. */
public record YearRange(int first, int last) {

  /** Every year: for calendars that have no holidays to go out of date. */
  public static final YearRange ALL = new YearRange(Integer.MIN_VALUE, Integer.MAX_VALUE);

  public YearRange {
    if (last < first) {
      throw new IllegalArgumentException("year range " + first + "-" + last + " is empty");
    }
  }

  public boolean contains(int year) {
    return year >= first && year <= last;
  }

  @Override
  public String toString() {
    return equals(ALL) ? "all years" : first + "-" + last;
  }
}
