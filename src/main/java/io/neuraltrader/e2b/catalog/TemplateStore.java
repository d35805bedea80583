package io.neuraltrader.e2b.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.SandboxResources;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where template versions live: the ones shipped on the classpath ({@code catalog/<name>.yaml}) and one labelled
 * ConfigMap per exported version ({@code e2b-template-<name>-<major>-<minor>-<patch>}, keys {@value #TEMPLATE_KEY}
 * and, with data, {@value #STATE_KEY}). The labels make versions selectable by kubectl, GitOps tools and RBAC.
 */
final class TemplateStore {
  static final String LABEL_TEMPLATE = ApiConstants.GROUP + "/template";
  static final String LABEL_VERSION = ApiConstants.GROUP + "/template-version";
  static final String LABEL_SOURCE_AGENT = ApiConstants.GROUP + "/template-source-agent";
  static final String LABEL_COMPONENT = "app.kubernetes.io/component";
  static final String COMPONENT = "trading-template";
  static final String TEMPLATE_KEY = "template.yaml";
  static final String STATE_KEY = "state.json";
  static final String PREFIX = "e2b-template-";
  static final List<String> BUILTINS = List.of("momentum-trading", "mean-reversion", "pairs-trading");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Logger LOG = LoggerFactory.getLogger(TemplateStore.class);
  private static final List<CatalogTemplate> SHIPPED = BUILTINS.stream().map(TemplateStore::loadBuiltin).toList();

  private final KubernetesClient client;

  TemplateStore(KubernetesClient client) {
    this.client = client;
  }

  static String configMapName(String template, SemVer version) {
    return PREFIX + template + "-" + version.major() + "-" + version.minor() + "-" + version.patch();
  }

  /** Every version in the namespace, shipped ones first, each name's versions oldest first. */
  List<CatalogTemplate> all(String namespace) {
    List<CatalogTemplate> all = new ArrayList<>(SHIPPED.stream().map(TemplateStore::copy).toList());
    all.addAll(exported(namespace, null));
    all.sort(Comparator.comparing(CatalogTemplate::name).thenComparing(CatalogTemplate::semVer));
    return all;
  }

  /** The versions of {@code template} (or of every template when null), shipped and exported, oldest first. */
  List<CatalogTemplate> versions(String namespace, String template) {
    List<CatalogTemplate> all = new ArrayList<>(SHIPPED.stream().filter(t -> t.name().equals(template))
        .map(TemplateStore::copy).toList());
    all.addAll(exported(namespace, template));
    all.sort(Comparator.comparing(CatalogTemplate::semVer));
    return all;
  }

  /** A shipped template with its own spec: callers may change what they get without changing the catalog. */
  private static CatalogTemplate copy(CatalogTemplate t) {
    return new CatalogTemplate(t.name(), t.version(), t.description(), YAML.convertValue(t.spec(),
        TradingAgentSpec.class), t.resources(), t.performance(),
        t.averageExecutionMs(), t.executionEfficiency(), t.qualityScore(), t.createdFrom(), t.createdAt(), t.source(),
        t.configMapName(), t.hasState());
  }

  /** The persisted state a version carries, if any. */
  String state(String namespace, CatalogTemplate template) {
    if (template.configMapName() == null) {
      return null;
    }
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(template.configMapName()).get();
    return map == null || map.getData() == null ? null : map.getData().get(STATE_KEY);
  }

  private List<CatalogTemplate> exported(String namespace, String template) {
    var maps = client.configMaps().inNamespace(namespace);
    List<ConfigMap> items = (template == null ? maps.withLabel(LABEL_TEMPLATE) : maps.withLabel(LABEL_TEMPLATE, template))
        .list().getItems();
    List<CatalogTemplate> out = new ArrayList<>();
    for (ConfigMap map : items) {
      CatalogTemplate t = parse(map);
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  /** A version stored in {@code map}; null (logged) when the ConfigMap is not a readable template. */
  static CatalogTemplate parse(ConfigMap map) {
    String name = map.getMetadata().getName();
    Map<String, String> data = map.getData() == null ? Map.of() : map.getData();
    Map<String, String> labels = map.getMetadata().getLabels() == null ? Map.of() : map.getMetadata().getLabels();
    try {
      CatalogTemplate t = YAML.readValue(data.getOrDefault(TEMPLATE_KEY, ""), CatalogTemplate.class);
      if (t == null || t.spec() == null || !labels.getOrDefault(LABEL_TEMPLATE, "").equals(t.name())
          || !SemVer.valid(t.version())) {
        LOG.warn("ConfigMap {}/{} is labelled a template but its {} has no spec, no version or another name",
            map.getMetadata().getNamespace(), name, TEMPLATE_KEY);
        return null;
      }
      return t.located(CatalogTemplate.EXPORTED, name, data.containsKey(STATE_KEY));
    } catch (IOException e) {
      LOG.warn("ConfigMap {}/{} is labelled a template but its {} is not a template document",
          map.getMetadata().getNamespace(), name, TEMPLATE_KEY);
      return null;
    }
  }

  private static CatalogTemplate loadBuiltin(String name) {
    String path = "catalog/" + name + ".yaml";
    try (InputStream in = TemplateStore.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing " + path + " on the classpath");
      }
      CatalogTemplate t = YAML.readValue(new String(in.readAllBytes(), StandardCharsets.UTF_8), CatalogTemplate.class);
      E2BSandboxSpec sandbox = t.spec().getSandbox() == null ? null : t.spec().getSandbox().getTemplate();
      SandboxResources r = sandbox == null ? null : sandbox.getResources();
      TemplateResources resources = r == null ? t.resources() : new TemplateResources(r.getCpuCount(), r.getMemoryMB());
      return new CatalogTemplate(t.name(), t.version(), t.description(), t.spec(), resources, null, null, null, null,
          null, null, CatalogTemplate.BUILTIN, null, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
