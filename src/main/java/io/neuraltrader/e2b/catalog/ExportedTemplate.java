package io.neuraltrader.e2b.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A version written by {@link TemplateExporter#export}.
 *
 * @param yaml the ConfigMap as a manifest without server-set fields: commit it and GitOps recreates the version
 * @param stateBytes size of the included state (0 without includeData)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExportedTemplate(String namespace, String name, String version, String configMapName,
    Double qualityScore, boolean includesData, int stateBytes, CatalogTemplate template, String yaml) {}
