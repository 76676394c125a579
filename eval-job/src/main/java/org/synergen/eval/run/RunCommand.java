package org.synergen.eval.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.synergen.eval.data.EvalInputException;
import org.synergen.eval.fid.ImageResize;
import org.synergen.eval.fid.inception.FidInceptionV3;
import org.synergen.eval.generate.CheckpointGenerator;
import org.synergen.eval.generate.MultimodalGenerator;
import org.synergen.eval.geneval.GenEvalMetadata;
import org.synergen.eval.geneval.GenEvalPrompt;
import org.synergen.eval.report.Reports;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `eval run`: a checkpoint and a benchmark's data in; predictions or images, and their scores, out. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Run a checkpoint on a benchmark: generate its answers or images, write them into RUN_DIR, and score "
            + "them with the code of `eval score`. `eval report RUN_DIR` turns the result into a page.",
        "",
        "QA tasks (textvqa, docvqa, chartqa, infovqa, gqa, pope, mme): --data is VLMEvalKit's TSV (base64 images) "
            + "or the official annotation file: TextVQA_0.5.1_val.json, DocVQA val_v1.0.json, "
            + "infographicsVQA_val_v1.0_withQT.json, ChartQA test_human.json / test_augmented.json, GQA "
            + "testdev_balanced_questions.json, POPE coco_pope_*.json (a file or their folder), MME's release "
            + "folder. --images names the image folder of the official files (default: where the download puts it "
            + "beside the file). Writes predictions.jsonl + ground_truth.jsonl (`eval score --pred --gt` reads "
            + "them, e.g. to score with other script variants) and score.json.",
        "geneval: draws --images-per-prompt images for each prompt of --data (default: the bundled official 553) "
            + "into RUN_DIR/images in GenEval's layout for its detector; with --detections DET.jsonl also scores.",
        "fid: draws one image per caption of --data (.txt lines or .jsonl with prompt/caption) into RUN_DIR/images "
            + "and scores FID against --reference (a folder of images or pytorch-fid .npz) with --inception.",
        "",
        "With --master the prompts are spread over Spark executors (each opens the checkpoint once; paths "
            + "must be visible to all of them); without it everything runs in this process.",
        "Exit codes: 0 done, 1 failed, 2 bad input (the message names the file and row, or the missing "
            + "checkpoint)."})
public final class RunCommand implements Callable<Integer> {
  static final List<String> TASKS = tasks();

  /** The one place the model comes from. */
  GeneratorFactory generators = RunCommand::openCheckpoint;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--task", required = true, paramLabel = "NAME", description = "one of: textvqa, docvqa, chartqa, "
      + "infovqa, gqa, pope, mme, geneval, fid")
  String task;

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "the model (a pretrain checkpoint)")
  Path checkpoint;

  @Option(names = "--vq", paramLabel = "DIR", description = "the VQ image tokenizer (default: the checkpoint's own)")
  Path vq;

  @Option(names = "--tokenizer", paramLabel = "FILE", description = "HF tokenizer.json (default: the byte-level one)")
  Path tokenizer;

  @Option(names = "--data", paramLabel = "PATH", description = "the benchmark's annotations (see above)")
  Path data;

  @Option(names = "--images", paramLabel = "DIR", description = "QA tasks: image folder of an official annotation file")
  Path images;

  @Option(names = "--out", required = true, paramLabel = "RUN_DIR", description = "where the run's files go")
  Path out;

  @Option(names = "--limit", paramLabel = "N", description = "only the first N questions or prompts")
  Integer limit;

  @Option(names = "--prompt-suffix", paramLabel = "TEXT", description = "QA tasks: appended to each question after "
      + "a space (default \"" + VqaBenchmark.SHORT_ANSWER + "\", InternVL's; \"\" for none)")
  String promptSuffix = VqaBenchmark.SHORT_ANSWER;

  @Option(names = "--max-new-tokens", paramLabel = "N", description = "QA tasks: answer length limit (default 32)")
  int maxNewTokens = 32;

  @Option(names = "--images-per-prompt", paramLabel = "N", description = "geneval: images per prompt (default 4, "
      + "GenEval's)")
  int imagesPerPrompt = 4;

  @Option(names = "--size", paramLabel = "PX", description = "geneval, fid: image size (default 256)")
  int size = 256;

  @Option(names = "--seed", paramLabel = "N", description = "geneval, fid: the run's seed; each image's seed is "
      + "derived from it and the image's position (default 0)")
  long seed;

  @Option(names = "--detections", paramLabel = "DET.jsonl", description = "geneval: the detector's output to score")
  Path detections;

  @Option(names = "--reference", paramLabel = "DIR|FILE.npz", description = "fid: the reference images or statistics")
  Path reference;

  @Option(names = "--reference-name", paramLabel = "NAME", description = "fid: the reference set's name in the "
      + "report, e.g. MSCOCO-30K or MJHQ-30K (default: the --reference file name)")
  String referenceName;

  @Option(names = "--inception", paramLabel = "FILE.safetensors", description = "fid: pytorch-fid's Inception-v3 "
      + "converted by scripts/reference/export_fid_inception.py (not bundled)")
  Path inception;

  @Option(names = "--resize", paramLabel = "bilinear|bicubic", description = "fid: resize to 299 (default bilinear)")
  String resize = "bilinear";

  @Option(names = "--batch-size", paramLabel = "N", description = "fid: images per Inception forward pass (default 16)")
  int batchSize = 16;

  @Option(names = "--master", paramLabel = "URL", description = "spread the prompts over this Spark master's executors")
  String master;

  public RunCommand() {}

  /** A command that takes its model from {@code generators} (tests give a stand-in). */
  public RunCommand(GeneratorFactory generators) {
    this.generators = generators;
  }

  /** The real model: a SynerGen-VL checkpoint, its VQ tokenizer and text tokenizer. */
  private static MultimodalGenerator openCheckpoint(Path checkpoint, Path vq, Path tokenizer) {
    try {
      return CheckpointGenerator.open(checkpoint, vq, tokenizer);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + e.getFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Integer call() {
    PrintStream log = System.err;
    String name = task.toLowerCase(Locale.ROOT);
    if (!TASKS.contains(name)) {
      throw usage("unknown --task '" + task + "'; choose one of " + String.join(", ", TASKS));
    }
    try {
      Work work = prepare(name);
      Files.createDirectories(out);
      long start = System.nanoTime();
      ObjectNode score;
      try (PromptRunner runner = master == null
          ? new LocalRunner(generators.open(checkpoint, vq, tokenizer))
          : new SparkRunner(master, new GeneratorSpec(generators, text(checkpoint), text(vq), text(tokenizer)))) {
        score = work.run(runner, log);
      }
      ObjectNode run = Reports.object().put("task", name).put("checkpoint", checkpoint.toString())
          .put("data", data == null ? "bundled GenEval prompts" : data.toString())
          .put("count", work.count()).put("seconds", (System.nanoTime() - start) / 1e9);
      if (name.equals("fid")) {
        run.put("reference", reference.toString()).put("reference_name", referenceName != null ? referenceName
            : reference.getFileName().toString());
      }
      if (VqaBenchmark.byName(name) != null) {
        run.put("prompt_suffix", promptSuffix).put("max_new_tokens", maxNewTokens);
      } else {
        run.put("size", size).put("seed", seed);
      }
      Reports.write(run, out.resolve(RunFiles.RUN));
      if (score != null) {
        Reports.write(score, out.resolve(RunFiles.SCORE));
        log.printf(Locale.ROOT, "eval run %s: %s = %s; files in %s%n", name, score.get("metric").asText(),
            score.get("overall"), out);
      }
      return 0;
    } catch (EvalInputException e) {
      log.println("synergen eval run: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      log.println("synergen eval run: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + out, e);
    }
  }

  /** A run whose inputs are read and checked, before any model is opened. */
  private interface Work {
    int count();

    ObjectNode run(PromptRunner runner, PrintStream log);
  }

  private Work prepare(String name) {
    if (limit != null && limit < 1) {
      throw usage("--limit must be at least 1");
    }
    VqaBenchmark vqa = VqaBenchmark.byName(name);
    if (vqa != null) {
      List<VqaItem> items = first(vqa.read(require(data, "--data"), images));
      return new Work() {
        public int count() {
          return items.size();
        }

        public ObjectNode run(PromptRunner runner, PrintStream log) {
          return VqaRun.run(vqa, items, runner, promptSuffix, maxNewTokens, out, log);
        }
      };
    }
    if (size < 1 || imagesPerPrompt < 1 || batchSize < 1) {
      throw usage("--size, --images-per-prompt and --batch-size must be at least 1");
    }
    if (name.equals("geneval")) {
      List<GenEvalPrompt> prompts = first(data == null ? GenEvalMetadata.official() : GenEvalMetadata.read(data));
      if (prompts.isEmpty()) {
        throw new EvalInputException(data, "the file is empty; GenEval's evaluation_metadata.jsonl has one prompt a line");
      }
      if (detections != null && !Files.isRegularFile(detections)) {
        throw new EvalInputException(detections, "no such file");
      }
      return new Work() {
        public int count() {
          return prompts.size() * imagesPerPrompt;
        }

        public ObjectNode run(PromptRunner runner, PrintStream log) {
          return GenEvalRun.run(prompts, imagesPerPrompt, size, seed, runner, out, detections, log);
        }
      };
    }
    List<String> captions = first(PromptFile.read(require(data, "--data")));
    require(reference, "--reference");
    require(inception, "--inception");
    if (!Files.exists(reference)) {
      throw new EvalInputException(reference, "no such folder or file");
    }
    ImageResize mode;
    try {
      mode = ImageResize.valueOf(resize.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw usage("unknown --resize '" + resize + "'");
    }
    FidInceptionV3 network = FidInceptionV3.load(inception, mode);
    return new Work() {
      public int count() {
        return captions.size();
      }

      public ObjectNode run(PromptRunner runner, PrintStream log) {
        return FidRun.run(captions, size, seed, runner, out, reference, network, batchSize, log);
      }
    };
  }

  private <T> List<T> first(List<T> all) {
    return limit == null || limit >= all.size() ? all : new ArrayList<>(all.subList(0, limit));
  }

  private Path require(Path value, String option) {
    if (value == null) {
      throw usage("--task " + task + " needs " + option);
    }
    return value;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private static String text(Path p) {
    return p == null ? null : p.toString();
  }

  private static List<String> tasks() {
    List<String> names = new ArrayList<>(Arrays.stream(VqaBenchmark.values()).map(VqaBenchmark::cliName).toList());
    names.add("geneval");
    names.add("fid");
    return List.copyOf(names);
  }
}
