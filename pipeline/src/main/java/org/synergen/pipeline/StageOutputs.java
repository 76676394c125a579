package org.synergen.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.synergen.train.checkpoint.CheckpointStore;
import org.synergen.train.checkpoint.SafetensorsCodec;

/** Where each stage writes in the run folder, and when that output is complete (README "pipeline"). */
final class StageOutputs {
  /** ingest and tokenize write it last: its presence means the job finished. */
  static final String SUMMARY = "_summary.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path run;

  StageOutputs(Path run) {
    this.run = run;
  }

  Path images() {
    return run.resolve("images");
  }

  Path tokens() {
    return run.resolve("tokens");
  }

  Path stage(int n) {
    return run.resolve("stage" + n);
  }

  Path conversationTokens() {
    return run.resolve("sft-tokens");
  }

  Path sft() {
    return run.resolve("sft");
  }

  Path eval(String task) {
    return run.resolve("eval").resolve(task);
  }

  Path report() {
    return run.resolve("report");
  }

  static boolean finished(Path jobOutput) {
    return Files.isRegularFile(jobOutput.resolve(SUMMARY));
  }

  /** The newest complete checkpoint of a training run, if any. */
  static Optional<Path> newestCheckpoint(Path trainingOutput) throws IOException {
    if (!Files.isDirectory(trainingOutput)) {
      return Optional.empty();
    }
    return store(trainingOutput).latest().map(p -> Path.of(p.toUri()));
  }

  /** Whether a training run has a complete checkpoint after at least {@code steps} steps. */
  static boolean trained(Path trainingOutput, int steps) throws IOException {
    if (!Files.isDirectory(trainingOutput)) {
      return false;
    }
    CheckpointStore store = store(trainingOutput);
    Optional<org.apache.hadoop.fs.Path> newest = store.latest();
    return newest.isPresent() && store.readTrainerState(newest.get()).step() >= steps;
  }

  private static CheckpointStore store(Path trainingOutput) {
    return new CheckpointStore(trainingOutput.toUri().toString(), new Configuration(), new SafetensorsCodec());
  }

  /** Whether {@code evalRun} holds an `eval run` of {@code checkpoint}, written last by that command. */
  static boolean evaluated(Path evalRun, Path checkpoint) throws IOException {
    Path runJson = evalRun.resolve("run.json");
    return Files.isRegularFile(runJson)
        && checkpoint.toString().equals(JSON.readTree(runJson.toFile()).path("checkpoint").asText());
  }

  /** Whether the report is there and newer than the eval run it shows. */
  static boolean reported(Path report, Path evalRun) throws IOException {
    Path html = report.resolve("report.html");
    Path runJson = evalRun.resolve("run.json");
    return Files.isRegularFile(html) && Files.isRegularFile(runJson)
        && Files.getLastModifiedTime(html).compareTo(Files.getLastModifiedTime(runJson)) >= 0;
  }
}
