package io.neuraltrader.e2b.api.v1alpha1;

/** Market calendars whose holidays and early closes filter schedule windows. */
public enum CalendarName {
  NYSE,
  none
}
