package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Who holds a claimed pool member. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ClaimRef {
  @Required
  @Pattern("^[A-Z][A-Za-z0-9]{0,62}$")
  @Size(max = 63)
  private String kind;
  @Required
  @Pattern(ApiConstants.NAME_PATTERN)
  @Size(max = ApiConstants.NAME_MAX_LENGTH)
  private String name;
  @Required
  @Size(min = 1, max = 128)
  private String uid;
  /** When the claim was made (RFC 3339). */
  @Size(max = 64)
  private String claimedAt;

  public ClaimRef() {}

  public ClaimRef(String kind, String name, String uid, String claimedAt) {
    this.kind = kind;
    this.name = name;
    this.uid = uid;
    this.claimedAt = claimedAt;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUid() {
    return uid;
  }

  public void setUid(String uid) {
    this.uid = uid;
  }

  public String getClaimedAt() {
    return claimedAt;
  }

  public void setClaimedAt(String claimedAt) {
    this.claimedAt = claimedAt;
  }
}
