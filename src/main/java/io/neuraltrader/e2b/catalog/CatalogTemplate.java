package io.neuraltrader.e2b.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;

/**
 * One version of a template: the agent spec it instantiates and, for exported templates, what the source agent
 * achieved. The document stored in a template ConfigMap (key {@code template.yaml}) and shipped on the classpath
 * ({@code catalog/*.yaml}) is this record without {@code source}, {@code configMapName} and {@code hasState},
 * which the catalog fills in when it reads one.
 *
 * @param source {@code builtin} (shipped with the operator) or {@code exported} (a ConfigMap in the namespace)
 * @param executionEfficiency successful ticks / all ticks of the source agent (see {@link QualityScore})
 * @param qualityScore see {@link QualityScore}; absent when the template has no performance record
 * @param hasState true when the version carries the source agent's persisted state
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CatalogTemplate(String name, String version, String description, TradingAgentSpec spec,
    TemplateResources resources, TemplatePerformance performance, Long averageExecutionMs,
    Double executionEfficiency, Double qualityScore, CreatedFrom createdFrom, String createdAt, String source,
    String configMapName, Boolean hasState) {
  public static final String BUILTIN = "builtin";
  public static final String EXPORTED = "exported";

  SemVer semVer() {
    return SemVer.parse(version, "version");
  }

  /** The stored document: where the version lives is not part of it. */
  CatalogTemplate document() {
    return new CatalogTemplate(name, version, description, spec, resources, performance, averageExecutionMs,
        executionEfficiency, qualityScore, createdFrom, createdAt, null, null, null);
  }

  CatalogTemplate located(String source, String configMapName, Boolean hasState) {
    return new CatalogTemplate(name, version, description, spec, resources, performance, averageExecutionMs,
        executionEfficiency, qualityScore, createdFrom, createdAt, source, configMapName, hasState);
  }
}
