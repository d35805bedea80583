package io.neuraltrader.e2b.api.v1alpha1;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code x-kubernetes-list-type} of a list: {@code set} (unique scalars) or {@code map} (objects unique by
 * {@link #keys()}, e.g. env vars by name). The API server then refuses duplicates, without a CEL rule.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ListType {
  String value();

  /** {@code x-kubernetes-list-map-keys} of a {@code map} list; each key must be a required field. */
  String[] keys() default {};
}
