package io.neuraltrader.e2b.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.neuraltrader.e2b.catalog.FleetHealthReport;
import io.neuraltrader.e2b.catalog.TemplateCatalog;
import io.neuraltrader.e2b.catalog.TemplateExporter;
import io.neuraltrader.e2b.catalog.TemplateSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** deploy_e2b_template, export_e2b_template and monitor_e2b_health, served by the template catalog. */
final class CatalogTools {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final TemplateCatalog catalog;
  private final TemplateExporter exporter;
  private final FleetHealthReport health;

  CatalogTools(McpBackend backend) {
    this.catalog = new TemplateCatalog(backend.kube());
    this.exporter = new TemplateExporter(backend.kube(), backend.clock());
    this.health = new FleetHealthReport(backend.kube(), backend.clock());
  }

  List<Tool> tools() {
    return List.of(
        new Tool("deploy_e2b_template", "Instantiates a catalog template (shipped: momentum-trading, "
            + "mean-reversion, pairs-trading; plus the versions exported in the namespace) as a TradingAgent "
            + "(replicas 1) or an E2BDeployment (2-100), after the overrides passed validation.",
            Schemas.object(List.of("templateName"),
                "templateName", Schemas.string("template in the catalog"),
                "overrides", Schemas.anyObject("name, strategyParams, symbols, pairs, risk, capital, interval, "
                    + "resources {cpuCount, memoryMB}, poolRef"),
                "replicas", Schemas.integer("agents; default 1", 1, TemplateCatalog.MAX_REPLICAS),
                "namespace", Schemas.namespace()),
            Tool.Access.WRITE, this::deploy),
        new Tool("export_e2b_template", "Exports an agent as the next version (semver, older versions kept) of a "
            + "catalog template, stored as a labelled ConfigMap and returned as YAML to commit: configuration, "
            + "performance, resources, average execution time, quality score; includeData adds its persisted state.",
            Schemas.object(List.of(),
                "agentName", Schemas.string("TradingAgent name"),
                "sandboxId", Schemas.string("or the E2B sandbox ID (or E2BSandbox name) the agent runs in"),
                "templateName", Schemas.string("template to add a version to; default the agent's name"),
                "includeData", Schemas.bool("include the agent's persisted state; default false"),
                "namespace", Schemas.namespace()),
            Tool.Access.WRITE, this::export),
        new Tool("monitor_e2b_health", "Fleet health of a namespace from the resources' status: totals by health, "
            + "error rate, p95 latency, throughput, current burn and projected monthly cost, with the alert "
            + "thresholds (warning 5% errors / 2 s, critical 10% / 5 s / 3+ unhealthy) evaluated.",
            Schemas.object(List.of(), "namespace", Schemas.namespace()),
            Tool.Access.READ, this::monitor));
  }

  private Map<String, Object> deploy(Caller caller, ToolArgs args) {
    String ns = args.namespace(caller);
    String template = args.optionalString("templateName", 253);
    if (template == null || template.isBlank()) {
      throw ToolError.argument("templateName", "is required; the catalog of " + ns + " has: " + String.join(", ",
          catalogCall(() -> catalog.list(ns)).stream().map(TemplateSummary::name).toList()));
    }
    Object overrides = args.raw("overrides");
    if (overrides != null && !(overrides instanceof Map<?, ?>)) {
      throw ToolError.argument("overrides", "must be an object");
    }
    Integer replicas = args.optionalInt("replicas", 1, TemplateCatalog.MAX_REPLICAS);
    @SuppressWarnings("unchecked")
    Map<String, Object> o = (Map<String, Object>) overrides;
    return toMap(catalogCall(() -> catalog.deploy(ns, template, o == null ? Map.of() : o, replicas)));
  }

  private Map<String, Object> export(Caller caller, ToolArgs args) {
    String ns = args.namespace(caller);
    String agent = args.optionalString("agentName", 253);
    String sandbox = args.optionalString("sandboxId", 253);
    if ((agent == null) == (sandbox == null)) {
      throw ToolError.argument("agentName", "give agentName or sandboxId (exactly one)");
    }
    String template = args.optionalString("templateName", 253);
    boolean data = args.bool("includeData", false);
    return toMap(catalogCall(() -> exporter.export(ns, agent != null ? agent : sandbox, template, data)));
  }

  private Map<String, Object> monitor(Caller caller, ToolArgs args) {
    String ns = args.namespace(caller);
    return toMap(catalogCall(() -> health.report(ns)));
  }

  /** The catalog refuses bad arguments with a message that names them: a tool error, nothing written. */
  private static <T> T catalogCall(Supplier<T> call) {
    try {
      return call.get();
    } catch (IllegalArgumentException e) {
      throw new ToolError("invalid argument: " + e.getMessage());
    } catch (KubernetesClientException e) {
      throw Kube.refused("use the template catalog", e);
    }
  }

  private static Map<String, Object> toMap(Object value) {
    return JSON.convertValue(value, MAP);
  }
}
