package org.synergen.eval.generate;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardRow;
import org.synergen.model.ModelCheckpoint;
import org.synergen.model.SynerGenModel;
import org.synergen.model.decode.ImageGenerator;
import org.synergen.model.decode.IncrementalDecoder;
import org.synergen.model.decode.Prompt;
import org.synergen.model.decode.Sampler;
import org.synergen.model.decode.Sampling;
import org.synergen.model.decode.TextGenerator;
import org.synergen.text.ByteTokenizer;
import org.synergen.text.ChatTemplate;
import org.synergen.text.HfTokenizer;
import org.synergen.text.SpecialTokens;
import org.synergen.text.TextTokenizer;
import org.synergen.text.TokenSequence;
import org.synergen.train.data.SampleLayout;
import org.synergen.vision.tiling.DynamicTiling;
import org.synergen.vision.vq.ImageIds;
import org.synergen.vision.vq.RgbImage;
import org.synergen.vision.vq.VisionVq;
import org.synergen.vision.vq.VqImages;

/**
 * A SynerGen-VL checkpoint that answers and draws. Questions go through the same chat template,
 * tiling, VQ encoding and folding as tokenize-job's training samples (a question is laid out as a
 * token-shard row and read back by the trainer's {@link SampleLayout}); answers are greedy with the
 * KV cache, stopping at {@code <|im_end|>} or {@code </s>}. Images follow {@link ImageGenerator}
 * and are decoded to pixels by the VQ decoder.
 *
 * <p>Text tokenizer: the given tokenizer.json, else a {@code tokenizer.json} in the checkpoint
 * folder, else the built-in byte-level tokenizer with the model's image token ids.
 */
public final class CheckpointGenerator implements MultimodalGenerator {
  private final Path checkpoint;
  private final ModelConfig cfg;
  private final IncrementalDecoder decoder;
  private final TextGenerator text;
  private final ImageGenerator images;
  private final VisionVq vq;
  private final TextTokenizer tokenizer;
  private final GenerationOptions options;

  private CheckpointGenerator(Path checkpoint, ModelConfig cfg, SynerGenModel model, VisionVq vq,
      TextTokenizer tokenizer, GenerationOptions options) {
    this.checkpoint = checkpoint;
    this.cfg = cfg;
    this.decoder = new IncrementalDecoder(model);
    this.text = new TextGenerator(decoder);
    this.images = new ImageGenerator(decoder);
    this.vq = vq;
    this.tokenizer = tokenizer;
    this.options = options;
  }

  /** Opens with {@link GenerationOptions#fromConf}'s stage-2 tiling and Emu3's sampling defaults. */
  public static CheckpointGenerator open(Path checkpoint, Path vqOrNull, Path tokenizerJsonOrNull) throws IOException {
    return open(checkpoint, vqOrNull, tokenizerJsonOrNull, GenerationOptions.fromConf(GenerationOptions.home(), "2"));
  }

  /**
   * @param vqOrNull            the VQ tokenizer folder; without it images can be neither read nor drawn
   * @param tokenizerJsonOrNull a HF tokenizer.json (see the class comment for the fallbacks)
   * @throws NoSuchFileException   a missing checkpoint, VQ or tokenizer file (bad input)
   * @throws IllegalArgumentException a checkpoint whose tokenizer or VQ does not fit it (bad input)
   */
  public static CheckpointGenerator open(Path checkpoint, Path vqOrNull, Path tokenizerJsonOrNull,
      GenerationOptions options) throws IOException {
    ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(checkpoint);
    ModelConfig cfg = loaded.config();
    SynerGenModel model = SynerGenModel.fromParameters(cfg, loaded.parameters());
    VisionVq vq = null;
    if (vqOrNull != null) {
      if (!Files.isDirectory(vqOrNull)) {
        throw new NoSuchFileException(vqOrNull.toString(), null, "no VQ tokenizer folder here");
      }
      vq = VisionVq.load(vqOrNull);
      if (vq.config().codebookSize() != cfg.vision().codebookSize()) {
        throw new IllegalArgumentException("the VQ in " + vqOrNull + " has " + vq.config().codebookSize()
            + " codes but the checkpoint's image head has " + cfg.vision().codebookSize());
      }
    }
    return new CheckpointGenerator(checkpoint, cfg, model, vq, tokenizer(checkpoint, tokenizerJsonOrNull, cfg),
        options);
  }

  /** Null when no tokenizer fits (a bare LLM checkpoint): only token-id prompts work then. */
  private static TextTokenizer tokenizer(Path checkpoint, Path json, ModelConfig cfg) {
    Map<String, Integer> fixed = new LinkedHashMap<>();
    fixed.put(SpecialTokens.BOI, cfg.vision().boiId());
    fixed.put(SpecialTokens.EOI, cfg.vision().eoiId());
    fixed.put(SpecialTokens.UNCOND, cfg.vision().uncondId());
    Path file = json != null ? json : checkpoint.resolve("tokenizer.json");
    if (json != null && !Files.isRegularFile(json)) {
      throw new IllegalArgumentException(json + ": no tokenizer.json here");
    }
    TextTokenizer t = Files.isRegularFile(file) ? HfTokenizer.load(file, fixed) : null;
    if (t == null) {
      try {
        t = new ByteTokenizer(fixed);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    t.specials().checkAgainst(cfg, t.vocabSize());
    return t;
  }

  public ModelConfig config() {
    return cfg;
  }

  /** The VQ's downsampling factor (pixels per id along a side); needs the VQ. */
  public int vqFactor() {
    return requireVq("draw images").config().spatialFactor();
  }

  public TextTokenizer tokenizer() {
    if (tokenizer == null) {
      throw new IllegalArgumentException(checkpoint + " has no tokenizer.json and its vocabulary does not fit the "
          + "byte-level tokenizer: pass --tokenizer FILE, or give token ids (--prompt-ids)");
    }
    return tokenizer;
  }

  /** The new ids after raw prompt ids (no chat template), greedy unless {@code sampling} says otherwise. */
  public int[] continueIds(int[] promptIds, int maxNewTokens, Sampling sampling, long seed, IntConsumer progress) {
    for (int i = 0; i < promptIds.length; i++) {
      if (promptIds[i] < 0 || promptIds[i] >= cfg.vocabSize()) {
        throw new IllegalArgumentException("prompt id " + i + " is " + promptIds[i] + ", outside the vocabulary [0, "
            + cfg.vocabSize() + ") of " + checkpoint);
      }
    }
    return text.generate(List.of(Prompt.text(promptIds, cfg.vision().foldSize())), maxNewTokens,
        List.of(new Sampler(sampling, seed)), Set.of(), progress).get(0);
  }

  @Override
  public String answer(List<BufferedImage> imagesIn, String question, int maxNewTokens) {
    return answer(imagesIn, question, maxNewTokens, Sampling.GREEDY, 0, null);
  }

  /**
   * {@link #answer} with a choice of sampling (seeded) and a progress callback (tokens so far). The
   * answer stops at {@code <|im_end|>} or {@code </s>}; special tokens are left out of the text.
   */
  public String answer(List<BufferedImage> imagesIn, String question, int maxNewTokens, Sampling sampling, long seed,
      IntConsumer progress) {
    TextTokenizer tok = tokenizer();
    Prompt prompt = questionPrompt(imagesIn, question);
    SpecialTokens sp = tok.specials();
    int[] ids = text.generate(List.of(prompt), maxNewTokens, List.of(new Sampler(sampling, seed)),
        Set.of(sp.imEnd(), sp.eos()), progress).get(0);
    int end = ids.length;
    if (end > 0 && (ids[end - 1] == sp.imEnd() || ids[end - 1] == sp.eos())) {
      end--;
    }
    return tok.decode(java.util.Arrays.copyOf(ids, end), true).strip();
  }

  /** The question as the model saw understanding samples in training, image ids folded in. */
  Prompt questionPrompt(List<BufferedImage> imagesIn, String question) {
    ChatTemplate template = new ChatTemplate(tokenizer());
    List<TokenShardRow.Tile> tiles = new ArrayList<>();
    List<Integer> tokensPerImage = new ArrayList<>();
    if (!imagesIn.isEmpty()) {
      ImageIds encoder = new ImageIds(requireVq("read images"), 8);
      DynamicTiling tiling = new DynamicTiling(options.tiling());
      for (BufferedImage img : imagesIn) {
        List<RgbImage> rgb = new ArrayList<>();
        for (BufferedImage t : tiling.tile(img)) {
          rgb.add(ImageIds.rgb(t));
        }
        int tokens = 0;
        for (TokenShardRow.Tile t : encoder.encode(rgb)) {
          tiles.add(t);
          tokens += t.rows() * t.cols() / cfg.vision().foldSize();
        }
        tokensPerImage.add(tokens);
      }
    }
    TokenSequence seq = template.understandingPrompt(tokensPerImage, question);
    TokenShardRow row = new TokenShardRow("question", TokenShardRow.UNDERSTANDING, TokenShardRow.SUCCESS, null,
        seq.ids(), seq.textLoss(), false, tiles, cfg.vision().foldRows(), cfg.vision().foldCols(),
        tokenizer().identity(), null);
    SampleLayout l = SampleLayout.of(row, cfg.vision());
    return new Prompt(l.tokens(), l.image(), l.imageIds(), l.imagePos());
  }

  @Override
  public BufferedImage draw(String prompt, int size, long seed) {
    return draw(List.of(prompt), size, seed, null).get(0);
  }

  /**
   * Images for many prompts, {@link GenerationOptions#batch} at a time; prompt i is sampled from
   * seed {@code firstSeed + i}. {@code progress} gets the folded positions done in the current batch.
   */
  public List<BufferedImage> draw(List<String> prompts, int size, long firstSeed, IntConsumer progress) {
    VisionVq v = requireVq("draw images");
    int factor = v.config().spatialFactor();
    int m = cfg.vision().foldRows();
    int n = cfg.vision().foldCols();
    if (size <= 0 || size % factor != 0 || (size / factor) % m != 0 || (size / factor) % n != 0) {
      throw new IllegalArgumentException("image size " + size + " must be a multiple of the VQ's downsampling factor "
          + factor + " times the " + m + "x" + n + " folding (e.g. " + factor * m * n + ")");
    }
    int grid = size / factor;
    ChatTemplate template = new ChatTemplate(tokenizer());
    int f = cfg.vision().foldSize();
    boolean guided = options.guidance().scale() != 1.0;
    Prompt uncond = Prompt.text(template.generationPrompt(options.negativePrompt()).ids(), f);
    List<BufferedImage> out = new ArrayList<>();
    for (int start = 0; start < prompts.size(); start += options.batch()) {
      List<String> chunk = prompts.subList(start, Math.min(prompts.size(), start + options.batch()));
      List<Prompt> cond = new ArrayList<>();
      List<Sampler> samplers = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        cond.add(Prompt.text(template.generationPrompt(chunk.get(i)).ids(), f));
        samplers.add(new Sampler(options.guidance().sampling(), firstSeed + start + i));
      }
      List<Prompt> unconds = guided ? java.util.Collections.nCopies(chunk.size(), uncond) : null;
      List<int[]> grids = images.generate(cond, unconds, grid, grid, options.guidance(), samplers, progress).grids();
      for (int[] g : grids) {
        out.add(pixels(v, g, grid));
      }
    }
    return out;
  }

  private static BufferedImage pixels(VisionVq v, int[] grid, int side) {
    long[] ids = new long[grid.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = grid[i];
    }
    INDArray img = v.decode(Nd4j.createFromArray(ids).reshape(1, side, side).castTo(DataType.LONG))
        .get(NDArrayIndex.point(0));
    return ImageIds.buffered(VqImages.fromPixels(img));
  }

  private VisionVq requireVq(String what) {
    if (vq == null) {
      throw new IllegalArgumentException("to " + what + " the VQ image tokenizer is needed: pass --vq DIR");
    }
    return vq;
  }
}
