package io.neuraltrader.e2b.mcp;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.ClaimRef;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.EnvVar;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPhase;
import io.neuraltrader.e2b.api.v1alpha1.SandboxResources;
import io.neuraltrader.e2b.client.SourceLiteral;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** create / list / status / terminate of E2BSandbox resources. */
final class SandboxTools {
  /** Annotation naming the MCP caller that created a resource (the token's name, never the token). */
  static final String ANNOTATION_CREATED_BY = ApiConstants.GROUP + "/mcp-caller";
  static final String CLAIM_KIND = "McpClient";

  private final McpBackend backend;

  SandboxTools(McpBackend backend) {
    this.backend = backend;
  }

  List<Tool> tools() {
    return List.of(
        new Tool("create_e2b_sandbox", "Creates an E2B sandbox as an E2BSandbox resource (idempotent create, "
            + "keep-alive, idle cleanup, verified termination) and waits until it is Ready or the wait bound "
            + "passes. fromPool claims a warm member of a SandboxPool instead (no E2B call).",
            Schemas.object(List.of(),
                "template", Schemas.string("E2B template ID or alias; default code-interpreter-v1"),
                "timeout", Schemas.integer("lifetime of the sandbox in seconds; default 3600", 30, 604800),
                "memoryMb", Schemas.integer("minimum memory (MB) the template must provide", 128, 65536),
                "cpuCount", Schemas.integer("minimum vCPUs the template must provide", 1, 64),
                "env_vars", Schemas.stringMap("environment of the sandbox"),
                "fromPool", Schemas.string("name of a SandboxPool: claim one of its warm members"),
                "name", Schemas.string("resource name; default generated (mcp-sandbox-...)"),
                "wait", Schemas.integer("seconds to wait for Ready; default 60", 0, 600),
                "namespace", Schemas.namespace()),
            Tool.Access.WRITE, this::create),
        new Tool("list_e2b_sandboxes", "Lists E2BSandbox resources with phase, ids, uptime, usage, executions, "
            + "last activity, health and cost from their status.",
            Schemas.object(List.of(),
                "filter", Schemas.enumeration("which sandboxes; default all", List.of("all", "running", "paused",
                    "failed")),
                "labels", Schemas.stringMap("label selector: every pair must match"),
                "namespace", Schemas.namespace()),
            Tool.Access.READ, this::list),
        new Tool("get_e2b_sandbox_status", "Status of one sandbox (by E2B sandboxId or resource name): phase, "
            + "uptime, usage, executionCount, lastActivity, health, cost.",
            Schemas.object(List.of(),
                "sandboxId", Schemas.string("E2B sandbox ID"),
                "name", Schemas.string("E2BSandbox resource name"),
                "namespace", Schemas.namespace()),
            Tool.Access.READ, this::status),
        new Tool("terminate_e2b_sandbox", "Deletes a sandbox's resource and returns once the operator's finalizer "
            + "verified the E2B sandbox gone (or the wait bound passed).",
            Schemas.object(List.of(),
                "sandboxId", Schemas.string("E2B sandbox ID"),
                "name", Schemas.string("E2BSandbox resource name"),
                "wait", Schemas.integer("seconds to wait for the verified deletion; default 120", 0, 600),
                "namespace", Schemas.namespace()),
            Tool.Access.DESTRUCTIVE, this::terminate));
  }

  private Map<String, Object> create(Caller caller, ToolArgs args) {
    String ns = args.namespace(caller);
    int wait = args.integer("wait", 60, 0, 600);
    String pool = args.optionalName("fromPool");
    String name = args.optionalName("name");
    if (pool != null) {
      for (String other : List.of("template", "timeout", "memoryMb", "cpuCount", "env_vars", "name")) {
        if (args.has(other)) {
          throw ToolError.argument(other, "cannot be combined with fromPool (the pool's template decides)");
        }
      }
      return claim(caller, ns, pool, wait);
    }
    E2BSandboxSpec spec = new E2BSandboxSpec();
    String template = args.optionalString("template", 128);
    if (template != null) {
      if (!template.matches("^[a-zA-Z0-9][a-zA-Z0-9_.:/-]{0,127}$")) {
        throw ToolError.argument("template", "'" + template + "' is not an E2B template ID or alias");
      }
      spec.setTemplate(template);
    }
    spec.setLifetime(args.integer("timeout", 3600, 30, 604800) + "s");
    Integer memory = args.optionalInt("memoryMb", 128, 65536);
    Integer cpu = args.optionalInt("cpuCount", 1, 64);
    if (memory != null || cpu != null) {
      SandboxResources r = new SandboxResources();
      r.setMemoryMB(memory);
      r.setCpuCount(cpu);
      spec.setResources(r);
    }
    Map<String, String> env = args.stringMap("env_vars", 128, 4096);
    try {
      SourceLiteral.checkEnvVars(env);
    } catch (IllegalArgumentException e) {
      throw ToolError.argument("env_vars", e.getMessage());
    }
    if (!env.isEmpty()) {
      List<EnvVar> vars = new ArrayList<>();
      env.forEach((k, v) -> {
        EnvVar var = new EnvVar();
        var.setName(k);
        var.setValue(v);
        vars.add(var);
      });
      spec.setEnvVars(vars);
    }
    E2BSandbox sandbox = new E2BSandbox();
    ObjectMetaBuilder meta = new ObjectMetaBuilder().withNamespace(ns)
        .withAnnotations(Map.of(ANNOTATION_CREATED_BY, caller.name()));
    if (name != null) {
      meta.withName(name);
    } else {
      meta.withGenerateName("mcp-sandbox-");
    }
    sandbox.setMetadata(meta.build());
    sandbox.setSpec(spec);
    E2BSandbox created = Kube.call("create E2BSandbox in " + ns,
        () -> backend.kube().resources(E2BSandbox.class).inNamespace(ns).resource(sandbox).create());
    return awaitReady(created, wait, false);
  }

  /** One optimistic-lock update binding a warm, Running member to this caller; the pool refills behind it. */
  private Map<String, Object> claim(Caller caller, String ns, String pool, int wait) {
    if (backend.kube().resources(io.neuraltrader.e2b.api.v1alpha1.SandboxPool.class).inNamespace(ns)
        .withName(pool).get() == null) {
      throw ToolError.argument("fromPool", "no SandboxPool " + ns + "/" + pool);
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      List<E2BSandbox> warm = backend.kube().resources(E2BSandbox.class).inNamespace(ns)
          .withLabel(ApiConstants.LABEL_POOL, pool)
          .withLabel(ApiConstants.LABEL_POOL_STATE, ApiConstants.POOL_STATE_WARM).list().getItems().stream()
          .filter(m -> m.getSpec().getClaimRef() == null && m.getMetadata().getDeletionTimestamp() == null
              && m.getStatus() != null && m.getStatus().getPhase() == SandboxPhase.Running)
          .sorted(Comparator.comparing(m -> m.getMetadata().getName())).toList();
      if (warm.isEmpty()) {
        throw new ToolError("SandboxPool " + ns + "/" + pool + " has no warm Running member right now; "
            + "try again shortly or create a sandbox without fromPool");
      }
      E2BSandbox member = warm.get(Math.floorMod(UUID.randomUUID().hashCode(), warm.size()));
      member.getSpec().setClaimRef(new ClaimRef(CLAIM_KIND, claimerName(caller), "mcp-" + UUID.randomUUID(),
          backend.clock().instant().toString()));
      member.getMetadata().getLabels().put(ApiConstants.LABEL_POOL_STATE, ApiConstants.POOL_STATE_CLAIMED);
      Map<String, String> annotations = new LinkedHashMap<>();
      if (member.getMetadata().getAnnotations() != null) {
        annotations.putAll(member.getMetadata().getAnnotations());
      }
      annotations.put(ANNOTATION_CREATED_BY, caller.name());
      member.getMetadata().setAnnotations(annotations);
      try {
        // update() sends the listed resourceVersion: a member someone else claimed first answers 409.
        E2BSandbox bound = backend.kube().resource(member).update();
        return awaitReady(bound, wait, true);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 && e.getCode() != 404) {
          throw Kube.refused("claim a member of SandboxPool " + ns + "/" + pool, e);
        }
      }
    }
    throw new ToolError("SandboxPool " + ns + "/" + pool + ": every warm member was claimed by others first");
  }

  private static String claimerName(Caller caller) {
    String n = caller.name().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-.]", "-");
    n = n.replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
    return n.isEmpty() ? "mcp" : n;
  }

  private Map<String, Object> awaitReady(E2BSandbox sandbox, int waitSeconds, boolean claimed) {
    E2BSandbox latest = sandbox;
    boolean timedOut = false;
    if (waitSeconds > 0) {
      try {
        latest = backend.kube().resource(sandbox).waitUntilCondition(s -> s == null || settled(s), waitSeconds,
            TimeUnit.SECONDS);
      } catch (KubernetesClientTimeoutException e) {
        timedOut = true;
        latest = backend.kube().resource(sandbox).get();
      }
    }
    if (latest == null) {
      throw new ToolError("E2BSandbox " + sandbox.getMetadata().getNamespace() + "/"
          + sandbox.getMetadata().getName() + " was deleted while starting");
    }
    Map<String, Object> out = Results.sandbox(latest, backend.clock().instant());
    out.put("fromPool", claimed);
    if (timedOut) {
      out.put("message", "not Ready after " + waitSeconds + "s; the operator keeps creating it: poll "
          + "get_e2b_sandbox_status");
    }
    return out;
  }

  private static boolean settled(E2BSandbox s) {
    if (s.getStatus() == null) {
      return false;
    }
    SandboxPhase p = s.getStatus().getPhase();
    return Results.conditionTrue(s.getStatus().getConditions(), "Ready") || p == SandboxPhase.Failed
        || p == SandboxPhase.Expired;
  }

  private Map<String, Object> list(Caller caller, ToolArgs args) {
    String ns = args.namespace(caller);
    String filter = args.optionalString("filter", 16);
    filter = filter == null ? "all" : filter;
    if (!List.of("all", "running", "paused", "failed").contains(filter)) {
      throw ToolError.argument("filter", "must be one of all, running, paused, failed; got '" + filter + "'");
    }
    Map<String, String> labels = args.stringMap("labels", 16, 63);
    var op = backend.kube().resources(E2BSandbox.class).inNamespace(ns);
    List<E2BSandbox> items = Kube.call("list E2BSandboxes in " + ns,
        () -> labels.isEmpty() ? op.list().getItems() : op.withLabels(labels).list().getItems());
    Instant now = backend.clock().instant();
    String f = filter;
    List<Map<String, Object>> out = items.stream().filter(s -> matches(s, f))
        .sorted(Comparator.comparing(s -> s.getMetadata().getName()))
        .map(s -> Results.sandbox(s, now)).toList();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("namespace", ns);
    result.put("filter", filter);
    result.put("count", out.size());
    result.put("sandboxes", out);
    return result;
  }

  private static boolean matches(E2BSandbox s, String filter) {
    SandboxPhase p = s.getStatus() == null ? null : s.getStatus().getPhase();
    return switch (filter) {
      case "running" -> p == SandboxPhase.Running;
      case "paused" -> p == SandboxPhase.Paused;
      case "failed" -> p == SandboxPhase.Failed || p == SandboxPhase.Expired;
      default -> true;
    };
  }

  private Map<String, Object> status(Caller caller, ToolArgs args) {
    String ns = args.namespace(caller);
    return Results.sandbox(find(backend, ns, args), backend.clock().instant());
  }

  private Map<String, Object> terminate(Caller caller, ToolArgs args) {
    String ns = args.namespace(caller);
    int wait = args.integer("wait", 120, 0, 600);
    E2BSandbox sandbox = find(backend, ns, args);
    String name = sandbox.getMetadata().getName();
    Kube.call("delete E2BSandbox " + ns + "/" + name,
        () -> backend.kube().resources(E2BSandbox.class).inNamespace(ns).withName(name).delete());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name);
    out.put("namespace", ns);
    Results.put(out, "sandboxId", sandbox.getStatus() == null ? null : sandbox.getStatus().getSandboxID());
    boolean gone;
    try {
      // Gone, or replaced by a new object of the same name: the finalizer ran for the one deleted here.
      backend.kube().resources(E2BSandbox.class).inNamespace(ns).withName(name)
          .waitUntilCondition(s -> s == null || !s.getMetadata().getUid().equals(sandbox.getMetadata().getUid()),
              Math.max(wait, 1), TimeUnit.SECONDS);
      gone = true;
    } catch (KubernetesClientTimeoutException e) {
      gone = false;
    }
    out.put("terminated", gone);
    if (gone) {
      out.put("phase", "Deleted");
      out.put("message", "the operator's finalizer killed the E2B sandbox and verified it gone");
    } else {
      E2BSandbox now = backend.kube().resources(E2BSandbox.class).inNamespace(ns).withName(name).get();
      out.put("phase", now == null || now.getStatus() == null || now.getStatus().getPhase() == null ? "Terminating"
          : now.getStatus().getPhase().name());
      out.put("message", "deletion requested; not verified gone within " + wait + "s, the operator keeps trying");
    }
    return out;
  }

  /** The sandbox named by {@code name} or {@code sandboxId} (exactly one of them). */
  static E2BSandbox find(McpBackend backend, String ns, ToolArgs args) {
    String name = args.optionalName("name");
    String id = args.optionalString("sandboxId", 128);
    if (name == null && (id == null || id.isBlank())) {
      throw ToolError.argument("sandboxId", "give sandboxId or name");
    }
    if (name != null && id != null) {
      throw ToolError.argument("sandboxId", "give sandboxId or name, not both");
    }
    if (name != null) {
      E2BSandbox sb = Kube.call("get E2BSandbox " + ns + "/" + name,
          () -> backend.kube().resources(E2BSandbox.class).inNamespace(ns).withName(name).get());
      if (sb == null) {
        throw ToolError.argument("name", "no E2BSandbox " + ns + "/" + name);
      }
      return sb;
    }
    return findById(backend, ns, id);
  }

  static E2BSandbox findById(McpBackend backend, String ns, String id) {
    return Kube.call("list E2BSandboxes in " + ns,
        () -> backend.kube().resources(E2BSandbox.class).inNamespace(ns).list().getItems()).stream()
        .filter(s -> s.getStatus() != null && id.equals(s.getStatus().getSandboxID())).findFirst()
        .orElseThrow(() -> ToolError.argument("sandboxId", "no E2BSandbox in " + ns + " has sandbox " + id));
  }
}
