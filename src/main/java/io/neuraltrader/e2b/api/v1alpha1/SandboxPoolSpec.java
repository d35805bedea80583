package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;

/** Desired state of a pool of warm sandboxes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "self.maxSandboxes >= self.replicas"
    + " && (!has(self.schedules) || self.schedules.all(w, w.replicas <= self.maxSandboxes))",
    message = "maxSandboxes must be at least replicas and at least every schedule window's replicas")
public class SandboxPoolSpec {
  /** Warm, unclaimed sandboxes to keep outside schedule windows (scale subresource). */
  @SpecReplicas
  @Required
  @Min(0)
  @Max(1000)
  private Integer replicas;
  /** Hard cap on warm plus claimed members. */
  @Required
  @Min(1)
  @Max(1000)
  private Integer maxSandboxes;
  /** The E2BSandbox spec (and labels) of every member. */
  private SandboxTemplate template = new SandboxTemplate();
  /** Market-hours windows whose replica count overrides replicas while they are open. */
  @Size(max = 32)
  @ListType(value = "map", keys = "name")
  private List<ScheduleWindow> schedules;
  /** Calendar whose holidays and early closes apply to the schedules. */
  @Default("none")
  private CalendarName calendar = CalendarName.none;
  /** Warm members older than this are replaced by fresh ones. */
  @Pattern(ApiConstants.DURATION_PATTERN)
  @Size(max = ApiConstants.DURATION_MAX_LENGTH)
  private String maxWarmAge;
  @Default("Delete")
  private ReleasePolicy releasePolicy = ReleasePolicy.Delete;

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getMaxSandboxes() {
    return maxSandboxes;
  }

  public void setMaxSandboxes(Integer maxSandboxes) {
    this.maxSandboxes = maxSandboxes;
  }

  public SandboxTemplate getTemplate() {
    return template;
  }

  public void setTemplate(SandboxTemplate template) {
    this.template = template;
  }

  public List<ScheduleWindow> getSchedules() {
    return schedules;
  }

  public void setSchedules(List<ScheduleWindow> schedules) {
    this.schedules = schedules;
  }

  public CalendarName getCalendar() {
    return calendar;
  }

  public void setCalendar(CalendarName calendar) {
    this.calendar = calendar;
  }

  public String getMaxWarmAge() {
    return maxWarmAge;
  }

  public void setMaxWarmAge(String maxWarmAge) {
    this.maxWarmAge = maxWarmAge;
  }

  public ReleasePolicy getReleasePolicy() {
    return releasePolicy;
  }

  public void setReleasePolicy(ReleasePolicy releasePolicy) {
    this.releasePolicy = releasePolicy;
  }
}
