package org.synergen.eval.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.synergen.eval.data.EvalInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `eval report`: runs' scores beside the paper's, and their images, as one HTML page and Markdown. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Write report.html (one self-contained page: images inlined, nothing fetched) and report.md for `eval run` "
            + "folders: a table of every benchmark the SynerGen-VL paper publishes with this run's number beside "
            + "the paper's, each run's breakdown and first answers, and a grid of the generated images with their "
            + "prompts.",
        "Each RUN_DIR is an `eval run --out` folder or a folder of them.",
        "Exit codes: 0 written, 2 no run found or a run's files are unreadable."})
public final class ReportCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "run folders, or folders of runs")
  List<Path> runs;

  @Option(names = "--out", paramLabel = "DIR", description = "where report.html and report.md go (default: the first RUN_DIR)")
  Path out;

  @Option(names = "--max-images", paramLabel = "N", description = "images shown per run (default 48)")
  int maxImages = 48;

  @Option(names = "--examples", paramLabel = "N", description = "answers shown per QA run (default 8)")
  int examples = 8;

  @Override
  public Integer call() {
    try {
      ReportContent content = ReportContent.of(RunResult.find(runs, examples), maxImages);
      Path folder = out != null ? out : runs.get(0);
      Files.createDirectories(folder);
      Files.writeString(folder.resolve("report.html"), HtmlPage.render(content));
      Files.writeString(folder.resolve("report.md"), MarkdownPage.render(content, folder));
      System.err.println("eval report: wrote " + folder.resolve("report.html") + " and report.md");
      return 0;
    } catch (EvalInputException e) {
      System.err.println("synergen eval report: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      throw new UncheckedIOException("writing the report", e);
    }
  }
}
