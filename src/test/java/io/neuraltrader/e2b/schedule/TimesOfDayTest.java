package io.neuraltrader.e2b.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalTime;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimesOfDayTest {

  private static final Pattern SCHEMA = Pattern.compile(TimesOfDay.PATTERN);

  @ParameterizedTest
  @CsvSource({"00:00, 0, 0", "09:30, 9, 30", "13:05, 13, 5", "19:59, 19, 59", "23:59, 23, 59"})
  void parsesValidTimes(String text, int hour, int minute) {
    assertEquals(LocalTime.of(hour, minute), TimesOfDay.parse(text));
    assertEquals(text, TimesOfDay.format(TimesOfDay.parse(text)));
    assertTrue(SCHEMA.matcher(text).matches());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", "9:30", "09:3", "24:00", "23:60", "09:30:00", "0930", "09.30", " 09:30", "09:30 ", "ab:cd", "-1:00"
  })
  void rejectsInvalidTimes(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimesOfDay.parse(text));
    assertTrue(e.getMessage().startsWith("invalid time of day '" + text + "'"), e.getMessage());
    assertFalse(SCHEMA.matcher(text).matches());
  }
}
