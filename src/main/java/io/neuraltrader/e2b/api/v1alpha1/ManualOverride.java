package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/**
 * A kubectl scale during a schedule window: holds until that window ends, or until the deployment's
 * {@code e2b.neuraltrader.io/resume-schedules} annotation changes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ManualOverride {
  private Integer replicas;
  @Size(max = 253)
  private String window;
  @Size(max = 64)
  private String until;
  /** The resume-schedules annotation's value when the override was recorded (absent: no annotation). */
  @Size(max = 253)
  private String resumeSchedules;

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public String getWindow() {
    return window;
  }

  public void setWindow(String window) {
    this.window = window;
  }

  public String getUntil() {
    return until;
  }

  public void setUntil(String until) {
    this.until = until;
  }

  public String getResumeSchedules() {
    return resumeSchedules;
  }

  public void setResumeSchedules(String resumeSchedules) {
    this.resumeSchedules = resumeSchedules;
  }
}
