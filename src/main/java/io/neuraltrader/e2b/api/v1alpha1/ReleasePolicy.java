package io.neuraltrader.e2b.api.v1alpha1;

/** What a pool does with a member its claimer gives back. */
public enum ReleasePolicy {
  /** Kill the sandbox; a fresh one refills the pool (no state carries over between claimers). */
  Delete,
  /** Return the sandbox to the warm set after restarting its code contexts. */
  Recycle
}
