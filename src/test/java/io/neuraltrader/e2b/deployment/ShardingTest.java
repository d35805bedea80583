package io.neuraltrader.e2b.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardingTest {
  private static final List<String> EIGHT = List.of("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "JPM");

  @Test
  void roundRobinOverReplicas() {
    assertEquals(List.of("AAPL", "GOOGL"), Sharding.shard(EIGHT, 0, 4));
    assertEquals(List.of("MSFT", "META"), Sharding.shard(EIGHT, 1, 4));
    assertEquals(List.of("AAPL", "NVDA", "GOOGL", "TSLA"), Sharding.shard(EIGHT, 0, 2));
    assertEquals(EIGHT, Sharding.shard(EIGHT, 0, 1));
  }

  @Test
  void theShardsPartitionTheUniverseForEveryCount() {
    for (int n = 1; n <= EIGHT.size(); n++) {
      List<String> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        List<String> shard = Sharding.shard(EIGHT, i, n);
        int expected = EIGHT.size() / n + (i < EIGHT.size() % n ? 1 : 0);
        assertEquals(expected, shard.size(), "replica " + i + " of " + n + " (sizes differ by at most one)");
        all.addAll(shard);
      }
      assertEquals(EIGHT.size(), all.size(), "no symbol twice for n=" + n);
      assertEquals(new java.util.HashSet<>(EIGHT), new java.util.HashSet<>(all), "every symbol once for n=" + n);
    }
  }

  @Test
  void moreReplicasThanSymbolsShareTheUniverseInsteadOfIdling() {
    List<String> two = List.of("AAPL", "MSFT");
    assertEquals(List.of("AAPL"), Sharding.shard(two, 0, 5));
    assertEquals(List.of("MSFT"), Sharding.shard(two, 1, 5));
    assertEquals(List.of("AAPL"), Sharding.shard(two, 2, 5));
    assertEquals(List.of("MSFT"), Sharding.shard(two, 3, 5));
    assertEquals(List.of(), Sharding.shard(List.of(), 0, 3));
  }

  @Test
  void anIndexOutsideTheReplicasIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Sharding.shard(EIGHT, 4, 4));
    assertThrows(IllegalArgumentException.class, () -> Sharding.shard(EIGHT, -1, 4));
    assertThrows(IllegalArgumentException.class, () -> Sharding.shard(EIGHT, 0, 0));
  }
}
