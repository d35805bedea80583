package io.neuraltrader.e2b.client;

import java.util.Map;
import java.util.Optional;

/**
 * A {@code result} message: the value of the last expression or a displayed object, in every
 * representation the interpreter produced (text, json, png, html, ...), keyed by the wire name.
 */
public record RichResult(boolean isMainResult, Map<String, Object> formats) {

  public RichResult {
    formats = Maps.copy(formats == null ? Map.of() : formats);
  }

  public Optional<String> text() {
    return string("text");
  }

  /** Base64-encoded PNG. */
  public Optional<String> png() {
    return string("png");
  }

  public Optional<String> html() {
    return string("html");
  }

  /** The json representation, already parsed (maps, lists, numbers, strings). */
  public Optional<Object> json() {
    return Optional.ofNullable(formats.get("json"));
  }

  public Optional<String> string(String format) {
    Object v = formats.get(format);
    return v instanceof String s ? Optional.of(s) : Optional.empty();
  }
}
