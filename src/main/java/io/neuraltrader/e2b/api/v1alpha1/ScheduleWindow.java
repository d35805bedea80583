package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
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
  @Size(max = 63)
  private String name;
  /** IANA time zone, e.g. America/New_York. */
  @Required
  @Pattern("^[A-Za-z_]+(/[A-Za-z0-9_+-]+){0,2}$|^UTC$")
  @Size(max = 64)
  private String timezone;
  /** Days on which the window opens, e.g. [Mon-Fri] or [Mon, Wed]; empty means every day. */
  @Size(max = 7)
  @Elements(maxLength = 7, pattern = ApiConstants.DAYS_PATTERN)
  @ListType("set")
  private List<String> days;
  @Required
  @Pattern(ApiConstants.TIME_PATTERN)
  @Size(max = 5)
  private String start;
  @Required
  @Pattern(ApiConstants.TIME_PATTERN)
  @Size(max = 5)
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
