package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;

/** Run ticks only inside the regular sessions of a market calendar. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class MarketHoursSpec {
  @Default("NYSE")
  private CalendarName calendar = CalendarName.NYSE;

  public CalendarName getCalendar() {
    return calendar;
  }

  public void setCalendar(CalendarName calendar) {
    this.calendar = calendar;
  }
}
