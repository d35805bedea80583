package io.neuraltrader.e2b.local.runtime;

import java.util.List;

/** A template the runtime can start sandboxes from: its id, aliases and the resources it reports. */
public record TemplateSpec(String id, List<String> aliases, int cpuCount, int memoryMB, int diskSizeMB) {

  public TemplateSpec {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("template id must not be blank");
    }
    aliases = List.copyOf(aliases);
    if (cpuCount <= 0 || memoryMB <= 0 || diskSizeMB <= 0) {
      throw new IllegalArgumentException("template " + id + " needs positive cpuCount, memoryMB and diskSizeMB");
    }
  }

  /** The code interpreter template E2B's SDKs default to. */
  public static TemplateSpec codeInterpreter() {
    return new TemplateSpec("code-interpreter-v1", List.of("code-interpreter"), 2, 1024, 5120);
  }

  /** E2B's plain base template. */
  public static TemplateSpec base() {
    return new TemplateSpec("base", List.of(), 2, 512, 5120);
  }

  boolean matches(String idOrAlias) {
    return id.equals(idOrAlias) || aliases.contains(idOrAlias);
  }

  /** The alias reported in responses: the first one, or null when there is none. */
  String primaryAlias() {
    return aliases.isEmpty() ? null : aliases.get(0);
  }
}
