package io.neuraltrader.e2b.client;

import java.util.List;
import java.util.Optional;

/** One page of a list, with the cursor of the next page (from X-Next-Token) when there is one. */
public record Page<T>(List<T> items, String nextToken) {

  public Page {
    items = List.copyOf(items);
    nextToken = nextToken == null || nextToken.isBlank() ? null : nextToken;
  }

  public Optional<String> next() {
    return Optional.ofNullable(nextToken);
  }
}
