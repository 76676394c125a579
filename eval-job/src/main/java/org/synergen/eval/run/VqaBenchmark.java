package org.synergen.eval.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.synergen.eval.QaTask;
import org.synergen.eval.data.EvalInputException;

/**
 * The question-answering benchmarks `eval run` generates answers for: which scorer, which official
 * annotation reader, and the prompt suffix. The suffix is the one InternVL's evaluation scripts (and
 * VLMEvalKit for these benchmarks) append to every question.
 */
public enum VqaBenchmark {
  TEXTVQA(QaTask.TEXTVQA),
  DOCVQA(QaTask.DOCVQA),
  CHARTQA(QaTask.CHARTQA),
  INFOVQA(QaTask.INFOVQA),
  GQA(QaTask.GQA),
  POPE(QaTask.POPE),
  MME(QaTask.MME);

  public static final String SHORT_ANSWER = "Answer the question using a single word or phrase.";

  private final QaTask task;

  VqaBenchmark(QaTask task) {
    this.task = task;
  }

  public QaTask task() {
    return task;
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads the questions: a VLMEvalKit .tsv, else the benchmark's official file (or MME's folder). */
  public List<VqaItem> read(Path data, Path images) {
    if (!Files.exists(data)) {
      throw new EvalInputException(data, "no such file or folder");
    }
    if (data.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tsv")) {
      Path folder = images != null ? images : data.toAbsolutePath().getParent();
      return VlmEvalTsv.read(data, task, folder);
    }
    if (Files.isDirectory(data) && this != POPE && this != MME) {
      throw new EvalInputException(data, "is a folder; --task " + cliName() + " reads one annotation file "
          + "(a VLMEvalKit .tsv or the official .json)");
    }
    return switch (this) {
      case TEXTVQA -> OfficialAnnotations.textVqa(data, images);
      case DOCVQA -> OfficialAnnotations.docVqa(data, images);
      case INFOVQA -> OfficialAnnotations.infoVqa(data, images);
      case CHARTQA -> OfficialAnnotations.chartQa(data, images);
      case GQA -> OfficialAnnotations.gqa(data, images);
      case POPE -> OfficialAnnotations.pope(data, images);
      case MME -> {
        if (!Files.isDirectory(data)) {
          throw new EvalInputException(data, "MME is read from its release folder (MME_Benchmark_release_version) "
              + "or VLMEvalKit's MME.tsv");
        }
        yield MmeFolder.read(data);
      }
    };
  }

  public static VqaBenchmark byName(String name) {
    for (VqaBenchmark b : values()) {
      if (b.cliName().equals(name.toLowerCase(Locale.ROOT))) {
        return b;
      }
    }
    return null;
  }
}
