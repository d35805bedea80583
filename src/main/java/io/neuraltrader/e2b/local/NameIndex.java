package io.neuraltrader.e2b.local;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory store's keys by object name. The mock store finds an object by matching every stored key
 * against the request's attributes, one scan of the whole store per read or write: with the Events, state
 * ConfigMaps and pool members of a busy fleet that was most of a write's cost (an API server reads one etcd
 * key). Looking up the few keys that carry the name keeps a lookup independent of the store's size.
 *
 * <p>Only lookups whose query names one object use it; the caller keeps it in step with the store on every
 * change, under the store's write lock.
 */
final class NameIndex {
  private final Map<String, Set<AttributeSet>> byName = new ConcurrentHashMap<>();

  /** The one name a query asks for, or null when it does not name exactly one object. */
  static String nameOf(AttributeSet query) {
    Attribute name = query.getAttribute(KubernetesAttributesExtractor.NAME);
    if (name == null || name.getType() != AttributeType.WITH || name.getValues().size() != 1) {
      return null;
    }
    return name.getValues().get(0).toString();
  }

  void add(AttributeSet key) {
    String name = nameOf(key);
    if (name != null) {
      byName.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(key);
    }
  }

  void remove(AttributeSet key) {
    String name = nameOf(key);
    if (name != null) {
      byName.computeIfPresent(name, (n, keys) -> {
        keys.remove(key);
        return keys.isEmpty() ? null : keys;
      });
    }
  }

  /** The stored keys of objects with this name (of any kind and namespace). */
  Set<AttributeSet> keysNamed(String name) {
    Set<AttributeSet> keys = byName.get(name);
    return keys == null ? Set.of() : Collections.unmodifiableSet(keys);
  }

  /** How many keys the index holds, for the tests that check it against the store. */
  int size() {
    return byName.values().stream().mapToInt(Set::size).sum();
  }
}
