package io.neuraltrader.e2b.local;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * Where local mode shows its state. On a terminal the frame is redrawn in place (ANSI: cursor home, each line
 * cleared to its end, the rest of the screen cleared), cut to the terminal's height; without one (piped, CI) a
 * plain snapshot is printed whenever what it shows changed, apart from the clock.
 */
public abstract class Screen {
  private static final String ESC = "\u001b[";

  /** Shows one frame: {@code lines} to show, {@code key} what must differ for a plain snapshot to be printed. */
  public abstract void show(List<String> lines, String key);

  /** The screen for a terminal; {@code rows} reports its height (0 when unknown). */
  public static Screen terminal(PrintStream out, IntSupplier rows) {
    return new Terminal(out, rows);
  }

  /** The screen without a terminal. */
  public static Screen plain(PrintStream out) {
    return new Plain(out);
  }

  private static final class Terminal extends Screen {
    private final PrintStream out;
    private final IntSupplier rows;
    private boolean first = true;

    Terminal(PrintStream out, IntSupplier rows) {
      this.out = out;
      this.rows = rows;
    }

    @Override
    public void show(List<String> lines, String key) {
      out.print(frame(lines, rows.getAsInt(), first));
      out.flush();
      first = false;
    }
  }

  /** The ANSI text of one frame, at most {@code rows - 1} lines (the cursor's line stays free). */
  static String frame(List<String> lines, int rows, boolean clearFirst) {
    List<String> shown = new ArrayList<>(lines);
    if (rows > 1 && shown.size() > rows - 1) {
      int hidden = shown.size() - (rows - 2);
      shown = new ArrayList<>(shown.subList(0, rows - 2));
      shown.add("... " + hidden + " more lines: enlarge the terminal");
    }
    StringBuilder frame = new StringBuilder();
    if (clearFirst) {
      frame.append(ESC).append("2J");
    }
    frame.append(ESC).append('H');
    for (String line : shown) {
      frame.append(line).append(ESC).append("K\n");
    }
    frame.append(ESC).append('J');
    return frame.toString();
  }

  private static final class Plain extends Screen {
    private final PrintStream out;
    private String lastKey;

    Plain(PrintStream out) {
      this.out = out;
    }

    @Override
    public void show(List<String> lines, String key) {
      if (Objects.equals(key, lastKey)) {
        return;
      }
      lastKey = key;
      lines.forEach(out::println);
      out.flush();
    }
  }

  /** The terminal's height from {@code stty size}, 0 when it cannot be told. */
  public static int terminalRows() {
    try {
      Process stty = new ProcessBuilder("stty", "size").redirectInput(ProcessBuilder.Redirect.from(
          new java.io.File("/dev/tty"))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (stty.waitFor() != 0) {
        return 0;
      }
      String[] parts = size.split("\\s+");
      return parts.length == 2 ? Integer.parseInt(parts[0]) : 0;
    } catch (java.io.IOException | NumberFormatException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
