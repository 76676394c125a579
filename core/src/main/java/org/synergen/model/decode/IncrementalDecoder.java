package org.synergen.model.decode;

import java.util.LinkedHashMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.config.ModelConfig;
import org.synergen.model.InputEmbedding;
import org.synergen.model.SynerGenModel;
import org.synergen.model.nn.CachedAttention;
import org.synergen.model.nn.KvCache;
import org.synergen.model.nn.LayerShape;
import org.synergen.model.nn.Linear;
import org.synergen.model.nn.Parameters;
import org.synergen.model.nn.RmsNorm;
import org.synergen.model.nn.Routing;
import org.synergen.model.nn.Rows;
import org.synergen.model.nn.SequenceLayout;
import org.synergen.model.nn.SwiGluFfn;
import org.synergen.model.nn.Transformer;
import org.synergen.model.vision.UnfoldHead;

/**
 * The SynerGen-VL LLM run incrementally over a {@link KvCache}: a prompt is fed in one call
 * (prefill), then one slot per row per call. Each new slot is embedded by its modality (text
 * embedding, or the folded image embedding of its m*n ids), attends to every cached slot of its
 * row, and goes through its modality's FFN (vision expert for image tokens), exactly as in
 * training. Reads the model's live tensors; not thread-safe (blocks keep their last inputs).
 */
public final class IncrementalDecoder {
  private final ModelConfig cfg;
  private final Parameters params;
  private final Layer[] layers;
  private final RmsNorm norm;
  private final Linear lmHead;
  private final InputEmbedding embedding;
  private final UnfoldHead unfoldHead;
  private final Transformer llm;

  private record Layer(RmsNorm inputNorm, CachedAttention attn, RmsNorm postNorm, SwiGluFfn mlp, SwiGluFfn visionMlp) {}

  public IncrementalDecoder(SynerGenModel model) {
    this.cfg = model.config();
    this.params = new Parameters(new LinkedHashMap<>(model.parameters()));
    this.layers = new Layer[cfg.numLayers()];
    LayerShape shape = LayerShape.llm(cfg);
    for (int i = 0; i < layers.length; i++) {
      String p = "model.layers." + i;
      double eps = shape.rmsNormEps();
      layers[i] = new Layer(new RmsNorm(params, p + ".input_layernorm", eps),
          new CachedAttention(params, p + ".self_attn", shape),
          new RmsNorm(params, p + ".post_attention_layernorm", eps),
          new SwiGluFfn(params, p + ".mlp"), new SwiGluFfn(params, p + ".vision_mlp"));
    }
    this.norm = new RmsNorm(params, "model.norm", cfg.rmsNormEps());
    this.lmHead = new Linear(params, "lm_head", false);
    this.embedding = new InputEmbedding(params, cfg);
    this.unfoldHead = new UnfoldHead(params, cfg);
    this.llm = new Transformer(params, "model", cfg.numLayers(), shape, true);
  }

  public ModelConfig config() {
    return cfg;
  }

  /** An empty cache for {@code batch} rows of at most {@code capacity} slots each. */
  public KvCache newCache(int batch, int capacity) {
    return new KvCache(cfg.numLayers(), batch, cfg.numKvHeads(), cfg.headDim(), capacity, params.dataType());
  }

  /**
   * Feeds the slots of {@code feed} into {@code cache} and returns their final-normed hidden
   * states [batch*n, hidden] (row-major: row b's slot t at b*n+t). Padding slots come back too,
   * meaningless.
   */
  public INDArray forward(KvCache cache, Feed feed) {
    if (feed.batch() != cache.batch() || feed.foldSize() != cfg.vision().foldSize()) {
      throw new IllegalArgumentException("feed of " + feed.batch() + " rows folding " + feed.foldSize()
          + " does not fit a cache of " + cache.batch() + " rows and a model folding " + cfg.vision().foldSize());
    }
    int n = feed.n();
    boolean[] realImage = new boolean[feed.rows()];
    for (int i = 0; i < realImage.length; i++) {
      realImage[i] = feed.image()[i] && !feed.pad()[i];
    }
    Routing routing = Routing.of(realImage);
    INDArray x = embed(feed, routing);
    int[] positions = cache.positions(n, feed.pad());
    INDArray mask = cache.mask(n, feed.pad(), cfg.numHeads() / cfg.numKvHeads(), params.dataType());
    for (int i = 0; i < layers.length; i++) {
      Layer l = layers[i];
      INDArray h = x.add(l.attn().forward(l.inputNorm().forward(x), i, cache, n, positions, mask));
      x = h.addi(ffn(l, l.postNorm().forward(h), routing));
    }
    cache.advance(n, feed.pad());
    return norm.forward(x);
  }

  /**
   * Final-normed hidden states [length, hidden] of one whole sequence through the training
   * forward ({@link Transformer}, full causal attention, no cache): what decoding without a cache
   * recomputes for every new token, and the reference the cached path is tested against.
   */
  public INDArray fullForward(Prompt prompt) {
    Feed feed = Feed.leftPadded(java.util.List.of(prompt), cfg.vision().foldSize());
    Routing routing = Routing.of(feed.image());
    return llm.forward(embed(feed, routing), SequenceLayout.causal(1, prompt.length()), routing);
  }

  /** Text logits [rows, vocab] of hidden states. */
  public INDArray textLogits(INDArray hidden) {
    return lmHead.forward(hidden);
  }

  /** The unfolding head on the same tensors (image ids of a folded block from a hidden state). */
  public UnfoldHead unfoldHead() {
    return unfoldHead;
  }

  /** The inputs of the feed's slots; padding slots are text token 0 (their outputs are never read). */
  private INDArray embed(Feed feed, Routing routing) {
    int f = cfg.vision().foldSize();
    int[] textRows = routing.textRows();
    int[] tokens = new int[textRows.length];
    for (int k = 0; k < textRows.length; k++) {
      tokens[k] = feed.pad()[textRows[k]] ? 0 : feed.tokens()[textRows[k]];
    }
    int[] imageRows = routing.visionRows();
    int[] ids = new int[imageRows.length * f];
    int[] pos = new int[imageRows.length * f];
    for (int k = 0; k < imageRows.length; k++) {
      System.arraycopy(feed.imageIds(), imageRows[k] * f, ids, k * f, f);
      System.arraycopy(feed.imagePos(), imageRows[k] * f, pos, k * f, f);
    }
    return embedding.forward(feed.rows(), routing, tokens, ids, pos);
  }

  /** The text FFN on text rows, the vision expert on image rows (static routing, as in training). */
  private static INDArray ffn(Layer l, INDArray n, Routing routing) {
    if (routing.visionRows().length == 0) {
      return l.mlp().forward(n);
    }
    if (routing.textRows().length == 0) {
      return l.visionMlp().forward(n);
    }
    INDArray out = Nd4j.zeros(n.dataType(), n.shape());
    Rows.scatterAdd(out, routing.textRows(), l.mlp().forward(Rows.gather(n, routing.textRows())));
    Rows.scatterAdd(out, routing.visionRows(), l.visionMlp().forward(Rows.gather(n, routing.visionRows())));
    return out;
  }
}
