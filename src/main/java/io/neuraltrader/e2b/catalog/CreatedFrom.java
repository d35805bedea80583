package io.neuraltrader.e2b.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The resource an exported template was taken from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreatedFrom(String kind, String namespace, String name, String sandboxID) {}
