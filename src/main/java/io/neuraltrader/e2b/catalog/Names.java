package io.neuraltrader.e2b.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import java.util.regex.Pattern;

/** Checks of the names the catalog's callers pass, each failure an {@link IllegalArgumentException} naming the argument. */
final class Names {
  /** Template names: a DNS label short enough that its ConfigMaps' names and label values stay within 63. */
  static final Pattern TEMPLATE = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$");
  static final Pattern OBJECT = Pattern.compile(ApiConstants.NAME_PATTERN);
  /** Names of resources the catalog creates: they become label values of their children. */
  static final Pattern LABEL_SAFE_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

  private static final ObjectMapper JSON = new ObjectMapper();

  private Names() {}

  static String namespace(String namespace) {
    if (namespace == null || !LABEL_SAFE_NAME.matcher(namespace).matches()) {
      throw new IllegalArgumentException("namespace " + quote(namespace) + " is not a valid namespace name");
    }
    return namespace;
  }

  static String template(String name, String field) {
    if (name == null || !TEMPLATE.matcher(name).matches()) {
      throw new IllegalArgumentException(field + " " + quote(name) + " must be lower-case letters, digits and"
          + " '-', at most 40 characters, starting and ending with a letter or digit");
    }
    return name;
  }

  /** A value for a message: at most 40 characters, as a JSON string (quotes and control characters escaped). */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    try {
      return JSON.writeValueAsString(cut);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
