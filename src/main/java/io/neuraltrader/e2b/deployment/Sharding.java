package io.neuraltrader.e2b.deployment;

import java.util.ArrayList;
import java.util.List;

/** Splits a symbol universe evenly across replicas: replica i gets every symbol at position i modulo n. */
public final class Sharding {
  private Sharding() {}

  public static List<String> shard(List<String> symbols, int index, int replicas) {
    if (replicas <= 0 || index < 0 || index >= replicas) {
      throw new IllegalArgumentException("replica " + index + " of " + replicas);
    }
    List<String> mine = new ArrayList<>();
    for (int i = index; i < symbols.size(); i += replicas) {
      mine.add(symbols.get(i));
    }
    // More replicas than symbols: the extra replicas share the universe round-robin rather than idle.
    if (mine.isEmpty() && !symbols.isEmpty()) {
      mine.add(symbols.get(index % symbols.size()));
    }
    return mine;
  }
}
