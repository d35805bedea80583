package io.neuraltrader.e2b.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code metadata} query parameter of {@code GET /v2/sandboxes}. E2B's API decodes it three times: the
 * URL query decoding, then a query-unescape of the whole value, then (after splitting on {@code &} and
 * {@code =}) a query-unescape of each key and value. Each key and value is therefore escaped twice, joined,
 * and the whole escaped once more, so {@code +}, {@code %}, {@code =} and {@code &} in a value survive intact.
 */
public final class MetadataFilter {
  /** Label-value syntax: the instance id is also written to Kubernetes labels and events. */
  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");

  private MetadataFilter() {}

  /** The already URL-encoded parameter value (add it with {@code addEncodedQueryParameter}); keys sorted. */
  public static String encodedParameter(Map<String, String> metadata) {
    String pairs = new TreeMap<>(metadata).entrySet().stream()
        .map(e -> twice(e.getKey()) + "=" + twice(e.getValue()))
        .collect(Collectors.joining("&"));
    return escape(pairs);
  }

  private static String twice(String s) {
    return escape(escape(s));
  }

  private static String escape(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * Checks the operator instance id (OPERATOR_INSTANCE_ID) at start: it tags every sandbox and filters the
   * operator's listings, so it must be a plain token (1-63 letters, digits, '.', '_', '-', alphanumeric at
   * both ends). Returns it unchanged.
   */
  public static String checkInstanceId(String id) {
    if (id == null || !INSTANCE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("OPERATOR_INSTANCE_ID " + (id == null ? "is missing" : "'" + id + "'")
          + " is invalid: use 1-63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit");
    }
    return id;
  }
}
