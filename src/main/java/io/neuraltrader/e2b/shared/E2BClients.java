package io.neuraltrader.e2b.shared;

import io.neuraltrader.e2b.api.v1alpha1.CredentialsSecretRef;
import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import io.neuraltrader.e2b.client.ApiKey;
import io.neuraltrader.e2b.client.E2BClient;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The operator's E2B client plus one client per distinct set of per-resource credentials
 * ({@code spec.credentialsSecretRef}). Clients are cached by a digest of their credentials, so the key itself
 * is never a map key, a log field or a metric tag.
 */
public class E2BClients implements AutoCloseable {
  /** Credentials read from a Secret; {@code apiUrl} and {@code domain} may be null (operator default). */
  public record Credentials(ApiKey apiKey, String apiUrl, String domain) {
    @Override
    public String toString() {
      return "Credentials[apiUrl=" + apiUrl + ", domain=" + domain + "]";
    }
  }

  private final E2BClient defaultClient;
  private final BiFunction<Credentials, String, E2BClient> factory;
  private final ReferenceResolver references;
  private final Map<String, E2BClient> byDigest = new ConcurrentHashMap<>();

  public E2BClients(E2BClient defaultClient, BiFunction<Credentials, String, E2BClient> factory,
      ReferenceResolver references) {
    this.defaultClient = defaultClient;
    this.factory = factory;
    this.references = references;
  }

  public E2BClient defaultClient() {
    return defaultClient;
  }

  /** The client for a resource: the operator's own, or one built from the resource's credentials Secret. */
  public E2BClient forResource(String namespace, CredentialsSecretRef ref) throws MissingReferenceException {
    if (ref == null) {
      return defaultClient;
    }
    String usedBy = "credentialsSecretRef";
    String key = references.secretKeyIfPresent(namespace, ref.getName(), ref.getApiKeyKey(), usedBy)
        .orElseThrow(() -> new MissingReferenceException(Reasons.KEY_NOT_FOUND, "Secret " + namespace + "/"
            + ref.getName() + " has no key " + ref.getApiKeyKey() + " (" + usedBy + ")"));
    String url = ref.getApiUrlKey() == null ? null
        : references.secretKeyIfPresent(namespace, ref.getName(), ref.getApiUrlKey(), usedBy).orElse(null);
    String domain = ref.getDomainKey() == null ? null
        : references.secretKeyIfPresent(namespace, ref.getName(), ref.getDomainKey(), usedBy).orElse(null);
    Credentials credentials = new Credentials(ApiKey.of(key), url, domain);
    return byDigest.computeIfAbsent(digest(key, url, domain),
        d -> factory.apply(credentials, "credentials-" + d.substring(0, 12)));
  }

  /** Every client in use: the fleet poller lists sandboxes through each. */
  public Collection<E2BClient> all() {
    List<E2BClient> all = new ArrayList<>();
    all.add(defaultClient);
    all.addAll(byDigest.values());
    return all;
  }

  private static String digest(String key, String url, String domain) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((key + "\n" + url + "\n" + domain).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  @Override
  public void close() {
    byDigest.values().forEach(E2BClient::close);
    defaultClient.close();
  }
}
