package io.neuraltrader.e2b.packaging;

/** Values that turn on every optional monitoring object of the chart. */
final class Monitoring {
  static final String ALL_ON = """
      metrics: {serviceMonitor: {enabled: true}}
      prometheusRule: {enabled: true}
      grafanaDashboard: {enabled: true}
      """;

  private Monitoring() {}
}
