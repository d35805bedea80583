package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;

/** Desired state of a set of identical trading agents, scaled by market-hours schedules. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "(!has(self.scaling) || self.replicas <= self.scaling.maxReplicas)"
    + " && (!has(self.scaling) || !has(self.schedules)"
    + " || self.schedules.all(w, w.replicas <= self.scaling.maxReplicas))"
    + " && (!has(self.scaling) || !has(self.sharding) || !has(self.sharding.symbols)"
    + " || self.sharding.symbols.size() <= self.scaling.maxReplicas * 50)",
    message = "replicas and every schedule window's replicas must not exceed scaling.maxReplicas, and"
        + " sharding.symbols must fit 50 per agent at scaling.maxReplicas")
public class E2BDeploymentSpec {
  /** Replicas outside schedule windows; a change during a window overrides it until the window ends. */
  @SpecReplicas
  @Default("1")
  @Min(0)
  @Max(1000)
  private Integer replicas = 1;
  @Required
  private AgentTemplate template;
  /** Optional; defaults to the deployment's own label. */
  private LabelSelector selector;
  @Size(max = 32)
  @ListType(value = "map", keys = "name")
  private List<ScheduleWindow> schedules;
  @Default("none")
  private CalendarName calendar = CalendarName.none;
  /** Scale up this many minutes before a window opens. */
  @Default("0")
  @Min(0)
  @Max(240)
  private Integer preWarmMinutes = 0;
  @Default("Delete")
  private OffHoursPolicy offHoursPolicy = OffHoursPolicy.Delete;
  private ScalingSpec scaling = new ScalingSpec();
  /** Scaling on market conditions the agents observe, on top of the schedule's or spec's count. */
  private AutoscalingSpec autoscaling;
  /** Publish the fleet's per-symbol decision when a quorum of its agents agree. */
  private ConsensusSpec consensus;
  /** Error-rate anomaly detection over the fleet's ticks. */
  private AnomalySpec anomaly;
  private ShardingSpec sharding;
  /** Agents claim sandboxes from this pool instead of creating their own. */
  private LocalRef poolRef;

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public AgentTemplate getTemplate() {
    return template;
  }

  public void setTemplate(AgentTemplate template) {
    this.template = template;
  }

  public LabelSelector getSelector() {
    return selector;
  }

  public void setSelector(LabelSelector selector) {
    this.selector = selector;
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

  public Integer getPreWarmMinutes() {
    return preWarmMinutes;
  }

  public void setPreWarmMinutes(Integer preWarmMinutes) {
    this.preWarmMinutes = preWarmMinutes;
  }

  public OffHoursPolicy getOffHoursPolicy() {
    return offHoursPolicy;
  }

  public void setOffHoursPolicy(OffHoursPolicy offHoursPolicy) {
    this.offHoursPolicy = offHoursPolicy;
  }

  public ScalingSpec getScaling() {
    return scaling;
  }

  public void setScaling(ScalingSpec scaling) {
    this.scaling = scaling;
  }

  public AutoscalingSpec getAutoscaling() {
    return autoscaling;
  }

  public void setAutoscaling(AutoscalingSpec autoscaling) {
    this.autoscaling = autoscaling;
  }

  public ConsensusSpec getConsensus() {
    return consensus;
  }

  public void setConsensus(ConsensusSpec consensus) {
    this.consensus = consensus;
  }

  public AnomalySpec getAnomaly() {
    return anomaly;
  }

  public void setAnomaly(AnomalySpec anomaly) {
    this.anomaly = anomaly;
  }

  public ShardingSpec getSharding() {
    return sharding;
  }

  public void setSharding(ShardingSpec sharding) {
    this.sharding = sharding;
  }

  public LocalRef getPoolRef() {
    return poolRef;
  }

  public void setPoolRef(LocalRef poolRef) {
    this.poolRef = poolRef;
  }
}
