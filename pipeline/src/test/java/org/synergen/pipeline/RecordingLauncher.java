package org.synergen.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Records each job it is asked to run and writes the marker of a finished job into the job's output
 * (what ingest, tokenize, pretrain and eval write last), so the pipeline's decisions can be checked
 * without running the jobs.
 */
final class RecordingLauncher implements StageLauncher {
  record Call(String job, List<String> args) {
    String simpleJob() {
      return job.substring(job.lastIndexOf('.') + 1);
    }

    String arg(String option) {
      return args.get(args.indexOf(option) + 1);
    }
  }

  final List<Call> calls = new ArrayList<>();
  private final ToIntFunction<Call> exitCode;

  /** @param exitCode each call's exit code; 0 writes the job's finished output */
  RecordingLauncher(ToIntFunction<Call> exitCode) {
    this.exitCode = exitCode;
  }

  @Override
  public int run(String mainClass, List<String> args) throws IOException {
    Call c = new Call(mainClass, List.copyOf(args));
    calls.add(c);
    int rc = exitCode.applyAsInt(c);
    if (rc != 0) {
      return rc;
    }
    switch (c.simpleJob()) {
      case "IngestJob", "TokenizeJob" -> touch(Path.of(c.arg("--output")).resolve("_summary.json"), "{}");
      case "PretrainJob", "SftJob" -> {
        long steps = Long.parseLong(args.stream().filter(a -> a.startsWith("train.steps=")).findFirst()
            .orElse("train.steps=1").substring("train.steps=".length()));
        Path ckpt = Path.of(c.arg("--output")).resolve(String.format("checkpoint-%08d", steps / 2));
        touch(ckpt.resolve("trainer_state.json"),
            "{\"format\": \"synergen-trainer-state/2\", \"step\": " + steps + "}");
        touch(ckpt.resolve("_COMPLETE"), "complete\n");
      }
      case "EvalJob" -> {
        if (args.get(0).equals("run")) {
          touch(Path.of(c.arg("--out")).resolve("run.json"), "{\"checkpoint\": \"" + c.arg("--checkpoint") + "\"}");
        } else {
          touch(Path.of(c.arg("--out")).resolve("report.html"), "<html></html>");
        }
      }
      default -> throw new IllegalStateException(mainClass);
    }
    return 0;
  }

  private static void touch(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
