package org.synergen.eval.report;

import java.nio.file.Path;
import java.util.List;

/** The report as Markdown; images are linked relative to the Markdown file, not inlined. */
final class MarkdownPage {
  private MarkdownPage() {}

  static String render(ReportContent content, Path folder) {
    StringBuilder b = new StringBuilder("# ").append(content.title()).append("\n");
    for (ReportContent.Table t : content.tables()) {
      b.append("\n## ").append(t.title()).append("\n\n");
      row(b, t.header());
      b.append("|").append("---|".repeat(t.header().size())).append("\n");
      t.rows().forEach(r -> row(b, r));
      if (t.note() != null) {
        b.append("\n").append(t.note()).append("\n");
      }
    }
    for (ReportContent.Gallery g : content.galleries()) {
      b.append("\n## Generated images: ").append(g.title()).append("\n\n");
      if (g.images().size() < g.total()) {
        b.append("The first ").append(g.images().size()).append(" of ").append(g.total()).append(".\n\n");
      }
      b.append("| image | prompt |\n|---|---|\n");
      for (RunResult.Image image : g.images()) {
        String link = folder.toAbsolutePath().relativize(image.file().toAbsolutePath()).toString().replace('\\', '/');
        b.append("| ![](").append(link).append(") | ").append(cell(image.prompt())).append(" (").append(image.index())
            .append('/').append(image.sample()).append(") |\n");
      }
    }
    return b.toString();
  }

  private static void row(StringBuilder b, List<String> cells) {
    b.append("|");
    cells.forEach(c -> b.append(' ').append(cell(c)).append(" |"));
    b.append("\n");
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
