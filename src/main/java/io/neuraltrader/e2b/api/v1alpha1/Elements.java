package io.neuraltrader.e2b.api.v1alpha1;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds of each string in a list (its items) or a map (its values). The CRD generator has no per-element
 * annotations, so {@link CrdSchemaFinisher} writes these into the schema after generation.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Elements {
  /** maxLength of each element; every string needs one so CEL cost and request size stay bounded. */
  long maxLength();

  long minLength() default 0;

  /** RE2 pattern of each element; empty for none. */
  String pattern() default "";
}
