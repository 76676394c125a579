package org.synergen.eval.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** The report as one self-contained HTML page: styles inline, images as data: URIs, nothing fetched. */
final class HtmlPage {
  private HtmlPage() {}

  static String render(ReportContent content) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(escape(content.title())).append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:2em;color:#222}\n")
        .append("table{border-collapse:collapse;margin:0.5em 0 0.3em}\n")
        .append("th,td{border:1px solid #bbb;padding:0.25em 0.6em;text-align:left}\n")
        .append("th{background:#eee}\n")
        .append("p.note{color:#555;font-size:0.9em;margin-top:0}\n")
        .append(".grid{display:flex;flex-wrap:wrap;gap:12px}\n")
        .append("figure{margin:0;width:160px}\n")
        .append("figure img{width:160px;height:160px;image-rendering:pixelated;border:1px solid #ccc}\n")
        .append("figcaption{font-size:0.8em}\n")
        .append("</style>\n</head>\n<body>\n<h1>").append(escape(content.title())).append("</h1>\n");
    for (ReportContent.Table t : content.tables()) {
      b.append("<h2>").append(escape(t.title())).append("</h2>\n<table>\n<tr>");
      t.header().forEach(h -> b.append("<th>").append(escape(h)).append("</th>"));
      b.append("</tr>\n");
      for (List<String> row : t.rows()) {
        b.append("<tr>");
        row.forEach(c -> b.append("<td>").append(escape(c)).append("</td>"));
        b.append("</tr>\n");
      }
      b.append("</table>\n");
      if (t.note() != null) {
        b.append("<p class=\"note\">").append(escape(t.note())).append("</p>\n");
      }
    }
    for (ReportContent.Gallery g : content.galleries()) {
      b.append("<h2>Generated images: ").append(escape(g.title())).append("</h2>\n");
      if (g.images().size() < g.total()) {
        b.append(String.format(Locale.ROOT, "<p class=\"note\">the first %d of %d</p>%n", g.images().size(), g.total()));
      }
      b.append("<div class=\"grid\">\n");
      for (RunResult.Image image : g.images()) {
        b.append("<figure><img alt=\"").append(escape(image.prompt())).append("\" src=\"data:image/png;base64,")
            .append(Base64.getEncoder().encodeToString(bytes(image.file()))).append("\"><figcaption>")
            .append(escape(image.prompt())).append(" <small>(")
            .append(image.index()).append('/').append(image.sample()).append(")</small></figcaption></figure>\n");
      }
      b.append("</div>\n");
    }
    return b.append("</body>\n</html>\n").toString();
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("reading generated image " + file, e);
    }
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
