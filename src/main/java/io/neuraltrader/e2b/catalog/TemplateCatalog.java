package io.neuraltrader.e2b.catalog;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.neuraltrader.e2b.agent.AgentValidator;
import io.neuraltrader.e2b.api.v1alpha1.AgentTemplate;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeploymentSpec;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The template catalog of a namespace: the three templates shipped with the operator (momentum-trading,
 * mean-reversion, pairs-trading) and the versions exported there ({@link TemplateExporter}). Deploying one
 * creates a TradingAgent (one replica) or an E2BDeployment (several) from it, after the overrides and the
 * resulting spec passed the agent's validation: a refused call creates nothing.
 */
public class TemplateCatalog {
  /** Replicas a deploy call may ask for (the range of scale_e2b_deployment). */
  public static final int MAX_REPLICAS = 100;
  private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private final KubernetesClient client;
  private final TemplateStore store;
  private final Supplier<String> suffix;

  public TemplateCatalog(KubernetesClient client) {
    this(client, randomSuffix(new SecureRandom()));
  }

  TemplateCatalog(KubernetesClient client, Supplier<String> suffix) {
    this.client = client;
    this.store = new TemplateStore(client);
    this.suffix = suffix;
  }

  /** One summary per template name, sorted by name. */
  public List<TemplateSummary> list(String namespace) {
    Map<String, List<CatalogTemplate>> byName = new LinkedHashMap<>();
    for (CatalogTemplate t : store.all(Names.namespace(namespace))) {
      byName.computeIfAbsent(t.name(), n -> new ArrayList<>()).add(t);
    }
    List<TemplateSummary> out = new ArrayList<>();
    byName.forEach((name, versions) -> {
      CatalogTemplate latest = versions.get(versions.size() - 1);
      out.add(new TemplateSummary(name, latest.version(), versions.stream().map(CatalogTemplate::version).toList(),
          latest.spec().getStrategy() == null ? null : latest.spec().getStrategy().name(), latest.description(),
          latest.source(), latest.qualityScore()));
    });
    return out;
  }

  /** A version of a template ({@code version} null: the latest); empty when there is no such template or version. */
  public Optional<CatalogTemplate> find(String namespace, String templateName, String version) {
    Names.namespace(namespace);
    Names.template(templateName, "templateName");
    SemVer wanted = version == null ? null : SemVer.parse(version, "version");
    List<CatalogTemplate> versions = store.versions(namespace, templateName);
    if (wanted == null) {
      return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }
    return versions.stream().filter(t -> t.semVer().equals(wanted)).findFirst();
  }

  /** The persisted state an exported version carries (JSON), if it was exported with data. */
  public Optional<String> state(String namespace, String templateName, String version) {
    return find(namespace, templateName, version).map(t -> store.state(namespace, t));
  }

  /**
   * Instantiates the latest version of {@code templateName}. Overrides (all optional): {@code name} (of the
   * resource; default {@code <template>-<random>}), {@code strategyParams} or {@code parameters} (merged into
   * the template's), {@code symbols}, {@code pairs}, {@code risk} (merged field by field), {@code capital},
   * {@code interval}, {@code resources} {cpuCount, memoryMB}, {@code poolRef} (claim sandboxes from a pool).
   *
   * @param replicas null or 1: a TradingAgent; 2 to {@value #MAX_REPLICAS}: an E2BDeployment of that many agents
   * @throws IllegalArgumentException naming the bad argument; nothing is created then
   */
  public Deployed deploy(String namespace, String templateName, Map<String, Object> overrides, Integer replicas) {
    Names.namespace(namespace);
    int count = replicas == null ? 1 : replicas;
    if (count < 1 || count > MAX_REPLICAS) {
      throw new IllegalArgumentException("replicas must be between 1 and " + MAX_REPLICAS + ", got " + replicas);
    }
    CatalogTemplate template = find(namespace, templateName, null).orElseThrow(() -> new IllegalArgumentException(
        "templateName " + Names.quote(templateName) + " is not in the catalog of namespace " + namespace
            + " (templates: " + String.join(", ", list(namespace).stream().map(TemplateSummary::name).toList())
            + ")"));
    String name = name(templateName, overrides);
    TradingAgentSpec spec = TemplateStore.YAML.convertValue(template.spec(), TradingAgentSpec.class);
    spec.setSuspend(false);
    Overrides.apply(spec, overrides);
    List<String> errors = AgentValidator.validate(spec);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("overrides make an invalid agent: " + String.join("; ", errors));
    }
    Map<String, String> labels = Map.of(TemplateStore.LABEL_TEMPLATE, template.name(),
        TemplateStore.LABEL_VERSION, template.version(), ApiConstants.LABEL_MANAGED_BY, ApiConstants.MANAGED_BY_VALUE);
    HasMetadata resource = count == 1 ? agent(namespace, name, labels, spec)
        : deployment(namespace, name, labels, spec, count);
    HasMetadata created = create(resource);
    return new Deployed(created.getKind(), namespace, created.getMetadata().getName(), created.getMetadata().getUid(),
        template.name(), template.version(), count, spec.getStrategy().name(), spec);
  }

  private String name(String templateName, Map<String, Object> overrides) {
    Object given = overrides == null ? null : overrides.get(Overrides.NAME);
    if (given == null) {
      return templateName + "-" + suffix.get();
    }
    if (!(given instanceof String s) || !Names.LABEL_SAFE_NAME.matcher(s).matches()) {
      throw new IllegalArgumentException("overrides.name " + (given instanceof String s ? Names.quote(s) : given)
          + " must be lower-case letters, digits and '-', at most 63 characters");
    }
    return s;
  }

  private static TradingAgent agent(String namespace, String name, Map<String, String> labels, TradingAgentSpec spec) {
    TradingAgent agent = new TradingAgent();
    agent.setMetadata(meta(namespace, name, labels));
    agent.setSpec(spec);
    agent.setStatus(null);
    return agent;
  }

  private static E2BDeployment deployment(String namespace, String name, Map<String, String> labels,
      TradingAgentSpec spec, int replicas) {
    AgentTemplate template = new AgentTemplate();
    template.setLabels(labels);
    template.setSpec(spec);
    E2BDeploymentSpec dspec = new E2BDeploymentSpec();
    dspec.setReplicas(replicas);
    dspec.setTemplate(template);
    E2BDeployment deployment = new E2BDeployment();
    deployment.setMetadata(meta(namespace, name, labels));
    deployment.setSpec(dspec);
    deployment.setStatus(null);
    return deployment;
  }

  private static ObjectMeta meta(String namespace, String name, Map<String, String> labels) {
    return new ObjectMetaBuilder().withNamespace(namespace).withName(name).withLabels(labels).build();
  }

  private HasMetadata create(HasMetadata resource) {
    try {
      return client.resource(resource).create();
    } catch (KubernetesClientException e) {
      String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
          : e.getMessage();
      if (e.getCode() == 409) {
        throw new IllegalArgumentException("overrides.name: a " + resource.getKind() + " named "
            + resource.getMetadata().getName() + " already exists in namespace "
            + resource.getMetadata().getNamespace(), e);
      }
      if (e.getCode() == 422 || e.getCode() == 400) {
        throw new IllegalArgumentException("the API server refused the " + resource.getKind() + ": " + message, e);
      }
      throw e;
    }
  }

  private static Supplier<String> randomSuffix(SecureRandom random) {
    return () -> {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        out.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
      }
      return out.toString();
    };
  }
}
