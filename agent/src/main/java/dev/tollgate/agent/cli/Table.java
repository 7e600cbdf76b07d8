package dev.tollgate.agent.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table, widths to fit: a column whose every cell is a number (amounts, counts, with
 * grouping commas and signs) is right-aligned, header included; any other column is left-aligned.
 */
final class Table {
  private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("[-+]?[\\d,]+(\\.\\d+)?%?|-");
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  Table(String... header) {
    columns = header.length;
    rows.add(header);
  }

  void row(String... cells) {
    rows.add(cells);
  }

  void print(PrintStream out) {
    int[] width = new int[columns];
    boolean[] numeric = new boolean[columns];
    java.util.Arrays.fill(numeric, rows.size() > 1);
    for (int row = 0; row < rows.size(); row++) {
      String[] r = rows.get(row);
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], r[i].length());
        numeric[i] &= row == 0 || NUMBER.matcher(r[i]).matches();
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String pad = " ".repeat(width[i] - r[i].length());
        line.append(numeric[i] ? pad + r[i] : r[i] + pad);
        if (i < columns - 1) {
          line.append("  ");
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
