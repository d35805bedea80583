package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A recurring window in local time during which a replica count applies (market hours).
 * A window whose end is before its start crosses midnight and must say so with {@code overnight: true},
 * so that a typo cannot silently turn a day window into a night window.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "self.end > self.start || (self.end < self.start && has(self.overnight) && self.overnight)",
    message = "end must be after start; a window that crosses midnight (end before start) needs overnight: true")
public class ScheduleWindow {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
  private String name;
  /** IANA time zone, e.g. America/New_York. */
  @Required
  @Pattern("^[A-Za-z_]+(/[A-Za-z0-9_+-]+){0,2}$|^UTC$")
  private String timezone;
  /** Days on which the window opens, e.g. [Mon-Fri] or [Mon, Wed]; empty means every day. */
  @ValidationRule(value = "self.size() <= 7 && self.all(d, d.matches('" + ApiConstants.DAYS_PATTERN + "'))",
      message = "days: at most 7 entries, each Mon, Tue, Wed, Thu, Fri, Sat, Sun or a range such as Mon-Fri")
  private List<String> days;
  @Required
  @Pattern(ApiConstants.TIME_PATTERN)
  private String start;
  @Required
  @Pattern(ApiConstants.TIME_PATTERN)
  private String end;
  /** True when end is on the following day (the window crosses midnight). */
  private Boolean overnight;
  @Required
  @Min(0)
  @Max(1000)
  private Integer replicas;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getTimezone() {
    return timezone;
  }

  public void setTimezone(String timezone) {
    this.timezone = timezone;
  }

  public List<String> getDays() {
    return days;
  }

  public void setDays(List<String> days) {
    this.days = days;
  }

  public String getStart() {
    return start;
  }

  public void setStart(String start) {
    this.start = start;
  }

  public String getEnd() {
    return end;
  }

  public void setEnd(String end) {
    this.end = end;
  }

  public Boolean getOvernight() {
    return overnight;
  }

  public void setOvernight(Boolean overnight) {
    this.overnight = overnight;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }
}
