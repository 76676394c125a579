package org.synergen.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.synergen.eval.EvalJob;
import org.synergen.ingest.IngestJob;
import org.synergen.pretrain.PretrainJob;
import org.synergen.sft.SftJob;
import org.synergen.tokenize.TokenizeJob;

/**
 * Runs the selected stages in order, each one's output the next one's input, in one run folder.
 * A stage whose output is complete is skipped, so re-running the same command resumes; a stage that
 * fails stops the pipeline with its name and exit code.
 */
public final class Pipeline {
  private final PipelineSettings settings;
  private final StageOutputs out;
  private final StageLauncher launcher;
  private final PrintStream log;

  public Pipeline(PipelineSettings settings, Path runDir, StageLauncher launcher, PrintStream log) {
    this.settings = settings;
    this.out = new StageOutputs(runDir);
    this.launcher = launcher;
    this.log = log;
  }

  /** A stage failed or its input is missing: the message names the stage; the exit code is the job's. */
  public static final class StageFailed extends Exception {
    private final int exitCode;

    StageFailed(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  /** Runs the stages; returns the report's path when the report stage ran or was complete. */
  public Optional<Path> run() throws StageFailed, IOException, InterruptedException {
    Path checkpoint = null;
    Path report = null;
    for (Stage stage : settings.stages()) {
      switch (stage) {
        case INGEST -> ingest();
        case TOKENIZE -> tokenize();
        case STAGE1 -> pretrain(1);
        case STAGE2 -> pretrain(2);
        case SFT -> checkpoint = sft();
        case EVAL -> eval(checkpoint != null ? checkpoint : modelToEvaluate());
        case REPORT -> report = report();
        default -> throw new IllegalStateException(stage.name());
      }
    }
    return Optional.ofNullable(report);
  }

  private void ingest() throws StageFailed, IOException, InterruptedException {
    if (skip(Stage.INGEST, StageOutputs.finished(out.images()), out.images())) {
      return;
    }
    List<String> args = new ArrayList<>(List.of("--input", settings.ingestInput(), "--output", text(out.images())));
    args.addAll(settings.ingestSettings());
    launch(Stage.INGEST, IngestJob.class, args, out.images());
  }

  private void tokenize() throws StageFailed, IOException, InterruptedException {
    if (skip(Stage.TOKENIZE, StageOutputs.finished(out.tokens()), out.tokens())) {
      return;
    }
    need(Stage.TOKENIZE, StageOutputs.finished(out.images()), out.images(), Stage.INGEST);
    List<String> args = new ArrayList<>(List.of("--input", text(out.images()), "--output", text(out.tokens()),
        "--vq", settings.vq()));
    args.addAll(settings.tokenizeSettings());
    launch(Stage.TOKENIZE, TokenizeJob.class, args, out.tokens());
  }

  private void pretrain(int n) throws StageFailed, IOException, InterruptedException {
    Stage stage = n == 1 ? Stage.STAGE1 : Stage.STAGE2;
    Path output = out.stage(n);
    if (skip(stage, StageOutputs.trained(output, settings.pretrainSteps()), output)) {
      return;
    }
    need(stage, StageOutputs.finished(out.tokens()), out.tokens(), Stage.TOKENIZE);
    String init;
    if (n == 1) {
      init = settings.pretrainInit();
    } else {
      need(stage, StageOutputs.trained(out.stage(1), settings.pretrainSteps()), out.stage(1), Stage.STAGE1);
      init = text(StageOutputs.newestCheckpoint(out.stage(1)).orElseThrow());
    }
    List<String> args = new ArrayList<>(List.of("--stage", Integer.toString(n), "--input", text(out.tokens()),
        "--init", init, "--output", text(output), "--resume", "train.steps=" + settings.pretrainSteps()));
    args.addAll(n == 1 ? settings.stage1Settings() : settings.stage2Settings());
    launch(stage, PretrainJob.class, args, output);
  }

  /** Tokenize conversations, then instruction tuning from stage 2's checkpoint; returns sft's newest checkpoint. */
  private Path sft() throws StageFailed, IOException, InterruptedException {
    need(Stage.SFT, StageOutputs.trained(out.stage(2), settings.pretrainSteps()), out.stage(2), Stage.STAGE2);
    Path stage2 = StageOutputs.newestCheckpoint(out.stage(2)).orElseThrow();
    Path conversations = out.conversationTokens();
    if (!skip(Stage.SFT, StageOutputs.finished(conversations), conversations)) {
      List<String> args = new ArrayList<>(List.of("conversations", "--input", settings.sftConversations(),
          "--output", text(conversations)));
      if (settings.sftImageRoot() != null) {
        args.addAll(List.of("--image-root", settings.sftImageRoot()));
      }
      launch(Stage.SFT, TokenizeJob.class, args, conversations);
    }
    Optional<Path> done = StageOutputs.newestCheckpoint(out.sft());
    if (done.isPresent()) {
      say("sft: complete (" + done.get() + "), skipped");
      return done.get();
    }
    List<String> args = new ArrayList<>(List.of("--init", text(stage2), "--input", text(conversations),
        "--output", text(out.sft())));
    args.addAll(settings.sftSettings());
    launch(Stage.SFT, SftJob.class, args, out.sft());
    return StageOutputs.newestCheckpoint(out.sft()).orElseThrow(() -> new StageFailed(
        "stage sft finished but left no complete checkpoint in " + out.sft(), 1));
  }

  /** Without the sft stage in this run: sft's checkpoint if an earlier run made one, else stage 2's. */
  private Path modelToEvaluate() throws StageFailed, IOException {
    Optional<Path> sft = StageOutputs.newestCheckpoint(out.sft());
    if (sft.isPresent()) {
      return sft.get();
    }
    need(Stage.EVAL, StageOutputs.trained(out.stage(2), settings.pretrainSteps()), out.stage(2), Stage.STAGE2);
    return StageOutputs.newestCheckpoint(out.stage(2)).orElseThrow();
  }

  private void eval(Path checkpoint) throws StageFailed, IOException, InterruptedException {
    Path run = out.eval(settings.evalTask());
    if (skip(Stage.EVAL, StageOutputs.evaluated(run, checkpoint), run)) {
      return;
    }
    List<String> args = new ArrayList<>(List.of("run", "--task", settings.evalTask(), "--checkpoint", text(checkpoint),
        "--vq", settings.vq(), "--out", text(run)));
    if (settings.evalData() != null) {
      args.addAll(List.of("--data", settings.evalData()));
    }
    if (settings.evalLimit() != null) {
      args.addAll(List.of("--limit", settings.evalLimit().toString()));
    }
    args.addAll(settings.evalOptions());
    launch(Stage.EVAL, EvalJob.class, args, run);
  }

  private Path report() throws StageFailed, IOException, InterruptedException {
    Path run = out.eval(settings.evalTask());
    Path html = out.report().resolve("report.html");
    if (!skip(Stage.REPORT, StageOutputs.reported(out.report(), run), out.report())) {
      need(Stage.REPORT, StageOutputs.evaluated(run, modelToEvaluate()), run, Stage.EVAL);
      launch(Stage.REPORT, EvalJob.class, List.of("report", text(run), "--out", text(out.report())), out.report());
    }
    return html;
  }

  private boolean skip(Stage stage, boolean complete, Path output) {
    if (complete) {
      say(stage.configName() + ": complete (" + output + "), skipped");
    }
    return complete;
  }

  private static void need(Stage stage, boolean present, Path input, Stage from) throws StageFailed {
    if (!present) {
      throw new StageFailed("stage " + stage.configName() + " needs the complete output of stage "
          + from.configName() + " in " + input + "; add " + from.configName() + " to the stages", 2);
    }
  }

  private void launch(Stage stage, Class<?> job, List<String> args, Path output)
      throws StageFailed, IOException, InterruptedException {
    say("== " + stage.title() + " -> " + output);
    int rc = launcher.run(job.getName(), args);
    if (rc != 0) {
      throw new StageFailed("stage " + stage.title() + " failed (exit " + rc + "); what it wrote is in " + output
          + "; fix the cause and run the same command again to resume", rc == 2 ? 2 : 1);
    }
  }

  private void say(String line) {
    log.println("pipeline: " + line);
    log.flush();
  }

  private static String text(Path p) {
    return p.toString();
  }
}
