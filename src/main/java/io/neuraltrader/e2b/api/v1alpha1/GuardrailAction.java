package io.neuraltrader.e2b.api.v1alpha1;

/** What a tripped guardrail does. */
public enum GuardrailAction {
  Suspend
}
