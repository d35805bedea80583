package io.neuraltrader.e2b.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Sandbox size of a template: what its agents' sandboxes ask for, or (exported) what the source agent's had. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemplateResources(Integer cpuCount, Integer memoryMB) {}
