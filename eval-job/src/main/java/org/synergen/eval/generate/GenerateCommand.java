package org.synergen.eval.generate;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.synergen.io.FormatException;
import org.synergen.model.decode.Guidance;
import org.synergen.model.decode.Sampling;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code synergen generate text|image}: a checkpoint answers a question or draws an image. */
@Command(name = "synergen generate", mixinStandardHelpOptions = true,
    description = {"Run a SynerGen-VL checkpoint: `text` answers, `image` draws.",
        "Exit codes: 0 done; 2 bad input (missing or unreadable checkpoint, VQ, image or prompt file, "
            + "bad ids or sizes); 1 anything else."},
    subcommands = {GenerateCommand.Text.class, GenerateCommand.Image.class})
public final class GenerateCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: text or image");
  }

  /** Bad input the user can fix: one line, exit 2. */
  static final class UsageError extends RuntimeException {
    UsageError(String message) {
      super(message);
    }
  }

  /** Options both subcommands share. */
  static class ModelOptions {
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
        description = "checkpoint folder (config.json + model.safetensors), e.g. a pretrain checkpoint-N")
    Path checkpoint;

    @Option(names = "--tokenizer", paramLabel = "FILE",
        description = "HF tokenizer.json (default: DIR/tokenizer.json if present, else the byte-level tokenizer)")
    Path tokenizer;

    @Option(names = "--stage", defaultValue = "2", paramLabel = "1|2|sft",
        description = "whose tiling (conf/stages) question images get; tile size from conf/tokenize.conf (default: ${DEFAULT-VALUE})")
    String stage;

    CheckpointGenerator open(Path vq, GenerationOptionsEdit edit) {
      if (!Files.isDirectory(checkpoint)) {
        throw new UsageError(checkpoint + ": no checkpoint folder here");
      }
      try {
        GenerationOptions o = edit.apply(GenerationOptions.fromConf(GenerationOptions.home(), stage));
        return CheckpointGenerator.open(checkpoint, vq, tokenizer, o);
      } catch (NoSuchFileException e) {
        throw new UsageError(e.getFile() + ": " + (e.getReason() == null ? "not found" : e.getReason()));
      } catch (FormatException | IllegalArgumentException e) {
        throw new UsageError(e.getMessage());
      } catch (IOException e) {
        throw new UsageError("cannot read " + checkpoint + ": " + e.getMessage());
      }
    }
  }

  interface GenerationOptionsEdit {
    GenerationOptions apply(GenerationOptions o);
  }

  @Command(name = "text", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Answer one user turn. --prompt uses the InternLM2 chat template the model was trained with "
          + "(images through the same tiling, VQ and folding as tokenize); --prompt-ids feeds raw token ids "
          + "(no template; for checkpoints without a tokenizer) and prints the new ids.",
          "Greedy unless --temperature > 0. The answer goes to stdout, progress to stderr."})
  static final class Text implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ModelOptions model = new ModelOptions();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
      @Option(names = "--prompt", paramLabel = "TEXT", description = "the question; <image> marks where images go")
      String prompt;

      @Option(names = "--prompt-ids", split = ",", paramLabel = "ID[,ID...]", hideParamSyntax = true,
          description = "raw prompt token ids, e.g. 1,2,3")
      int[] ids;
    }

    @Option(names = "--image", paramLabel = "FILE", description = "an image for the question (repeatable)")
    List<Path> images = new ArrayList<>();

    @Option(names = "--vq", paramLabel = "DIR", description = "VQ tokenizer folder (needed with --image)")
    Path vq;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "default: ${DEFAULT-VALUE}")
    int maxNewTokens;

    @CommandLine.Mixin
    SamplingOptions sampling = new SamplingOptions(0.0, 0);

    @Override
    public Integer call() {
      if (maxNewTokens < 1) {
        throw new UsageError("--max-new-tokens must be >= 1, got " + maxNewTokens);
      }
      if (input.ids != null && !images.isEmpty()) {
        throw new UsageError("--image needs --prompt (raw --prompt-ids carry no image)");
      }
      List<BufferedImage> loaded = new ArrayList<>();
      for (Path p : images) {
        loaded.add(readImage(p));
      }
      Sampling s = sampling.sampling();
      CheckpointGenerator gen = model.open(vq, o -> o);
      GenerationProgress progress = new GenerationProgress(spec.commandLine().getErr(), "generate text", "tokens", maxNewTokens);
      try {
        if (input.ids != null) {
          int[] out = gen.continueIds(input.ids, maxNewTokens, s, sampling.seed, progress);
          StringBuilder b = new StringBuilder();
          for (int i = 0; i < out.length; i++) {
            b.append(i == 0 ? "" : ",").append(out[i]);
          }
          System.out.println(b);
        } else {
          System.out.println(gen.answer(loaded, input.prompt, maxNewTokens, s, sampling.seed, progress));
        }
      } catch (IllegalArgumentException e) {
        throw new UsageError(e.getMessage());
      }
      return 0;
    }
  }

  @Command(name = "image", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Draw square images: the caption in the generation template the model was trained with, "
          + "then H x W folded positions, each unfolded into m x n VQ ids by the unfolding head and fed back; "
          + "the VQ decoder turns the ids into pixels. Classifier-free guidance as Emu3 applies it, against "
          + "the <UNCOND> prompt (or --negative-prompt). Defaults (--cfg 3, --top-k 2048, --temperature 1, "
          + "no top-p) are Emu3's image generation settings; the paper states none.",
          "--prompt with --out FILE.png, or --prompts FILE (one caption a line) with --out DIR (NNNN.png; "
              + "caption i is sampled from seed + i)."})
  static final class Image implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ModelOptions model = new ModelOptions();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
      @Option(names = "--prompt", paramLabel = "TEXT", description = "the caption")
      String prompt;

      @Option(names = "--prompts", paramLabel = "FILE", description = "captions, one a line (empty lines skipped)")
      Path prompts;
    }

    @Option(names = "--vq", required = true, paramLabel = "DIR", description = "VQ tokenizer folder (its decoder draws)")
    Path vq;

    @Option(names = "--out", required = true, paramLabel = "FILE.png|DIR", description = "output image, or folder for --prompts")
    Path out;

    @Option(names = "--size", defaultValue = "256", description = "image side in pixels (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--cfg", defaultValue = "3.0", description = "guidance scale g; 1 = none (default: ${DEFAULT-VALUE})")
    double cfg;

    @Option(names = "--negative-prompt", paramLabel = "TEXT", description = "caption of the unconditional branch")
    String negative;

    @Option(names = "--batch", defaultValue = "4", description = "images sampled at once (default: ${DEFAULT-VALUE})")
    int batch;

    @CommandLine.Mixin
    SamplingOptions sampling = new SamplingOptions(1.0, Guidance.DEFAULT_TOP_K);

    @Override
    public Integer call() throws IOException {
      List<String> captions = new ArrayList<>();
      if (input.prompt != null) {
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
          throw new UsageError("--out must be a .png file with --prompt, got " + out);
        }
        captions.add(input.prompt);
      } else {
        if (!Files.isRegularFile(input.prompts)) {
          throw new UsageError(input.prompts + ": no prompts file here");
        }
        for (String line : Files.readAllLines(input.prompts, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            captions.add(line.strip());
          }
        }
        if (captions.isEmpty()) {
          throw new UsageError(input.prompts + ": no captions (the file is empty)");
        }
      }
      Guidance g;
      try {
        g = new Guidance(cfg, sampling.sampling());
      } catch (IllegalArgumentException e) {
        throw new UsageError(e.getMessage());
      }
      if (batch < 1) {
        throw new UsageError("--batch must be >= 1, got " + batch);
      }
      CheckpointGenerator gen = model.open(vq, o -> o.withGuidance(g).withNegativePrompt(negative)
          .withBatch(batch));
      List<BufferedImage> drawn = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int start = 0; start < captions.size(); start += batch) {
        List<String> chunk = captions.subList(start, Math.min(captions.size(), start + batch));
        int blocksPerImage = blocks(gen);
        GenerationProgress p = new GenerationProgress(spec.commandLine().getErr(),
            String.format(Locale.ROOT, "generate image %d-%d of %d", start + 1, start + chunk.size(), captions.size()),
            "positions", blocksPerImage);
        try {
          drawn.addAll(gen.draw(chunk, size, sampling.seed + start, p));
        } catch (IllegalArgumentException e) {
          throw new UsageError(e.getMessage());
        }
      }
      double s = (System.nanoTime() - t0) * 1e-9;
      if (input.prompt != null) {
        write(drawn.get(0), out);
      } else {
        Files.createDirectories(out);
        for (int i = 0; i < drawn.size(); i++) {
          write(drawn.get(i), out.resolve(String.format(Locale.ROOT, "%04d.png", i)));
        }
      }
      spec.commandLine().getErr().printf(Locale.ROOT, "generate image: %d image(s) of %dx%d in %.1f s (%.3f images/s) -> %s%n",
          drawn.size(), size, size, s, drawn.size() / s, out);
      return 0;
    }

    private int blocks(CheckpointGenerator gen) {
      return Math.max(1, size * size / (gen.vqFactor() * gen.vqFactor() * gen.config().vision().foldSize()));
    }
  }

  /** Sampling options with per-subcommand defaults. */
  static final class SamplingOptions {
    @Option(names = "--temperature", description = "0 = greedy (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-k", description = "keep the k most likely ids; 0 = all (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "nucleus sampling mass; 1 = off (default: ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--seed", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    SamplingOptions() {}

    SamplingOptions(double temperature, int topK) {
      this.temperature = temperature;
      this.topK = topK;
    }

    Sampling sampling() {
      try {
        return new Sampling(temperature, topK, topP);
      } catch (IllegalArgumentException e) {
        throw new UsageError(e.getMessage());
      }
    }
  }

  static BufferedImage readImage(Path p) {
    try {
      BufferedImage img = ImageIO.read(p.toFile());
      if (img == null) {
        throw new UsageError(p + ": not an image ImageIO can read (PNG, JPEG, ...)");
      }
      return img;
    } catch (IOException e) {
      throw new UsageError(p + ": " + (Files.exists(p) ? "cannot read (" + e.getMessage() + ")" : "no such image file"));
    }
  }

  private static void write(BufferedImage img, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ImageIO.write(img, "png", file.toFile());
  }

  /** Runs the command line; returns the exit code instead of exiting (for tests). */
  public static int run(PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new GenerateCommand());
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof UsageError) {
        line.getErr().println("synergen generate: " + e.getMessage());
        return CommandLine.ExitCode.USAGE;
      }
      line.getErr().println("synergen generate: " + e);
      return 1;
    });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.err, true), args));
  }
}
