package io.neuraltrader.e2b.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.neuraltrader.e2b.agent.AgentStateStore;
import io.neuraltrader.e2b.api.v1alpha1.AgentSandboxSource;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.Performance;
import io.neuraltrader.e2b.api.v1alpha1.SandboxResources;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentStatus;
import io.neuraltrader.e2b.reconcile.Times;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports a TradingAgent as a new version of a catalog template: its configuration (strategy, tuned parameters,
 * risk, symbols), its performance and execution record from status, its sandbox's size, and with
 * {@code includeData} the persisted state ({@code <agent>-state}). Each version is its own ConfigMap, never
 * owned by the agent (a template outlives it) and never overwritten: the patch number goes up per export of a
 * name, older versions stay.
 */
public class TemplateExporter {
  /**
   * Largest template ConfigMap data (document plus state) written, well under the API server's 1 MiB object
   * limit so that metadata and the manifest's YAML overhead fit too.
   */
  public static final int MAX_DATA_BYTES = 768 * 1024;
  private static final int CREATE_ATTEMPTS = 5;

  private final KubernetesClient client;
  private final Clock clock;
  private final TemplateStore store;

  public TemplateExporter(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.store = new TemplateStore(client);
  }

  /**
   * Writes the next version of {@code templateName} from the agent named {@code agentName} (or the agent running
   * in the sandbox with that sandbox ID or E2BSandbox name).
   *
   * @param templateName the template to add a version to; null: the agent's name
   * @throws IllegalArgumentException naming the bad argument (no such agent, bad name, state missing or too
   *     large); nothing is written then
   */
  public ExportedTemplate export(String namespace, String agentName, String templateName, boolean includeData) {
    Names.namespace(namespace);
    TradingAgent agent = resolve(namespace, agentName);
    String name = Names.template(templateName == null ? agent.getMetadata().getName() : templateName,
        templateName == null ? "templateName (the agent's name)" : "templateName");
    String state = includeData ? state(agent) : null;
    E2BSandbox sandbox = sandbox(agent);
    TradingAgentStatus status = agent.getStatus() == null ? new TradingAgentStatus() : agent.getStatus();
    Performance p = status.getPerformance();
    TemplatePerformance performance = p == null ? null : new TemplatePerformance(p.getTotalReturn(), p.getSharpe(),
        p.getMaxDrawdown(), p.getWinRate(), p.getTrades(), status.getRuns(), status.getFailedRuns());
    Double efficiency = QualityScore.executionEfficiency(status.getRuns(), status.getFailedRuns());
    Double score = p == null ? null : QualityScore.of(p.getSharpe(), p.getMaxDrawdown(), efficiency);
    Long averageMs = sandbox != null && sandbox.getStatus() != null && sandbox.getStatus().getAverageExecutionMs() != null
        ? sandbox.getStatus().getAverageExecutionMs() : status.getLastRunDurationMs();
    TradingAgentSpec spec = portableSpec(agent, sandbox);
    String createdAt = Times.format(clock.instant());
    CreatedFrom from = new CreatedFrom("TradingAgent", namespace, agent.getMetadata().getName(), status.getSandboxID());

    for (int attempt = 1; ; attempt++) {
      List<CatalogTemplate> versions = store.versions(namespace, name);
      SemVer version = versions.isEmpty() ? SemVer.FIRST : versions.get(versions.size() - 1).semVer().nextPatch();
      CatalogTemplate document = new CatalogTemplate(name, version.toString(), description(agent, versions), spec,
          resources(agent, sandbox), performance, averageMs, efficiency, score, from, createdAt, null, null, null);
      ConfigMap map = configMap(namespace, agent, document, version, state);
      try {
        client.resource(map).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 && attempt < CREATE_ATTEMPTS) {
          continue; // another export took this version: take the next
        }
        throw e;
      }
      CatalogTemplate stored = document.located(CatalogTemplate.EXPORTED, map.getMetadata().getName(), state != null);
      return new ExportedTemplate(namespace, name, version.toString(), map.getMetadata().getName(), score,
          state != null, state == null ? 0 : state.getBytes(StandardCharsets.UTF_8).length, stored,
          Serialization.asYaml(map));
    }
  }

  private TradingAgent resolve(String namespace, String agentName) {
    if (agentName == null || agentName.isBlank()) {
      throw new IllegalArgumentException("agent (a TradingAgent name or a sandboxId) is required");
    }
    var agents = client.resources(TradingAgent.class).inNamespace(namespace);
    if (Names.OBJECT.matcher(agentName).matches()) {
      TradingAgent byName = agents.withName(agentName).get();
      if (byName != null) {
        return byName;
      }
    }
    List<TradingAgent> running = agents.list().getItems().stream().filter(a -> a.getStatus() != null
        && (agentName.equals(a.getStatus().getSandboxID()) || agentName.equals(a.getStatus().getSandboxRef())))
        .toList();
    if (running.size() == 1) {
      return running.get(0);
    }
    if (running.size() > 1) {
      throw new IllegalArgumentException("agent: " + running.size() + " agents run in sandbox "
          + Names.quote(agentName) + " (" + String.join(", ", running.stream().map(a -> a.getMetadata().getName())
              .sorted().toList()) + "); name one of them");
    }
    throw new IllegalArgumentException("agent " + Names.quote(agentName) + ": no TradingAgent of that name, and none"
        + " running in a sandbox of that ID or name, in namespace " + namespace);
  }

  private String state(TradingAgent agent) {
    String mapName = AgentStateStore.name(agent);
    ConfigMap map = client.configMaps().inNamespace(agent.getMetadata().getNamespace()).withName(mapName).get();
    String state = map == null || map.getData() == null ? null : map.getData().get(AgentStateStore.KEY);
    if (state == null) {
      throw new IllegalArgumentException("includeData: agent " + agent.getMetadata().getName()
          + " has no persisted state (ConfigMap " + mapName + " with key " + AgentStateStore.KEY
          + "); export without data or after its first tick");
    }
    return state;
  }

  private E2BSandbox sandbox(TradingAgent agent) {
    String ref = agent.getStatus() == null ? null : agent.getStatus().getSandboxRef();
    AgentSandboxSource source = agent.getSpec().getSandbox();
    if (ref == null && source != null && source.getSandboxRef() != null) {
      ref = source.getSandboxRef().getName();
    }
    return ref == null ? null : client.resources(E2BSandbox.class).inNamespace(agent.getMetadata().getNamespace())
        .withName(ref).get();
  }

  /**
   * The agent's spec as a template: not suspended, and with a sandbox that another agent can have too. A
   * reference to one particular E2BSandbox becomes an own sandbox of that sandbox's template and size.
   */
  private static TradingAgentSpec portableSpec(TradingAgent agent, E2BSandbox sandbox) {
    TradingAgentSpec spec = TemplateStore.YAML.convertValue(agent.getSpec(), TradingAgentSpec.class);
    spec.setSuspend(false);
    AgentSandboxSource source = spec.getSandbox();
    if (source != null && source.getSandboxRef() != null) {
      E2BSandboxSpec own = new E2BSandboxSpec();
      if (sandbox != null && sandbox.getSpec() != null) {
        own.setTemplate(sandbox.getSpec().getTemplate());
        own.setTimeoutSeconds(sandbox.getSpec().getTimeoutSeconds());
        own.setResources(sandbox.getSpec().getResources());
      }
      AgentSandboxSource replaced = new AgentSandboxSource();
      replaced.setTemplate(own);
      spec.setSandbox(replaced);
    } else if (source != null && source.getTemplate() != null) {
      source.getTemplate().setClaimRef(null);
    }
    return spec;
  }

  /** What the agent's sandbox has (E2B reports it), else what its spec asks for. */
  private static TemplateResources resources(TradingAgent agent, E2BSandbox sandbox) {
    if (sandbox != null && sandbox.getStatus() != null && sandbox.getStatus().getCpuCount() != null) {
      return new TemplateResources(sandbox.getStatus().getCpuCount(), sandbox.getStatus().getMemoryMB());
    }
    AgentSandboxSource source = agent.getSpec().getSandbox();
    SandboxResources r = source == null || source.getTemplate() == null ? null : source.getTemplate().getResources();
    return r == null ? null : new TemplateResources(r.getCpuCount(), r.getMemoryMB());
  }

  private static String description(TradingAgent agent, List<CatalogTemplate> versions) {
    return "Exported from TradingAgent " + agent.getMetadata().getName() + " (" + agent.getSpec().getStrategy()
        + ")" + (versions.isEmpty() ? "" : ", after " + versions.get(versions.size() - 1).version());
  }

  private static ConfigMap configMap(String namespace, TradingAgent agent, CatalogTemplate document, SemVer version,
      String state) {
    String yaml;
    try {
      yaml = TemplateStore.YAML.writeValueAsString(document.document());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("template document of " + document.name() + " does not serialize", e);
    }
    Map<String, String> data = new LinkedHashMap<>();
    data.put(TemplateStore.TEMPLATE_KEY, yaml);
    if (state != null) {
      data.put(TemplateStore.STATE_KEY, state);
    }
    int bytes = data.values().stream().mapToInt(v -> v.getBytes(StandardCharsets.UTF_8).length).sum();
    if (bytes > MAX_DATA_BYTES) {
      throw new IllegalArgumentException("includeData: the template with agent " + agent.getMetadata().getName()
          + "'s state is " + bytes + " bytes; a template version holds at most " + MAX_DATA_BYTES
          + " (export without data)");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(TemplateStore.LABEL_TEMPLATE, document.name());
    labels.put(TemplateStore.LABEL_VERSION, version.toString());
    if (Names.LABEL_SAFE_NAME.matcher(agent.getMetadata().getName()).matches()) {
      labels.put(TemplateStore.LABEL_SOURCE_AGENT, agent.getMetadata().getName());
    }
    labels.put(TemplateStore.LABEL_COMPONENT, TemplateStore.COMPONENT);
    labels.put(ApiConstants.LABEL_MANAGED_BY, ApiConstants.MANAGED_BY_VALUE);
    return new ConfigMapBuilder()
        .withNewMetadata().withName(TemplateStore.configMapName(document.name(), version)).withNamespace(namespace)
        .withLabels(labels).endMetadata()
        .withData(data)
        .build();
  }
}
