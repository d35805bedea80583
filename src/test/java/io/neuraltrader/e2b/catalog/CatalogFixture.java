package io.neuraltrader.e2b.catalog;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxStatus;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.testing.ApiAccess;
import io.neuraltrader.e2b.testing.ApiRecorder;
import io.neuraltrader.e2b.testing.TestCluster;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A cluster for the catalog's tests: the test writes fixtures with its own client; the services under test use
 * a second client whose requests are recorded as the operator's (the services run in the MCP server under the
 * operator's identity), so RbacIT checks the chart grants them.
 */
final class CatalogFixture implements AutoCloseable {
  final TestCluster cluster = TestCluster.create();
  final KubernetesClient client = cluster.client();
  final String ns = cluster.namespace();
  private final ApiRecorder recorder = new ApiRecorder(ApiAccess.Mode.of(Set.of(), false, null, null));
  final KubernetesClient operatorClient = cluster.newClient(recorder);
  private final String source;

  CatalogFixture(Class<?> test) {
    this.source = test.getSimpleName();
  }

  /** A TradingAgent admitted from {@code yaml}, then given {@code status} as its reconciler would. */
  TradingAgent agent(String yaml, Consumer<TradingAgentStatus> status) {
    cluster.apply(yaml);
    String name = yaml.lines().filter(l -> l.startsWith("  name: ")).findFirst().orElseThrow().substring(8).trim();
    TradingAgent agent = client.resources(TradingAgent.class).inNamespace(ns).withName(name).get();
    TradingAgentStatus st = new TradingAgentStatus();
    status.accept(st);
    agent.setStatus(st);
    return client.resource(agent).updateStatus();
  }

  E2BSandbox sandbox(String name, Consumer<E2BSandboxStatus> status) {
    cluster.apply("""
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: E2BSandbox
        metadata:
          name: %s
        spec:
          template: code-interpreter-v1
        """.formatted(name));
    E2BSandbox sandbox = client.resources(E2BSandbox.class).inNamespace(ns).withName(name).get();
    E2BSandboxStatus st = new E2BSandboxStatus();
    status.accept(st);
    sandbox.setStatus(st);
    return client.resource(sandbox).updateStatus();
  }

  static String momentumAgent(String name) {
    return """
        apiVersion: e2b.neuraltrader.io/v1alpha1
        kind: TradingAgent
        metadata:
          name: %s
        spec:
          strategy: momentum
          symbols: [AAPL, MSFT]
          parameters:
            period: 14
            threshold: 0.03
          risk:
            maxPositionFraction: 0.2
            maxDrawdown: 0.25
          capital: 50000
          interval: 30s
          sandbox:
            template:
              template: code-interpreter-v1
              resources:
                cpuCount: 2
                memoryMB: 1024
        """.formatted(name);
  }

  @Override
  public void close() {
    operatorClient.close();
    recorder.flush(source);
    cluster.close();
  }
}
