package io.neuraltrader.e2b.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.neuraltrader.e2b.api.v1alpha1.E2BDeployment;
import io.neuraltrader.e2b.api.v1alpha1.E2BSandbox;
import io.neuraltrader.e2b.api.v1alpha1.PrinterColumns;
import io.neuraltrader.e2b.api.v1alpha1.SandboxPool;
import io.neuraltrader.e2b.api.v1alpha1.TradingAgent;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Renders the four kinds like {@code kubectl get}, from the printer columns the CRDs declare, plus a REASON
 * column: for anything not Ready (or Degraded, or held by a guardrail or a limit) the reason of the condition
 * that says why, and its message. Narrow (the default) fits a width: the columns {@code kubectl get} shows, the
 * messages on lines of their own under the table ({@code why <name>: ...}), cut to the width. Wide adds the
 * {@code -o wide} columns and a MESSAGE column, and cuts nothing. Times are shown in one zone, on the simulated
 * clock.
 */
public final class StatusTable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String SEPARATOR = "  ";
  /** Names are shortened to no less than this to make a row fit. */
  private static final int MIN_NAME = 24;
  /** Top-down: what a person changes first, the sandboxes underneath last. */
  static final List<Class<? extends HasMetadata>> ORDER =
      List.of(E2BDeployment.class, TradingAgent.class, SandboxPool.class, E2BSandbox.class);
  /** Conditions that report a problem when True; every other condition reports one when False. */
  private static final Set<String> PROBLEM_WHEN_TRUE =
      Set.of("Degraded", "GuardrailTripped", "ScalingLimited", "CapacityHeld", "Anomalous", "SandboxRemediation");
  /** Conditions that are no problem either way (Progressing=False means done). */
  private static final Set<String> NEUTRAL = Set.of("Progressing");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT);

  private StatusTable() {}

  /**
   * How to render: {@code now} on the simulated clock, the zone times are shown in, the width to fit (narrow),
   * and how a real timestamp of the API (creationTimestamp) maps to the simulated clock.
   */
  public record View(Instant now, ZoneId zone, int width, boolean wide, UnaryOperator<Instant> simulated) {
    public static View of(SimulatedClock clock, ZoneId zone, int width, boolean wide) {
      return new View(clock.instant(), zone, width, wide, clock::toSimulated);
    }
  }

  public static String render(KubernetesClient client, View view) {
    Map<Class<? extends HasMetadata>, List<? extends HasMetadata>> resources = new LinkedHashMap<>();
    for (Class<? extends HasMetadata> kind : ORDER) {
      resources.put(kind, client.resources(kind).inAnyNamespace().list().getItems());
    }
    return render(resources, view);
  }

  /** The tables of the given resources, one per kind that has any, in {@link #ORDER}. */
  static String render(Map<Class<? extends HasMetadata>, List<? extends HasMetadata>> resources, View view) {
    boolean namespaced = resources.values().stream().flatMap(List::stream)
        .map(r -> r.getMetadata().getNamespace()).distinct().count() > 1;
    StringBuilder out = new StringBuilder();
    for (Class<? extends HasMetadata> kind : ORDER) {
      List<HasMetadata> items = new ArrayList<>(resources.getOrDefault(kind, List.of()));
      if (items.isEmpty()) {
        continue;
      }
      items.sort(Comparator.comparing((HasMetadata r) -> r.getMetadata().getNamespace())
          .thenComparing(r -> r.getMetadata().getName()));
      List<PrinterColumns.Column> columns = PrinterColumns.BY_KIND.get(kind.getSimpleName()).stream()
          .filter(c -> view.wide() || c.priority() == 0).toList();
      List<List<String>> rows = new ArrayList<>();
      List<String> header = new ArrayList<>();
      header.add(kind.getSimpleName().toUpperCase(Locale.ROOT));
      columns.forEach(c -> header.add(c.name().toUpperCase(Locale.ROOT)));
      header.add("REASON");
      if (view.wide()) {
        header.add("MESSAGE");
      }
      rows.add(header);
      StringBuilder why = new StringBuilder();
      for (HasMetadata item : items) {
        JsonNode node = MAPPER.valueToTree(item);
        List<String> row = new ArrayList<>();
        row.add(namespaced ? item.getMetadata().getNamespace() + "/" + item.getMetadata().getName()
            : item.getMetadata().getName());
        for (PrinterColumns.Column column : columns) {
          row.add(cell(node, column, view));
        }
        Why problem = reason(node.path("status").path("conditions"));
        row.add(problem == null ? "" : problem.reason());
        if (view.wide()) {
          row.add(problem == null ? "" : problem.message());
        } else if (problem != null && !problem.message().isEmpty()) {
          why.append(cut("why " + row.get(0) + ": " + problem.message(), view.width())).append('\n');
        }
        rows.add(row);
      }
      out.append(format(rows, view)).append(why).append('\n');
      if (kind == TradingAgent.class) {
        out.append(signals(items, view));
      }
    }
    return out.toString();
  }

  /** The reason and message of a condition that reports a problem. */
  record Why(String reason, String message) {}

  /**
   * Why a resource is not as wanted: the first condition reporting a problem, the specific ones (SandboxReady,
   * Healthy, Degraded, ...) before the Ready summary; null when none does.
   */
  static Why reason(JsonNode conditions) {
    JsonNode ready = null;
    for (JsonNode condition : conditions) {
      String type = condition.path("type").asText();
      String status = condition.path("status").asText();
      boolean problem = !NEUTRAL.contains(type)
          && (PROBLEM_WHEN_TRUE.contains(type) ? "True".equals(status) : "False".equals(status));
      if (!problem) {
        continue;
      }
      if (type.equals("Ready")) {
        ready = condition;
      } else {
        return describe(condition);
      }
    }
    return ready == null ? null : describe(ready);
  }

  private static Why describe(JsonNode condition) {
    return new Why(condition.path("reason").asText(""),
        ManifestLoader.oneLine(condition.path("message").asText("")));
  }

  /** The latest signals of each agent, one line per agent: what the strategies decided on the last tick. */
  private static String signals(List<HasMetadata> agents, View view) {
    StringBuilder out = new StringBuilder();
    for (HasMetadata item : agents) {
      var agent = (TradingAgent) item;
      if (agent.getStatus() == null || agent.getStatus().getSignals() == null
          || agent.getStatus().getSignals().isEmpty()) {
        continue;
      }
      StringBuilder line = new StringBuilder("signals ").append(agent.getMetadata().getName()).append(':');
      agent.getStatus().getSignals().forEach(sig -> line.append(String.format(Locale.ROOT, "  %s %s %.2f @ %.2f",
          sig.getSymbol(), sig.getAction(), sig.getStrength() == null ? 0 : sig.getStrength(),
          sig.getPrice() == null ? 0 : sig.getPrice())));
      out.append(view.wide() ? line.toString() : cut(line.toString(), view.width())).append('\n');
    }
    return out.length() == 0 ? "" : out.append('\n').toString();
  }

  private static String cell(JsonNode node, PrinterColumns.Column column, View view) {
    JsonNode value = node;
    for (String part : column.jsonPath().substring(1).split("\\.")) {
      value = value.path(part);
    }
    if (value.isMissingNode() || value.isNull()) {
      return column.name().equals("Age") ? "-" : "";
    }
    if (column.name().equals("Age")) {
      // creationTimestamp is written by the in-memory API in real time.
      Instant created = Times.parse(value.asText());
      return created == null ? "-" : age(Duration.between(view.simulated().apply(created), view.now()));
    }
    if (column.type().equals("number")) {
      return String.format(Locale.ROOT, "%.2f", value.asDouble());
    }
    if (column.type().equals("date") || column.type().equals("string")) {
      // Timestamps (Last-Run, Expires, Next) in the display zone; any other string as it is.
      Instant at = value.isTextual() && value.asText().matches("\\d{4}-\\d\\d-\\d\\dT.*") ? Times.parse(value.asText())
          : null;
      return at == null ? value.asText() : time(at, view);
    }
    return value.asText();
  }

  /** A time of day in the view's zone, with the date when it is not today's. */
  static String time(Instant at, View view) {
    ZonedDateTime local = at.atZone(view.zone());
    boolean today = local.toLocalDate().equals(view.now().atZone(view.zone()).toLocalDate());
    return (today ? TIME : DAY_TIME).format(local);
  }

  static String age(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return (s / 60) + "m";
    }
    if (s < 172_800) {
      return (s / 3600) + "h";
    }
    return (s / 86_400) + "d";
  }

  /** Aligned columns, the REASON (and MESSAGE) columns only when a row has a reason; narrow, cut to the width. */
  private static String format(List<List<String>> rows, View view) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    int reasons = view.wide() ? 2 : 1;
    boolean anyReason = rows.stream().skip(1).anyMatch(r -> !r.get(columns - reasons).isEmpty());
    int last = anyReason ? columns : columns - reasons;
    if (!view.wide()) {
      // Too wide: long names give up their middle first (their ends tell pool members apart), then the line is cut.
      int total = 0;
      for (int i = 0; i < last; i++) {
        total += widths[i] + (i == last - 1 ? 0 : SEPARATOR.length());
      }
      int overflow = total - view.width();
      if (overflow > 0) {
        widths[0] = Math.max(Math.min(widths[0], MIN_NAME), widths[0] - overflow);
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < last; i++) {
        String text = i == 0 ? shorten(row.get(0), widths[0]) : row.get(i);
        line.append(i == last - 1 ? text : pad(text, widths[i]) + SEPARATOR);
      }
      String text = line.toString().stripTrailing();
      out.append(view.wide() ? text : cut(text, view.width())).append('\n');
    }
    return out.toString();
  }

  /** A name cut in its middle to {@code width} characters. */
  static String shorten(String name, int width) {
    if (name.length() <= width) {
      return name;
    }
    int head = (width - 2) / 2;
    int tail = width - 2 - head;
    return name.substring(0, head) + ".." + name.substring(name.length() - tail);
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }

  /** Cuts a line to {@code width} characters, marking the cut. */
  static String cut(String line, int width) {
    return line.length() <= width ? line : line.substring(0, Math.max(0, width - 3)) + "...";
  }
}
