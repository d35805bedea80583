package io.neuraltrader.e2b.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A template name in the catalog: its versions (oldest first) and what its latest version is. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemplateSummary(String name, String latestVersion, List<String> versions, String strategy,
    String description, String source, Double qualityScore) {}
