package io.neuraltrader.e2b.mcp;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.neuraltrader.e2b.agent.AgentValidator;
import io.neuraltrader.e2b.api.v1alpha1.AgentSandboxSource;
import io.neuraltrader.e2b.api.v1alpha1.ApiConstants;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandboxSpec;
import io.neuraltrader.e2b.api.v1alpha1.LocalRef;
import io.neuraltrader.e2b.api.v1alpha1.Strategy;
import io.neuraltrader.e2b.api.v1alpha1.SymbolPair;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgentSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** run_e2b_agent (a TradingAgent) and scale_e2b_deployment (the /scale subresource of an E2BDeployment). */
final class FleetTools {
  static final List<String> AGENT_TYPES = List.of("momentum", "mean_reversion", "arbitrage", "pairs_trading");

  private final McpBackend backend;

  FleetTools(McpBackend backend) {
    this.backend = backend;
  }

  List<Tool> tools() {
    return List.of(
        new Tool("run_e2b_agent", "Starts a paper-trading agent as a TradingAgent resource: the strategy runs in "
            + "a sandbox (an existing one, a pool member, or a new one) on every interval, with state persisted "
            + "and guardrails applied. Returns the agent's name and phase.",
            Schemas.object(List.of("agentType"),
                "agentType", Schemas.enumeration("strategy", AGENT_TYPES),
                "symbols", Schemas.strings("tickers, e.g. AAPL, MSFT (pairs_trading: use pairs)"),
                "pairs", Schemas.strings("pairs_trading: pairs written FIRST,SECOND, e.g. KO,PEP"),
                "strategyParams", Schemas.numberMap("strategy parameters, e.g. lookback, threshold"),
                "sandboxId", Schemas.string("run in this E2B sandbox (an operator-managed E2BSandbox)"),
                "poolRef", Schemas.string("claim a sandbox from this SandboxPool"),
                "capital", Schemas.number("paper capital; default 100000"),
                "interval", Schemas.string("decision cadence, e.g. 60s or 5m; default 60s"),
                "name", Schemas.string("resource name; default generated (mcp-agent-...)"),
                "namespace", Schemas.namespace()),
            Tool.Access.WRITE, this::runAgent),
        new Tool("scale_e2b_deployment", "Scales an E2BDeployment through its /scale subresource, as kubectl scale "
            + "does. autoScale=false (default) pins targetAgents: inside a schedule window it holds until the window "
            + "ends. autoScale=true makes targetAgents the baseline and returns control to the schedules (a manual "
            + "override in force is cleared).",
            Schemas.object(List.of("deploymentId", "targetAgents"),
                "deploymentId", Schemas.string("E2BDeployment name"),
                "targetAgents", Schemas.integer("agents", 1, 100),
                "autoScale", Schemas.bool("true: schedules decide again; default false (pin)"),
                "namespace", Schemas.namespace()),
            Tool.Access.DESTRUCTIVE, this::scale));
  }

  static TradingAgentSpec agentSpec(ToolArgs args) {
    String type = args.requiredString("agentType", 32);
    if (!AGENT_TYPES.contains(type)) {
      throw ToolError.argument("agentType", "must be one of " + String.join(", ", AGENT_TYPES) + "; got '"
          + type + "'");
    }
    TradingAgentSpec spec = new TradingAgentSpec();
    spec.setStrategy(Strategy.valueOf(type));
    List<String> symbols = args.stringList("symbols", 50, 20);
    List<String> pairs = args.stringList("pairs", 25, 41);
    if (!pairs.isEmpty()) {
      List<SymbolPair> list = new ArrayList<>();
      for (String p : pairs) {
        String[] parts = p.split(",", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
          throw ToolError.argument("pairs", "'" + p + "' must be written FIRST,SECOND");
        }
        list.add(new SymbolPair(parts[0].trim(), parts[1].trim()));
      }
      spec.setPairs(list);
    }
    if (!symbols.isEmpty()) {
      spec.setSymbols(symbols);
    }
    Map<String, Double> params = args.numberMap("strategyParams", 32);
    if (!params.isEmpty()) {
      spec.setParameters(new LinkedHashMap<>(params));
    }
    Double capital = args.optionalDouble("capital", 1, 1e12);
    if (capital != null) {
      spec.setCapital(capital);
    }
    String interval = args.optionalString("interval", 32);
    if (interval != null) {
      spec.setInterval(interval);
    }
    List<String> errors = AgentValidator.validate(withPlaceholderSandbox(spec));
    if (!errors.isEmpty()) {
      throw new ToolError("invalid agent: " + String.join("; ", errors)
          .replace("parameters", "strategyParams"));
    }
    return spec;
  }

  /** Validation needs a sandbox source; the real one is decided after the arguments are known to be good. */
  private static TradingAgentSpec withPlaceholderSandbox(TradingAgentSpec spec) {
    if (spec.getSandbox() == null) {
      AgentSandboxSource source = new AgentSandboxSource();
      source.setTemplate(new E2BSandboxSpec());
      spec.setSandbox(source);
      return spec;
    }
    return spec;
  }

  private Map<String, Object> runAgent(Caller caller, ToolArgs args) {
    String ns = args.namespace(caller);
    String name = args.optionalName("name");
    String pool = args.optionalName("poolRef");
    String sandboxId = args.optionalString("sandboxId", 128);
    if (pool != null && sandboxId != null) {
      throw ToolError.argument("poolRef", "give sandboxId or poolRef, not both");
    }
    TradingAgentSpec spec = agentSpec(args);
    AgentSandboxSource source = new AgentSandboxSource();
    if (pool != null) {
      source.setPoolRef(new LocalRef(pool));
    } else if (sandboxId != null) {
      E2BSandbox sb = SandboxTools.findById(backend, ns, sandboxId);
      source.setSandboxRef(new LocalRef(sb.getMetadata().getName()));
    } else {
      source.setTemplate(new E2BSandboxSpec());
    }
    spec.setSandbox(source);
    TradingAgent agent = new TradingAgent();
    ObjectMetaBuilder meta = new ObjectMetaBuilder().withNamespace(ns)
        .withAnnotations(Map.of(SandboxTools.ANNOTATION_CREATED_BY, caller.name()));
    if (name != null) {
      meta.withName(name);
    } else {
      meta.withGenerateName("mcp-agent-");
    }
    agent.setMetadata(meta.build());
    agent.setSpec(spec);
    TradingAgent created = Kube.call("create TradingAgent in " + ns,
        () -> backend.kube().resources(TradingAgent.class).inNamespace(ns).resource(agent).create());
    return Results.agent(created);
  }

  private Map<String, Object> scale(Caller caller, ToolArgs args) {
    String ns = args.namespace(caller);
    String name = args.requiredName("deploymentId");
    Integer target = args.optionalInt("targetAgents", 1, 100);
    if (target == null) {
      throw ToolError.argument("targetAgents", "is required");
    }
    boolean auto = args.bool("autoScale", false);
    var resource = backend.kube().resources(E2BDeployment.class).inNamespace(ns).withName(name);
    E2BDeployment before = Kube.call("get E2BDeployment " + ns + "/" + name, resource::get);
    if (before == null) {
      throw ToolError.argument("deploymentId", "no E2BDeployment " + ns + "/" + name);
    }
    Integer max = before.getSpec().getScaling() == null ? null : before.getSpec().getScaling().getMaxReplicas();
    if (max != null && target > max) {
      throw ToolError.argument("targetAgents", target + " exceeds the deployment's scaling.maxReplicas " + max);
    }
    Kube.call("scale E2BDeployment " + ns + "/" + name, () -> resource.scale(target));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("deploymentId", name);
    out.put("namespace", ns);
    out.put("targetAgents", target);
    out.put("previousReplicas", before.getSpec().getReplicas());
    out.put("autoScale", auto);
    E2BDeployment seen = awaitSeen(resource, target);
    if (auto && seen != null && seen.getStatus() != null && seen.getStatus().getManualOverride() != null) {
      seen = resumeSchedules(resource, seen);
    }
    E2BDeployment now = Kube.call("get E2BDeployment " + ns + "/" + name, resource::get);
    out.put("deployment", Results.deployment(now == null ? before : now));
    out.put("mode", auto ? "schedules decide; targetAgents is the baseline outside schedule windows"
        : "pinned like kubectl scale; inside a schedule window it holds until the window ends");
    if (seen == null) {
      out.put("message", "the operator has not yet observed the new replica count");
    }
    return out;
  }

  /** The deployment once its reconciler has taken in the new spec.replicas (null after the bound). */
  private static E2BDeployment awaitSeen(
      io.fabric8.kubernetes.client.dsl.Resource<E2BDeployment> resource, int target) {
    try {
      return resource.waitUntilCondition(d -> d != null && d.getStatus() != null
          && Objects.equals(d.getStatus().getLastSeenSpecReplicas(), target), 30, TimeUnit.SECONDS);
    } catch (KubernetesClientTimeoutException e) {
      return null;
    }
  }

  /**
   * Lifts the override the scale created: a new value of the resume-schedules annotation (a metadata patch:
   * the status is the reconciler's alone), then the deployment once its reconciler dropped the override (the
   * annotated one after the bound).
   */
  private E2BDeployment resumeSchedules(io.fabric8.kubernetes.client.dsl.Resource<E2BDeployment> resource,
      E2BDeployment seen) {
    String value = backend.clock().instant().toString();
    // A merge patch of the one annotation, without a resourceVersion: the reconciler's status writes
    // in between are no conflict.
    String patch = Serialization.asJson(Map.of("metadata", Map.of("annotations",
        Map.of(ApiConstants.ANNOTATION_RESUME_SCHEDULES, value))));
    Kube.call("annotate E2BDeployment " + seen.getMetadata().getName(),
        () -> resource.patch(PatchContext.of(PatchType.JSON_MERGE), patch));
    try {
      return resource.waitUntilCondition(d -> d == null || d.getStatus() == null
          || d.getStatus().getManualOverride() == null
          || value.equals(d.getStatus().getManualOverride().getResumeSchedules()), 30, TimeUnit.SECONDS);
    } catch (KubernetesClientTimeoutException e) {
      return resource.get();
    }
  }
}
