package org.synergen.bench;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.config.ModelConfig;
import org.synergen.model.SynerGenModel;
import org.synergen.model.decode.Feed;
import org.synergen.model.decode.Guidance;
import org.synergen.model.decode.ImageGenerator;
import org.synergen.model.decode.IncrementalDecoder;
import org.synergen.model.decode.Prompt;
import org.synergen.model.decode.Sampler;
import org.synergen.model.nn.KvCache;
import org.synergen.vision.vq.VisionVq;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Decoding speed on one machine, side by side in one run: new tokens per second with the KV cache
 * (prefill once, then one token per call) against recomputing the full forward over the whole
 * sequence for every new token, at each context length; and images per second of guided image
 * generation (LLM + unfolding head, CFG's two branches, VQ decoding) at one size.
 */
@Command(name = "bench-decode", mixinStandardHelpOptions = true,
    description = "Decode tokens/s with the KV cache vs full recompute, and images/s with CFG (conf/model/bench.conf).")
public final class DecodeBenchmark implements Callable<Integer> {
  @Option(names = "--model", description = "HOCON model file (default: conf/model/bench.conf)")
  Path modelFile;

  @Option(names = "--context", split = ",", defaultValue = "256,1024",
      description = "prompt lengths (default: ${DEFAULT-VALUE})")
  int[] contexts;

  @Option(names = "--tokens", defaultValue = "32", description = "new tokens timed with the cache (default: ${DEFAULT-VALUE})")
  int tokens;

  @Option(names = "--recompute-tokens", defaultValue = "4",
      description = "new tokens timed by full recompute (default: ${DEFAULT-VALUE})")
  int recomputeTokens;

  @Option(names = "--vq", description = "VQ tokenizer for the image row (default: data/vq-tiny)")
  Path vq;

  @Option(names = "--image-size", defaultValue = "256", description = "image side in pixels (default: ${DEFAULT-VALUE})")
  int imageSize;

  @Option(names = "--images", defaultValue = "1", description = "images timed, one batch (default: ${DEFAULT-VALUE})")
  int images;

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(System.getProperty("synergen.home", "."));
    Path file = modelFile != null ? modelFile : home.resolve("conf/model/bench.conf");
    ModelConfig cfg = ModelConfig.fromConfig(ConfigFactory.parseFile(file.toFile()).resolve().getConfig("model"));
    IncrementalDecoder dec = new IncrementalDecoder(SynerGenModel.create(cfg, 1));
    int f = cfg.vision().foldSize();
    System.out.printf(Locale.ROOT, "model %s: d %d, %d layers, vocab %d; %d CPU threads%n", file, cfg.hiddenSize(),
        cfg.numLayers(), cfg.vocabSize(), Runtime.getRuntime().availableProcessors());
    System.out.println("| context | cached tokens/s | recompute tokens/s | ratio |");
    System.out.println("|---|---|---|---|");
    for (int ctx : contexts) {
      int[] prompt = new SplittableRandom(ctx).ints(ctx, 0, cfg.vocabSize()).toArray();
      cached(dec, prompt, 2, f); // warm-up
      double cachedRate = cached(dec, prompt, tokens, f);
      double recomputeRate = recompute(dec, prompt, recomputeTokens, f);
      System.out.printf(Locale.ROOT, "| %d | %.1f | %.2f | %.1fx |%n", ctx, cachedRate, recomputeRate,
          cachedRate / recomputeRate);
    }
    Path vqDir = vq != null ? vq : home.resolve("data/vq-tiny");
    VisionVq v = VisionVq.load(vqDir);
    int grid = imageSize / v.config().spatialFactor();
    ImageGenerator gen = new ImageGenerator(dec);
    int[] cond = new SplittableRandom(3).ints(24, 0, 256).toArray();
    cond[cond.length - 1] = cfg.vision().boiId();
    int[] uncond = {1, 2, 3, cfg.vision().uncondId(), cfg.vision().boiId()};
    List<Prompt> conds = Collections.nCopies(images, Prompt.text(cond, f));
    List<Prompt> unconds = Collections.nCopies(images, Prompt.text(uncond, f));
    List<Sampler> samplers = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      samplers.add(new Sampler(Guidance.EMU3.sampling(), i));
    }
    int blocks = grid * grid / f;
    long t0 = System.nanoTime();
    List<int[]> grids = gen.generate(conds, unconds, grid, grid, Guidance.EMU3, samplers, done -> {
      if (done % 64 == 0) {
        System.err.printf(Locale.ROOT, "image: %d/%d folded positions%n", done, blocks);
      }
    }).grids();
    double idsSeconds = (System.nanoTime() - t0) * 1e-9;
    long t1 = System.nanoTime();
    for (int[] g : grids) {
      long[] ids = new long[g.length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = g[i];
      }
      v.decode(Nd4j.createFromArray(ids).reshape(1, grid, grid).castTo(DataType.LONG));
    }
    double vqSeconds = (System.nanoTime() - t1) * 1e-9;
    System.out.printf(Locale.ROOT, "%n| image | ids (LLM + unfold head, CFG) | VQ decode | images/s |%n|---|---|---|---|%n"
        + "| %dx%d, %dx%d ids, %d folded positions, batch %d, g %.1f | %.1f s | %.1f s | %.3f |%n",
        imageSize, imageSize, grid, grid, blocks, images, Guidance.EMU3.scale(), idsSeconds, vqSeconds,
        images / (idsSeconds + vqSeconds));
    return 0;
  }

  /** Tokens/s of greedy-free stepping (the cost is the model, not the choice): prefill, then one token a call. */
  private static double cached(IncrementalDecoder dec, int[] prompt, int n, int f) {
    KvCache cache = dec.newCache(1, prompt.length + n);
    dec.forward(cache, Feed.leftPadded(List.of(Prompt.text(prompt, f)), f));
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      dec.textLogits(dec.forward(cache, Feed.text(new int[] {prompt[i]}, f)));
    }
    return n / ((System.nanoTime() - t0) * 1e-9);
  }

  /** Tokens/s when every new token recomputes the whole sequence so far (no cache). */
  private static double recompute(IncrementalDecoder dec, int[] prompt, int n, int f) {
    dec.fullForward(Prompt.text(prompt, f)); // warm-up
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int[] seq = java.util.Arrays.copyOf(prompt, prompt.length + i + 1);
      seq[prompt.length + i] = prompt[i];
      var h = dec.fullForward(Prompt.text(seq, f));
      dec.textLogits(h.getRow(h.size(0) - 1, true));
    }
    return n / ((System.nanoTime() - t0) * 1e-9);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DecodeBenchmark()).execute(args));
  }
}
