package io.neuraltrader.e2b.client;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Query of {@code GET /v2/sandboxes}.
 *
 * @param metadata exact-match filter (all pairs must match); empty for none
 * @param states state filter; empty for the server default
 * @param limit page size 1..100, null for the server default
 * @param nextToken cursor from a previous page, null for the first page
 */
public record ListQuery(Map<String, String> metadata, Set<SandboxState> states, Integer limit, String nextToken) {
  public static final int MAX_LIMIT = 100;

  public ListQuery {
    metadata = metadata == null ? Map.of() : Map.copyOf(new TreeMap<>(metadata));
    states = states == null || states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
    if (states.contains(SandboxState.UNKNOWN)) {
      throw new IllegalArgumentException("cannot filter on state UNKNOWN");
    }
    if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
      throw new IllegalArgumentException("limit must be in [1, 100], got " + limit);
    }
  }

  public static ListQuery all() {
    return new ListQuery(Map.of(), Set.of(), null, null);
  }

  public static ListQuery byMetadata(Map<String, String> metadata) {
    return new ListQuery(metadata, Set.of(), null, null);
  }

  public ListQuery withStates(Set<SandboxState> s) {
    return new ListQuery(metadata, s, limit, nextToken);
  }

  public ListQuery withLimit(int l) {
    return new ListQuery(metadata, states, l, nextToken);
  }

  public ListQuery withNextToken(String token) {
    return new ListQuery(metadata, states, limit, token);
  }
}
