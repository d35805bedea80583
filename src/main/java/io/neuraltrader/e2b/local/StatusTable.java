package io.neuraltrader.e2b.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.neuraltrader.e2b.api.v1alpha1.PrinterColumns;
import io.neuraltrader.e2b.reconcile.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Renders the four kinds like {@code kubectl get}, from the same printer columns the CRDs declare. Local mode
 * prints it every few seconds, since kubectl cannot talk to the in-memory API.
 */
public final class StatusTable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StatusTable() {}

  public static String render(KubernetesClient client, Instant now) {
    StringBuilder out = new StringBuilder();
    for (Class<? extends HasMetadata> kind : InMemoryKubernetes.KINDS) {
      List<? extends HasMetadata> items = new ArrayList<>(client.resources(kind).inAnyNamespace().list().getItems());
      if (items.isEmpty()) {
        continue;
      }
      items.sort(Comparator.comparing((HasMetadata r) -> r.getMetadata().getNamespace())
          .thenComparing(r -> r.getMetadata().getName()));
      List<PrinterColumns.Column> columns = PrinterColumns.BY_KIND.get(kind.getSimpleName());
      List<List<String>> rows = new ArrayList<>();
      List<String> header = new ArrayList<>();
      header.add(kind.getSimpleName().toUpperCase(Locale.ROOT));
      columns.forEach(c -> header.add(c.name().toUpperCase(Locale.ROOT)));
      rows.add(header);
      for (HasMetadata item : items) {
        JsonNode node = MAPPER.valueToTree(item);
        List<String> row = new ArrayList<>();
        row.add(item.getMetadata().getName());
        for (PrinterColumns.Column column : columns) {
          row.add(cell(node, column, now));
        }
        rows.add(row);
      }
      out.append(format(rows)).append('\n');
      if (kind == io.neuraltrader.e2b.api.v1alpha1.TradingAgent.class) {
        out.append(signals(items));
      }
    }
    return out.toString();
  }

  /** The latest signals of each agent, one line per agent: what the strategies decided on the last tick. */
  private static String signals(List<? extends HasMetadata> agents) {
    StringBuilder out = new StringBuilder();
    for (HasMetadata item : agents) {
      var agent = (io.neuraltrader.e2b.api.v1alpha1.TradingAgent) item;
      if (agent.getStatus() == null || agent.getStatus().getSignals() == null
          || agent.getStatus().getSignals().isEmpty()) {
        continue;
      }
      out.append("signals ").append(agent.getMetadata().getName()).append(':');
      agent.getStatus().getSignals().forEach(sig -> out.append(String.format(Locale.ROOT, "  %s %s %.2f @ %.2f",
          sig.getSymbol(), sig.getAction(), sig.getStrength() == null ? 0 : sig.getStrength(),
          sig.getPrice() == null ? 0 : sig.getPrice())));
      out.append('\n');
    }
    return out.length() == 0 ? "" : out.append('\n').toString();
  }

  private static String cell(JsonNode node, PrinterColumns.Column column, Instant now) {
    JsonNode value = node;
    for (String part : column.jsonPath().substring(1).split("\\.")) {
      value = value.path(part);
    }
    if (value.isMissingNode() || value.isNull()) {
      return column.name().equals("Age") ? "-" : "";
    }
    if (column.type().equals("date")) {
      Instant at = Times.parse(value.asText());
      if (column.name().equals("Age")) {
        // creationTimestamp is set by the in-memory API in real time.
        return at == null ? "-" : age(Duration.between(at, Instant.now()));
      }
      return at == null ? value.asText() : value.asText();
    }
    if (column.type().equals("number")) {
      return String.format(Locale.ROOT, "%.2f", value.asDouble());
    }
    return value.asText();
  }

  static String age(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return (s / 60) + "m";
    }
    return (s / 3600) + "h";
  }

  private static String format(List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        out.append(i == columns - 1 ? row.get(i) : String.format("%-" + (widths[i] + 3) + "s", row.get(i)));
      }
      out.append('\n');
    }
    return out.toString();
  }
}
