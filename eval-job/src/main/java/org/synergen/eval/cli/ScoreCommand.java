package org.synergen.eval.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.synergen.eval.QaEvaluation;
import org.synergen.eval.QaTask;
import org.synergen.eval.anls.Anls;
import org.synergen.eval.chartqa.RelaxedAccuracy;
import org.synergen.eval.data.EvalInputException;
import org.synergen.eval.data.QaRecords;
import org.synergen.eval.fid.FolderStatistics;
import org.synergen.eval.fid.FidReport;
import org.synergen.eval.fid.GaussianStats;
import org.synergen.eval.fid.ImageResize;
import org.synergen.eval.fid.NpzStats;
import org.synergen.eval.fid.inception.FidInceptionV3;
import org.synergen.eval.geneval.GenEvalEvaluation;
import org.synergen.eval.geneval.GenEvalMetadata;
import org.synergen.eval.geneval.GenEvalPrompt;
import org.synergen.eval.report.Reports;
import org.synergen.eval.vqa.VqaNormalization;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `eval score`: one benchmark's outputs in, a JSON report out. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Score a benchmark's outputs the way its official script does, and print a JSON report "
            + "(also written to --out). `overall` is on the scale the benchmark publishes: percent for "
            + "the QA tasks, MME's sum of scores, GenEval's 0-1 fraction, FID as is.",
        "",
        "QA tasks: --task NAME --pred PRED.jsonl --gt GT.jsonl",
        "  PRED lines: {\"question_id\": ..., \"answer\": \"...\"}",
        "  GT lines:   {\"question_id\": ..., \"answers\": [\"...\", ...], <breakdown fields>}",
        "  (the 10 human answers for vqav2/textvqa, the accepted answers otherwise; pope and mme take "
            + "the label as answers[0] plus \"category\", mme also \"image\"). Questions without a "
            + "prediction score 0 and are listed; predictions for unknown ids are listed, not scored.",
        "GenEval: --task geneval --detections DET.jsonl [--metadata evaluation_metadata.jsonl]",
        "  DET lines: {\"index\": N, \"sample\": S, \"detections\": [{\"class\", \"score\", \"box\": "
            + "[x1,y1,x2,y2], \"color\"}]}",
        "FID: --task fid, each side either --stats-a/-b FILE.npz (pytorch-fid's mu/sigma) or --images-a/-b DIR",
        "  (PNG/JPEG/BMP/GIF/TIFF files directly in DIR) with --inception FILE.safetensors [--resize "
            + "bilinear|bicubic] [--batch-size N] [--save-stats-a/-b FILE.npz].",
        "  The Inception file is pytorch-fid's pt_inception-2015-12-05-6726825d.pth converted by "
            + "scripts/reference/export_fid_inception.py; it is not bundled and not downloaded: fetch the .pth "
            + "yourself. Features and statistics run on the CPU (ND4J).",
        "",
        "This command only scores; `eval run` generates a checkpoint's answers and images and scores them with this code.",
        "Exit codes: 0 scored, 1 bad input data (the message names the file and line), 2 usage error."})
public final class ScoreCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--task", required = true, paramLabel = "NAME",
      completionCandidates = ScoreCommand.TaskNames.class, description = "one of: ${COMPLETION-CANDIDATES}")
  String task;

  @Option(names = "--pred", paramLabel = "PRED.jsonl", description = "predictions (QA tasks)")
  Path pred;

  @Option(names = "--gt", paramLabel = "GT.jsonl", description = "ground truth (QA tasks)")
  Path gt;

  @Option(names = "--out", paramLabel = "REPORT.json", description = "also write the report here")
  Path out;

  @Option(names = "--vqa-normalization", paramLabel = "official|evalai",
      description = "VQA answer normalisation: official = GT-Vision-Lab vqaEval.py (normalises only when "
          + "the human answers differ; vqav2 default), evalai = EvalAI/MMF processor used by InternVL "
          + "(always normalises, needs 10 answers; textvqa default)")
  String vqaNormalization;

  @Option(names = "--anls-variant", paramLabel = "rrc|pix2struct",
      description = "rrc (default; the RRC/DocVQA script, same as VLMEvalKit): exactly 0.5 similarity counts; "
          + "pix2struct: lower-case only, exactly 0.5 normalised distance scores 0")
  String anlsVariant;

  @Option(names = "--relaxed-variant", paramLabel = "pix2struct|internvl",
      description = "pix2struct (default): tolerance relative to the ground truth; internvl: its "
          + "evaluate_vqa.py passes the stripped prediction as the target")
  String relaxedVariant;

  @Option(names = "--detections", paramLabel = "DET.jsonl", description = "per-image detections (geneval)")
  Path detections;

  @Option(names = "--metadata", paramLabel = "FILE",
      description = "GenEval prompts (default: the official 553 bundled in the jar)")
  Path metadata;

  @Option(names = "--stats-a", paramLabel = "A.npz", description = "FID statistics of one image set")
  Path statsA;

  @Option(names = "--stats-b", paramLabel = "B.npz", description = "FID statistics of the other")
  Path statsB;

  @Option(names = "--images-a", paramLabel = "DIR", description = "FID: a folder of images (instead of --stats-a)")
  Path imagesA;

  @Option(names = "--images-b", paramLabel = "DIR", description = "FID: a folder of images (instead of --stats-b)")
  Path imagesB;

  @Option(names = "--inception", paramLabel = "FILE.safetensors",
      description = "FID: pytorch-fid's Inception-v3 converted by scripts/reference/export_fid_inception.py "
          + "(needed with --images-a/-b; not bundled, it cannot be downloaded by this tool)")
  Path inception;

  @Option(names = "--resize", paramLabel = "bilinear|bicubic",
      description = "FID: resize to 299 x 299; bilinear (default) = pytorch-fid, bicubic = clean-fid's PIL bicubic")
  String resize;

  @Option(names = "--batch-size", paramLabel = "N", description = "FID: images per forward pass (default 16; "
      + "features do not depend on it, memory does)")
  Integer batchSize;

  @Option(names = "--save-stats-a", paramLabel = "FILE.npz",
      description = "FID: also write --images-a's mu/sigma as pytorch-fid's .npz")
  Path saveStatsA;

  @Option(names = "--save-stats-b", paramLabel = "FILE.npz",
      description = "FID: also write --images-b's mu/sigma as pytorch-fid's .npz")
  Path saveStatsB;

  static final List<String> TASKS = taskNames();

  @Override
  public Integer call() {
    String name = task.toLowerCase(Locale.ROOT);
    ObjectNode report;
    try {
      report = switch (name) {
        case "geneval" -> geneval();
        case "fid" -> fid();
        default -> qa(qaTask(name));
      };
    } catch (EvalInputException e) {
      System.err.println("synergen eval score: " + e.getMessage());
      return 1;
    }
    System.out.println(Reports.toJson(report));
    if (out != null) {
      Reports.write(report, out);
    }
    summarize(report);
    return 0;
  }

  private ObjectNode qa(QaTask qaTask) {
    require(pred, "--pred");
    require(gt, "--gt");
    QaEvaluation.Options options = new QaEvaluation.Options(
        choice(vqaNormalization, VqaNormalization.class, "--vqa-normalization"),
        choice(anlsVariant, Anls.Variant.class, "--anls-variant"),
        choice(relaxedVariant, RelaxedAccuracy.Variant.class, "--relaxed-variant"));
    ObjectNode report = QaEvaluation.score(qaTask, options, QaRecords.predictions(pred), QaRecords.groundTruth(gt));
    report.putObject("inputs").put("pred", pred.toString()).put("gt", gt.toString());
    return report;
  }

  private ObjectNode geneval() {
    require(detections, "--detections");
    List<GenEvalPrompt> prompts = metadata == null ? GenEvalMetadata.official() : GenEvalMetadata.read(metadata);
    ObjectNode report = GenEvalEvaluation.report(prompts, GenEvalEvaluation.scoreImages(prompts, detections));
    report.putObject("inputs").put("detections", detections.toString())
        .put("metadata", metadata == null ? "bundled official evaluation_metadata.jsonl" : metadata.toString());
    return report;
  }

  private ObjectNode fid() {
    boolean images = imagesA != null || imagesB != null;
    if (!images && (inception != null || resize != null || batchSize != null)) {
      usage("--inception, --resize and --batch-size apply only with --images-a/--images-b");
    }
    if (images && inception == null) {
      usage("--images-a/--images-b need --inception FILE.safetensors (pytorch-fid's Inception-v3 weights, "
          + "converted by scripts/reference/export_fid_inception.py)");
    }
    if (batchSize != null && batchSize < 1) {
      usage("--batch-size must be at least 1, got " + batchSize);
    }
    FidInceptionV3 network = images
        ? FidInceptionV3.load(inception, resize == null ? ImageResize.BILINEAR : choice(resize, ImageResize.class, "--resize"))
        : null;
    if (network != null && network.dimension() != 2048) {
      System.err.println("fid: note: " + inception + " gives " + network.dimension() + "-d features, not pool3's "
          + "2048: these scores are not comparable with published FID");
    }
    ObjectNode inputs = Reports.object();
    GaussianStats a = side("a", statsA, imagesA, saveStatsA, network, inputs);
    GaussianStats b = side("b", statsB, imagesB, saveStatsB, network, inputs);
    if (network != null) {
      inputs.put("inception", inception.toString()).put("resize", network.resize().name().toLowerCase(Locale.ROOT));
    }
    return FidReport.of(a, b, inputs, System.err);
  }

  /** One side of FID: a statistics file, or a folder of images run through the network. */
  private GaussianStats side(String name, Path stats, Path images, Path saveTo, FidInceptionV3 network,
      ObjectNode inputs) {
    if ((stats == null) == (images == null)) {
      usage("--task fid needs exactly one of --stats-" + name + " and --images-" + name);
    }
    if (stats != null) {
      if (saveTo != null) {
        usage("--save-stats-" + name + " needs --images-" + name);
      }
      inputs.put("stats_" + name, stats.toString());
      return NpzStats.read(stats);
    }
    FolderStatistics.Result r = FolderStatistics.of(images, network, batchSize == null ? 16 : batchSize, System.err);
    inputs.put("images_" + name, images.toString()).put("images_" + name + "_count", r.images());
    if (saveTo != null) {
      try {
        NpzStats.write(r.stats(), saveTo);
      } catch (IOException e) {
        throw new UncheckedIOException("writing " + saveTo + ": " + e.getMessage(), e);
      }
      inputs.put("saved_stats_" + name, saveTo.toString());
    }
    return r.stats();
  }

  private void usage(String message) {
    throw new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private QaTask qaTask(String name) {
    for (QaTask t : QaTask.values()) {
      if (t.cliName().equals(name)) {
        return t;
      }
    }
    throw new CommandLine.ParameterException(spec.commandLine(),
        "unknown --task '" + task + "'; choose one of " + String.join(", ", TASKS));
  }

  private void require(Path value, String option) {
    if (value == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--task " + task + " needs " + option);
    }
  }

  private <E extends Enum<E>> E choice(String value, Class<E> type, String option) {
    if (value == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "unknown " + option + " '" + value + "'");
    }
  }

  private static void summarize(ObjectNode report) {
    StringBuilder b = new StringBuilder(report.get("task").asText()).append(": ")
        .append(report.get("overall").isNull() ? "undefined" : String.format(Locale.ROOT, "%.4f", report.get("overall").asDouble()))
        .append(" (").append(report.get("metric").asText());
    if (report.has("variant")) {
      b.append(", ").append(report.get("variant").asText());
    }
    b.append(")");
    for (String field : List.of("missing_predictions", "unknown_question_ids")) {
      if (report.has(field) && report.get(field).get("count").asInt() > 0) {
        b.append("; ").append(report.get(field).get("count").asInt()).append(' ').append(field.replace('_', ' '))
            .append(" (listed in the report)");
      }
    }
    System.err.println(b);
  }

  private static List<String> taskNames() {
    List<String> names = new java.util.ArrayList<>();
    for (QaTask t : QaTask.values()) {
      names.add(t.cliName());
    }
    names.add("geneval");
    names.add("fid");
    return List.copyOf(names);
  }

  /** Completion candidates for --task in the help text. */
  public static final class TaskNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return TASKS.iterator();
    }
  }
}
