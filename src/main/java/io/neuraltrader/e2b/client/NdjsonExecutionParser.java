package io.neuraltrader.e2b.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okio.BufferedSource;

/** Reads an /execute stream line by line as it arrives, notifying the listener and aggregating. */
final class NdjsonExecutionParser {
  private static final TypeReference<Object> ANY = new TypeReference<>() { };

  private final ObjectMapper json;
  private final ExecutionListener listener;
  private final Operation operation;
  private final List<String> stdout = new ArrayList<>();
  private final List<String> stderr = new ArrayList<>();
  private final List<RichResult> results = new ArrayList<>();
  private ExecutionError error;
  private Integer executionCount;

  NdjsonExecutionParser(ObjectMapper json, ExecutionListener listener, Operation operation) {
    this.json = json;
    this.listener = listener;
    this.operation = operation;
  }

  /** Consumes the stream up to end_of_execution; a stream that ends earlier is broken. */
  ExecutionResult read(BufferedSource source) throws IOException {
    String line;
    while ((line = source.readUtf8Line()) != null) {
      if (accept(line)) {
        return new ExecutionResult(stdout, stderr, results, error, executionCount);
      }
    }
    throw new ExecutionStreamBrokenException(ErrorDetails.noAnswer(operation,
        "execution stream closed before end_of_execution"), null);
  }

  /** Handles one line; true when it was end_of_execution. */
  boolean accept(String line) {
    if (line.isBlank()) {
      return false;
    }
    JsonNode m;
    try {
      m = json.readTree(line);
    } catch (IOException e) {
      throw new ExecutionStreamBrokenException(ErrorDetails.noAnswer(operation,
          "unreadable execution message"), null);
    }
    String type = m.path("type").asText("");
    switch (type) {
      case "stdout" -> {
        OutputMessage o = output(m, false);
        stdout.add(o.text());
        listener.onStdout(o);
      }
      case "stderr" -> {
        OutputMessage o = output(m, true);
        stderr.add(o.text());
        listener.onStderr(o);
      }
      case "result" -> {
        RichResult r = result(m);
        results.add(r);
        listener.onResult(r);
      }
      case "error" -> {
        error = new ExecutionError(text(m, "name"), text(m, "value"), text(m, "traceback"));
        listener.onError(error);
      }
      case "number_of_executions" -> {
        executionCount = m.path("execution_count").asInt();
        listener.onExecutionCount(executionCount);
      }
      case "keepalive" -> listener.onKeepalive();
      case "end_of_execution" -> {
        return true;
      }
      default -> {
        // Message types added by newer interpreters are skipped, not fatal.
      }
    }
    return false;
  }

  private static OutputMessage output(JsonNode m, boolean isErr) {
    return new OutputMessage(text(m, "text"), timestamp(m.get("timestamp")), isErr);
  }

  /** The code interpreter's ISO-8601 date-time (Jupyter's message date, e.g. 2026-03-02T14:00:00.123456+00:00). */
  static Instant timestamp(JsonNode value) {
    if (value == null || !value.isTextual()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.textValue()).toInstant();
    } catch (DateTimeParseException notOffset) {
      try {
        return LocalDateTime.parse(value.textValue()).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException unreadable) {
        return null;
      }
    }
  }

  private RichResult result(JsonNode m) {
    Map<String, Object> formats = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = m.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (!f.getKey().equals("type") && !f.getKey().equals("is_main_result") && !f.getValue().isNull()) {
        formats.put(f.getKey(), json.convertValue(f.getValue(), ANY));
      }
    }
    return new RichResult(m.path("is_main_result").asBoolean(false), formats);
  }

  private static String text(JsonNode m, String field) {
    JsonNode v = m.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
