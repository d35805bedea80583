package io.neuraltrader.e2b.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * Local mode's logging: everything into one file (logback-local.xml), so the terminal keeps the status screen.
 * Must run before the first logger is created; java.util.logging (the in-memory API's mock server uses it) is
 * sent to the same file.
 */
public final class LocalLogging {
  private static final java.util.logging.Formatter FORMAT = new java.util.logging.SimpleFormatter();

  private LocalLogging() {}

  /**
   * Logs to {@code file} (created with its directory); with {@code alsoStderr}, warnings and errors go to stderr
   * too (no terminal: CI keeps them in its output). Returns the file, or null when it cannot be created (logs then
   * stay on stderr, as in cluster mode).
   */
  public static Path toFile(Path file, boolean alsoStderr) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.deleteIfExists(file);
      Files.createFile(file);
    } catch (IOException e) {
      return null;
    }
    System.setProperty("e2b.local.logFile", file.toString());
    System.setProperty("e2b.local.stderrLevel", alsoStderr ? "WARN" : "OFF");
    System.setProperty("logback.configurationFile", "logback-local.xml");
    routeJulToSlf4j();
    return file;
  }

  /** java.util.logging's console handler would write between the screen's lines. */
  private static void routeJulToSlf4j() {
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    root.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (!isLoggable(record)) {
          return;
        }
        var logger = LoggerFactory.getLogger(record.getLoggerName() == null ? "jul" : record.getLoggerName());
        String message = FORMAT.formatMessage(record);
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
          logger.error(message, record.getThrown());
        } else if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
          logger.warn(message, record.getThrown());
        } else {
          logger.info(message, record.getThrown());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
  }
}
