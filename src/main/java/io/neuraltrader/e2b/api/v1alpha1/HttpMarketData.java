package io.neuraltrader.e2b.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An HTTP price provider; its credential is read from a Secret and passed to the sandbox as an env var. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class HttpMarketData {
  @Required
  @Pattern(ApiConstants.URL_PATTERN)
  @Size(max = ApiConstants.URL_MAX_LENGTH)
  private String url;
  /** Secret key whose value is sent in headerName (e.g. a bearer token). */
  private KeySelector secretRef;
  @Default("Authorization")
  @Pattern("^[A-Za-z0-9-]{1,64}$")
  @Size(max = 64)
  private String headerName = "Authorization";
  @Default("json")
  @Pattern("^(json|csv)$")
  @Size(max = 4)
  private String format = "json";

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public KeySelector getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(KeySelector secretRef) {
    this.secretRef = secretRef;
  }

  public String getHeaderName() {
    return headerName;
  }

  public void setHeaderName(String headerName) {
    this.headerName = headerName;
  }

  public String getFormat() {
    return format;
  }

  public void setFormat(String format) {
    this.format = format;
  }
}
