package io.neuraltrader.e2b.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  private static final Pattern SCHEMA = Pattern.compile(Durations.PATTERN);

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "90s, PT1M30S",
    "30m, PT30M",
    "8h, PT8H",
    "2d, PT48H",
    "1h30m, PT1H30M",
    "1d2h3m4s5ms, PT26H3M4.005S",
    "0s, PT0S",
    "30m1h, PT1H30M",
    "1500ms, PT1.5S",
    "007s, PT7S",
  })
  void acceptsWhatTheSchemaAccepts(String text, String expected) {
    assertEquals(Duration.parse(expected), Durations.parse(text));
    assertTrue(SCHEMA.matcher(text).matches(), "schema pattern must accept " + text);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", "5", "s", "1.5h", "-5m", "+5m", "5 m", " 5m", "5m ", "5M", "5H", "5sec", "1w", "1y",
    "5us", "5ns", "PT5M", "1h-30m", "h1", "1hh", "30m,1h", "5mss"
  })
  void rejectsWhatTheSchemaRejects(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertEquals("invalid duration '" + text + "': expected e.g. 30s, 5m, 8h, 1h30m", e.getMessage());
    assertFalse(SCHEMA.matcher(text).matches(), "schema pattern must reject " + text);
  }

  @Test
  void nullIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
    assertTrue(e.getMessage().contains("missing value"), e.getMessage());
  }

  @Test
  void overflowIsReportedNotWrapped() {
    String huge = "99999999999999999999d";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(huge));
    assertEquals("invalid duration '" + huge + "': too large", e.getMessage());
    String bigButLong = "9223372036854775807d";
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(bigButLong));
  }

  @Test
  void defaultOnlyForAbsentValues() {
    assertEquals(Duration.ofMinutes(5), Durations.parseOrDefault(null, Duration.ofMinutes(5)));
    assertEquals(Duration.ofMinutes(5), Durations.parseOrDefault("", Duration.ofMinutes(5)));
    assertEquals(Duration.ofHours(8), Durations.parseOrDefault("8h", Duration.ofMinutes(5)));
    assertThrows(IllegalArgumentException.class, () -> Durations.parseOrDefault("8 h", Duration.ZERO));
  }

  @ParameterizedTest
  @CsvSource({"PT0S, 0s", "PT0.5S, 500ms", "PT1H30M, 1h30m", "PT50H0.001S, 2d2h1ms", "PT90S, 1m30s"})
  void formatsShortestAndRoundTrips(String iso, String text) {
    Duration d = Duration.parse(iso);
    assertEquals(text, Durations.format(d));
    assertEquals(d, Durations.parse(Durations.format(d)));
  }

  @Test
  void formatRejectsWhatTheSyntaxCannotSay() {
    assertThrows(IllegalArgumentException.class, () -> Durations.format(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> Durations.format(Duration.ofNanos(1500)));
  }
}
