package io.neuraltrader.e2b.shared;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.neuraltrader.e2b.api.v1alpha1.EnvVar;
import io.neuraltrader.e2b.api.v1alpha1.KeySelector;
import io.neuraltrader.e2b.api.v1alpha1.Reasons;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Secret and ConfigMap keys in a resource's namespace: env vars at sandbox create time, credentials,
 * agent market data. Values are returned to the caller only; errors name the object and key, never a value.
 */
public class ReferenceResolver {
  private final KubernetesClient client;

  public ReferenceResolver(KubernetesClient client) {
    this.client = client;
  }

  /** Resolves env vars in order; an optional reference that is missing leaves its variable unset. */
  public Map<String, String> envVars(String namespace, List<EnvVar> envVars) throws MissingReferenceException {
    Map<String, String> resolved = new LinkedHashMap<>();
    if (envVars == null) {
      return resolved;
    }
    for (EnvVar var : envVars) {
      if (var.getValueFrom() == null) {
        resolved.put(var.getName(), var.getValue() == null ? "" : var.getValue());
        continue;
      }
      Optional<String> value;
      if (var.getValueFrom().getSecretKeyRef() != null) {
        value = optionalSecretKey(namespace, var.getValueFrom().getSecretKeyRef(), "env var " + var.getName());
      } else {
        value = optionalConfigMapKey(namespace, var.getValueFrom().getConfigMapKeyRef(),
            "env var " + var.getName());
      }
      value.ifPresent(v -> resolved.put(var.getName(), v));
    }
    return resolved;
  }

  public String secretKey(String namespace, KeySelector ref, String usedBy) throws MissingReferenceException {
    return optionalSecretKey(namespace, ref, usedBy).orElseThrow();
  }

  public String configMapKey(String namespace, KeySelector ref, String usedBy) throws MissingReferenceException {
    return optionalConfigMapKey(namespace, ref, usedBy).orElseThrow();
  }

  /** A secret key by name (no optional flag): empty when the key is absent, error when the Secret is. */
  public Optional<String> secretKeyIfPresent(String namespace, String secretName, String key, String usedBy)
      throws MissingReferenceException {
    Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
    if (secret == null) {
      throw new MissingReferenceException(Reasons.SECRET_NOT_FOUND,
          "Secret " + namespace + "/" + secretName + " (" + usedBy + ") does not exist");
    }
    return Optional.ofNullable(decode(secret, key));
  }

  private Optional<String> optionalSecretKey(String namespace, KeySelector ref, String usedBy)
      throws MissingReferenceException {
    boolean optional = Boolean.TRUE.equals(ref.getOptional());
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    if (secret == null) {
      if (optional) {
        return Optional.empty();
      }
      throw new MissingReferenceException(Reasons.SECRET_NOT_FOUND,
          "Secret " + namespace + "/" + ref.getName() + " (" + usedBy + ") does not exist");
    }
    String value = decode(secret, ref.getKey());
    if (value == null) {
      if (optional) {
        return Optional.empty();
      }
      throw new MissingReferenceException(Reasons.KEY_NOT_FOUND,
          "Secret " + namespace + "/" + ref.getName() + " has no key " + ref.getKey() + " (" + usedBy + ")");
    }
    return Optional.of(value);
  }

  private Optional<String> optionalConfigMapKey(String namespace, KeySelector ref, String usedBy)
      throws MissingReferenceException {
    boolean optional = Boolean.TRUE.equals(ref.getOptional());
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
    if (map == null) {
      if (optional) {
        return Optional.empty();
      }
      throw new MissingReferenceException(Reasons.CONFIG_MAP_NOT_FOUND,
          "ConfigMap " + namespace + "/" + ref.getName() + " (" + usedBy + ") does not exist");
    }
    String value = map.getData() == null ? null : map.getData().get(ref.getKey());
    if (value == null) {
      if (optional) {
        return Optional.empty();
      }
      throw new MissingReferenceException(Reasons.KEY_NOT_FOUND,
          "ConfigMap " + namespace + "/" + ref.getName() + " has no key " + ref.getKey() + " (" + usedBy + ")");
    }
    return Optional.of(value);
  }

  /** The resourceVersion of a Secret, "-" when it does not exist: tells a changed Secret from the same one. */
  public String secretVersion(String namespace, String name) {
    return version(client.secrets().inNamespace(namespace).withName(name).get());
  }

  /** The resourceVersion of a ConfigMap, "-" when it does not exist. */
  public String configMapVersion(String namespace, String name) {
    return version(client.configMaps().inNamespace(namespace).withName(name).get());
  }

  private static String version(io.fabric8.kubernetes.api.model.HasMetadata object) {
    return object == null ? "-" : object.getMetadata().getResourceVersion();
  }

  private static String decode(Secret secret, String key) {
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return secret.getStringData().get(key);
    }
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
    return null;
  }
}
