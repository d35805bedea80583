package io.neuraltrader.e2b.client;

/**
 * Where to run code.
 *
 * @param sandboxID the sandbox
 * @param domain the sandbox's domain, null for the client's configured domain
 * @param envdAccessToken sent as X-Access-Token for secure sandboxes, null otherwise
 * @param trafficAccessToken sent as E2B-Traffic-Access-Token for sandboxes created with
 *     {@code network.allowPublicTraffic: false}, null otherwise
 */
public record SandboxEndpoint(String sandboxID, String domain, String envdAccessToken, String trafficAccessToken) {

  public SandboxEndpoint {
    if (sandboxID == null || sandboxID.isBlank()) {
      throw new IllegalArgumentException("sandboxID is required");
    }
  }

  public SandboxEndpoint(String sandboxID, String domain, String envdAccessToken) {
    this(sandboxID, domain, envdAccessToken, null);
  }

  public static SandboxEndpoint of(String sandboxID) {
    return new SandboxEndpoint(sandboxID, null, null, null);
  }

  @Override
  public String toString() {
    return "SandboxEndpoint[sandboxID=" + sandboxID + ", domain=" + domain
        + ", envdAccessToken=" + (envdAccessToken == null ? "null" : "[redacted]")
        + ", trafficAccessToken=" + (trafficAccessToken == null ? "null" : "[redacted]") + "]";
  }
}
