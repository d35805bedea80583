package io.neuraltrader.e2b.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Results of execute_e2b_process: the same code and inputs on the same sandbox within the TTL are answered
 * without executing again. Keys are digests, so no code or env var value is kept as a key.
 */
final class ResultCache {
  record Hit(Map<String, Object> result, Instant storedAt) {}

  private record Entry(Map<String, Object> result, Instant storedAt, Instant expires) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration ttl;
  private final int maxEntries;

  ResultCache(Clock clock, Duration ttl, int maxEntries) {
    this.clock = clock;
    this.ttl = ttl;
    this.maxEntries = maxEntries;
  }

  Duration ttl() {
    return ttl;
  }

  static String key(List<String> parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        byte[] bytes = (p == null ? "\u0000null" : p).getBytes(StandardCharsets.UTF_8);
        // Length-prefixed, so that ("ab","c") and ("a","bc") differ.
        sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        sha.update(bytes);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  Optional<Hit> get(String key) {
    Entry e = entries.get(key);
    Instant now = clock.instant();
    if (e == null || !now.isBefore(e.expires())) {
      return Optional.empty();
    }
    return Optional.of(new Hit(e.result(), e.storedAt()));
  }

  void put(String key, Map<String, Object> result) {
    if (ttl.isZero()) {
      return;
    }
    Instant now = clock.instant();
    if (entries.size() >= maxEntries) {
      entries.entrySet().removeIf(x -> !now.isBefore(x.getValue().expires()));
      if (entries.size() >= maxEntries) {
        entries.clear();
      }
    }
    entries.put(key, new Entry(java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(result)), now,
        now.plus(ttl)));
  }
}
