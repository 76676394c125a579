package org.synergen.eval.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Tab-separated rows as pandas' {@code to_csv(sep='\t')} writes them: a field may be wrapped in
 * double quotes (then it may hold tabs, newlines and doubled quotes). Each row remembers the line it
 * starts on, for errors.
 */
final class TsvRows {
  /** One row's cells and the 1-based line it starts on. */
  record Row(long line, List<String> cells) {}

  private TsvRows() {}

  static List<Row> read(BufferedReader r) throws IOException {
    List<Row> rows = new ArrayList<>();
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean atCellStart = true;
    long line = 1;
    long rowLine = 1;
    int c;
    while ((c = r.read()) != -1) {
      char ch = (char) c;
      if (quoted) {
        if (ch == '"') {
          r.mark(1);
          int next = r.read();
          if (next == '"') {
            cell.append('"');
          } else {
            quoted = false;
            if (next != -1) {
              r.reset();
            }
          }
        } else {
          if (ch == '\n') {
            line++;
          }
          cell.append(ch);
        }
        continue;
      }
      if (ch == '"' && atCellStart) {
        quoted = true;
        atCellStart = false;
      } else if (ch == '\t') {
        cells.add(cell.toString());
        cell.setLength(0);
        atCellStart = true;
      } else if (ch == '\n') {
        endRow(rows, cells, cell, rowLine);
        line++;
        rowLine = line;
        atCellStart = true;
      } else if (ch != '\r') {
        cell.append(ch);
        atCellStart = false;
      }
    }
    endRow(rows, cells, cell, rowLine);
    return rows;
  }

  private static void endRow(List<Row> rows, List<String> cells, StringBuilder cell, long line) {
    cells.add(cell.toString());
    cell.setLength(0);
    boolean blank = cells.size() == 1 && cells.get(0).isEmpty();
    if (!blank) {
      rows.add(new Row(line, List.copyOf(cells)));
    }
    cells.clear();
  }
}
