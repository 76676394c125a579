package org.synergen.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.model.Batch;

/**
 * The same SynerGen-VL training step written a second time on libtorch (through DJL), with
 * libtorch's autograd instead of our hand-written backward. It exists for two reasons only:
 * the side-by-side speed comparison the model benchmark prints, and an independent cross-check of
 * our forward pass and gradients (same weights in, same loss and gradients out).
 *
 * <p>Math mirrors {@code org.synergen.model.SynerGenModel}: pre-norm decoder layers (RMSNorm,
 * rotate-half RoPE with per-sample positions, GQA with optional q/k/v bias, SwiGLU), static
 * routing of image rows through the vision expert FFN, folding MLP (exact GELU), the unfolding
 * head as a small causal transformer over the m*n slots of each block, loss = text CE + lambda *
 * image-id CE. Routing gathers the rows of each modality and puts them back with one inverse
 * permutation, so libtorch also runs one FFN per token.
 */
public final class LibtorchSynerGen implements AutoCloseable {
  private static final float MASKED = -1e9f;

  private final ModelConfig cfg;
  private final NDManager manager;
  private final Map<String, NDArray> params = new LinkedHashMap<>();
  private final Map<String, NDArray[]> adamState = new HashMap<>();
  private int adamStep;

  /** Copies the given float32 weights (our canonical names) into libtorch tensors. */
  public LibtorchSynerGen(ModelConfig cfg, Map<String, INDArray> weights) {
    this.cfg = cfg;
    this.manager = NDManager.newBaseManager(null, "PyTorch");
    for (Map.Entry<String, INDArray> e : weights.entrySet()) {
      INDArray w = e.getValue();
      NDArray t = manager.create(w.dup('c').data().asFloat(), new Shape(w.shape()));
      t.setRequiresGradient(true);
      params.put(e.getKey(), t);
    }
  }

  /** Loss components of one forward pass: {total, text CE, image-id CE}. */
  public double[] loss(Batch batch, double lambda) {
    try (NDManager step = manager.newSubManager()) {
      NDArray[] l = forward(step, batch, lambda);
      return new double[] {l[0].getFloat(), l[1].getFloat(), l[2].getFloat()};
    }
  }

  /** Forward + backward; returns the total loss and leaves gradients in {@link #gradient}. */
  public double forwardBackward(Batch batch, double lambda) {
    try (NDManager step = manager.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      gc.zeroGradients();
      NDArray[] l = forward(step, batch, lambda);
      gc.backward(l[0]);
      return l[0].getFloat();
    }
  }

  /** Gradient of a parameter after {@link #forwardBackward}, as a flat float array. */
  public float[] gradient(String name) {
    return params.get(name).getGradient().toFloatArray();
  }

  /** One AdamW update of every parameter from the current gradients (betas 0.9/0.95, eps 1e-8). */
  public void adamW(double lr, double weightDecay) {
    adamStep++;
    double b1 = 0.9;
    double b2 = 0.95;
    double c1 = 1 - Math.pow(b1, adamStep);
    double c2 = 1 - Math.pow(b2, adamStep);
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray p = e.getValue();
      NDArray[] mv = adamState.computeIfAbsent(e.getKey(), k -> new NDArray[] {p.zerosLike(), p.zerosLike()});
      // every temporary is closed at once: they belong to the long-lived manager, which would
      // otherwise keep each step's arrays alive (and the RSS growing) until the end of the run
      try (NDArray g = p.getGradient();
          NDArray g1 = g.mul((float) (1 - b1));
          NDArray g2 = g.square()) {
        mv[0].muli((float) b1).addi(g1);
        mv[1].muli((float) b2).addi(g2.muli((float) (1 - b2)));
      }
      try (NDArray mHat = mv[0].div((float) c1);
          NDArray vHat = mv[1].div((float) c2);
          NDArray denom = vHat.sqrt()) {
        mHat.divi(denom.addi(1e-8f)).muli((float) lr);
        p.muli((float) (1 - lr * weightDecay)).subi(mHat);
      }
    }
  }

  private NDArray p(String name) {
    NDArray t = params.get(name);
    if (t == null) {
      throw new IllegalArgumentException("libtorch twin: no parameter " + name);
    }
    return t;
  }

  private NDArray[] forward(NDManager m, Batch b, double lambda) {
    // results of ops on a parameter belong to the parameter's manager: attaching the parameters to
    // this step's manager for the step makes every activation go when the step closes
    m.tempAttachAll(params.values().toArray(new NDArray[0]));
    int rows = b.batchSize() * b.seqLen();
    int foldSize = b.foldSize();
    int[] textRows = indices(b.image(), false);
    int[] imageRows = indices(b.image(), true);

    // Embeddings: text rows from the vocabulary table, image rows through the folding MLP.
    NDArray textEmb = p("model.embed_tokens.weight").get(longs(m, pick(b.tokens(), textRows)));
    NDArray x;
    if (imageRows.length > 0) {
      NDArray blocks = foldingMlp(m, slots(b.imageIds(), imageRows, foldSize), slots(b.imagePos(), imageRows, foldSize));
      x = textEmb.concat(blocks, 0).get(longs(m, inversePermutation(textRows, imageRows)));
    } else {
      x = textEmb;
    }

    int[] positions = positions(b.batchSize(), b.seqLen(), b.segment());
    NDArray mask = sampleMask(m, b.batchSize(), b.seqLen(), b.segment());
    NDArray h = transformer(m, "model", cfg.numLayers(), cfg.numHeads(), cfg.numKvHeads(), cfg.headDim(),
        x, b.batchSize(), b.seqLen(), positions, mask, textRows, imageRows, true);

    NDArray zero = m.create(0f);
    int[] textLossRows = indices(b.textLoss(), true);
    NDArray textLoss = zero;
    if (textLossRows.length > 0) {
      NDArray logits = linear(h.get(longs(m, textLossRows)), "lm_head", false);
      textLoss = crossEntropy(logits, longs(m, pick(b.textTarget(), textLossRows)));
    }
    int[] imageLossRows = indices(b.imageLoss(), true);
    NDArray imageLoss = zero;
    if (imageLossRows.length > 0) {
      int[] targets = slots(b.imageTarget(), imageLossRows, foldSize);
      NDArray logits = unfoldHead(m, h.get(longs(m, imageLossRows)), targets);
      imageLoss = crossEntropy(logits, longs(m, targets));
    }
    return new NDArray[] {textLoss.add(imageLoss.mul((float) lambda)), textLoss, imageLoss};
  }

  private NDArray foldingMlp(NDManager m, int[] ids, int[] pos) {
    ModelConfig.Vision v = cfg.vision();
    NDArray e = p("vision.embed_tokens.weight").get(longs(m, ids))
        .add(p("vision.pos_embed.weight").get(longs(m, pos)));
    NDArray flat = e.reshape(ids.length / v.foldSize(), (long) v.foldSize() * v.embedDim());
    return linear(gelu(linear(flat, "vision.fold_mlp.fc1", true)), "vision.fold_mlp.fc2", true);
  }

  private NDArray unfoldHead(NDManager m, NDArray h, int[] ids) {
    ModelConfig.Vision v = cfg.vision();
    String prefix = "vision.unfold_head";
    int slots = v.foldSize();
    int blocks = (int) h.getShape().get(0);
    int u = v.unfoldHidden();
    NDArray first = v.unfoldHidden() != cfg.hiddenSize() ? linear(h, prefix + ".proj", false) : h;
    NDArray x = first.reshape(blocks, 1, u);
    if (slots > 1) {
      int[] prev = new int[blocks * (slots - 1)];
      for (int i = 0; i < blocks; i++) {
        System.arraycopy(ids, i * slots, prev, i * (slots - 1), slots - 1);
      }
      NDArray e = p(prefix + ".embed_tokens.weight").get(longs(m, prev)).reshape(blocks, slots - 1, u);
      x = x.concat(e, 1);
    }
    x = x.add(p(prefix + ".slot_embed.weight").reshape(1, slots, u)).reshape((long) blocks * slots, u);
    int[] segment = new int[blocks * slots];
    int[] positions = positions(blocks, slots, segment);
    NDArray mask = sampleMask(m, blocks, slots, segment);
    int[] all = new int[blocks * slots];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    NDArray out = transformer(m, prefix, v.unfoldLayers(), v.unfoldHeads(), v.unfoldHeads(), u / v.unfoldHeads(),
        x, blocks, slots, positions, mask, all, new int[0], false);
    return linear(out, prefix + ".lm_head", false);
  }

  private NDArray transformer(NDManager m, String prefix, int layers, int heads, int kvHeads, int headDim,
      NDArray x, int batch, int seq, int[] positions, NDArray mask, int[] textRows, int[] imageRows,
      boolean withVision) {
    NDArray[] rope = ropeTables(m, positions, headDim);
    NDArray perm = imageRows.length > 0 ? longs(m, inversePermutation(textRows, imageRows)) : null;
    for (int i = 0; i < layers; i++) {
      String l = prefix + ".layers." + i;
      NDArray a = attention(rmsNorm(x, l + ".input_layernorm"), l + ".self_attn", heads, kvHeads, headDim,
          batch, seq, rope, mask);
      NDArray hdn = x.add(a);
      NDArray n = rmsNorm(hdn, l + ".post_attention_layernorm");
      NDArray ffn;
      if (perm == null) {
        ffn = swiGlu(n, l + ".mlp");
      } else if (textRows.length == 0) {
        ffn = swiGlu(n, l + ".vision_mlp");
      } else {
        NDArray t = swiGlu(n.get(longs(m, textRows)), l + ".mlp");
        NDArray vis = swiGlu(n.get(longs(m, imageRows)), l + ".vision_mlp");
        ffn = t.concat(vis, 0).get(perm);
      }
      x = hdn.add(ffn);
    }
    if (!withVision && imageRows.length > 0) {
      throw new IllegalStateException("image rows routed into a transformer without vision experts");
    }
    return rmsNorm(x, prefix + ".norm");
  }

  private NDArray attention(NDArray x, String prefix, int heads, int kvHeads, int headDim, int batch, int seq,
      NDArray[] rope, NDArray mask) {
    boolean bias = cfg.attentionBias();
    NDArray q = toHeads(applyRope(linear(x, prefix + ".q_proj", bias), heads, headDim, rope), batch, seq, heads, headDim);
    NDArray k = toHeads(applyRope(linear(x, prefix + ".k_proj", bias), kvHeads, headDim, rope), batch, seq, kvHeads, headDim);
    NDArray v = toHeads(linear(x, prefix + ".v_proj", bias), batch, seq, kvHeads, headDim);
    if (kvHeads != heads) {
      k = k.repeat(1, heads / kvHeads);
      v = v.repeat(1, heads / kvHeads);
    }
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).divi((float) Math.sqrt(headDim)).add(mask);
    NDArray ctx = scores.softmax(-1).matMul(v);
    NDArray merged = ctx.transpose(0, 2, 1, 3).reshape((long) batch * seq, (long) heads * headDim);
    return linear(merged, prefix + ".o_proj", false);
  }

  private static NDArray toHeads(NDArray x, int batch, int seq, int heads, int headDim) {
    return x.reshape(batch, seq, heads, headDim).transpose(0, 2, 1, 3);
  }

  /** Rotate-half RoPE on [rows, heads*headDim] with per-row cos/sin [rows, 1, headDim]. */
  private static NDArray applyRope(NDArray x, int heads, int headDim, NDArray[] rope) {
    long rows = x.getShape().get(0);
    NDArray x3 = x.reshape(rows, heads, headDim);
    int half = headDim / 2;
    NDArray x1 = x3.get(":, :, :" + half);
    NDArray x2 = x3.get(":, :, " + half + ":");
    NDArray rotated = x2.neg().concat(x1, 2);
    return x3.mul(rope[0]).add(rotated.mul(rope[1])).reshape(rows, (long) heads * headDim);
  }

  private NDArray[] ropeTables(NDManager m, int[] positions, int headDim) {
    double theta = cfg.ropeTheta();
    int half = headDim / 2;
    float[] cos = new float[positions.length * headDim];
    float[] sin = new float[cos.length];
    for (int r = 0; r < positions.length; r++) {
      for (int j = 0; j < half; j++) {
        double angle = positions[r] * Math.pow(theta, -2.0 * j / headDim);
        float c = (float) Math.cos(angle);
        float s = (float) Math.sin(angle);
        cos[r * headDim + j] = c;
        cos[r * headDim + j + half] = c;
        sin[r * headDim + j] = s;
        sin[r * headDim + j + half] = s;
      }
    }
    Shape shape = new Shape(positions.length, 1, headDim);
    return new NDArray[] {m.create(cos, shape), m.create(sin, shape)};
  }

  private NDArray rmsNorm(NDArray x, String prefix) {
    NDArray ms = x.square().mean(new int[] {-1}, true);
    return x.mul(ms.add((float) cfg.rmsNormEps()).pow(-0.5f)).mul(p(prefix + ".weight"));
  }

  private NDArray swiGlu(NDArray x, String prefix) {
    NDArray gate = linear(x, prefix + ".gate_proj", false);
    NDArray act = gate.mul(ai.djl.nn.Activation.sigmoid(gate));
    return linear(act.mul(linear(x, prefix + ".up_proj", false)), prefix + ".down_proj", false);
  }

  private static NDArray gelu(NDArray x) {
    return x.mul(x.div((float) Math.sqrt(2.0)).erf().add(1f).mul(0.5f));
  }

  private NDArray linear(NDArray x, String prefix, boolean bias) {
    NDArray y = x.matMul(p(prefix + ".weight").transpose());
    return bias ? y.add(p(prefix + ".bias")) : y;
  }

  private static NDArray crossEntropy(NDArray logits, NDArray targets) {
    NDArray logp = logits.logSoftmax(-1);
    NDArray picked = logp.get(new NDIndex().addAllDim().addPickDim(targets.reshape(targets.getShape().get(0), 1)));
    return picked.mean().neg();
  }

  /** Additive mask [B, 1, T, T]: a position sees earlier positions of its own sample only. */
  private static NDArray sampleMask(NDManager m, int batch, int seq, int[] segment) {
    float[] mask = new float[batch * seq * seq];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < seq; i++) {
        for (int j = 0; j < seq; j++) {
          boolean visible = j <= i && segment[b * seq + j] == segment[b * seq + i];
          mask[(b * seq + i) * seq + j] = visible ? 0f : MASKED;
        }
      }
    }
    return m.create(mask, new Shape(batch, 1, seq, seq));
  }

  /** RoPE positions restart at 0 where a sample (a run of equal segment ids in a row) starts. */
  private static int[] positions(int batch, int seq, int[] segment) {
    int[] pos = new int[batch * seq];
    for (int i = 0; i < pos.length; i++) {
      int t = i % seq;
      pos[i] = (t > 0 && segment[i] == segment[i - 1]) ? pos[i - 1] + 1 : 0;
    }
    return pos;
  }

  private static int[] indices(boolean[] flags, boolean want) {
    int n = 0;
    for (boolean f : flags) {
      n += f == want ? 1 : 0;
    }
    int[] idx = new int[n];
    int k = 0;
    for (int i = 0; i < flags.length; i++) {
      if (flags[i] == want) {
        idx[k++] = i;
      }
    }
    return idx;
  }

  private static int[] pick(int[] values, int[] at) {
    int[] out = new int[at.length];
    for (int k = 0; k < at.length; k++) {
      out[k] = values[at[k]];
    }
    return out;
  }

  private static int[] slots(int[] perPosition, int[] positions, int foldSize) {
    int[] out = new int[positions.length * foldSize];
    for (int k = 0; k < positions.length; k++) {
      System.arraycopy(perPosition, positions[k] * foldSize, out, k * foldSize, foldSize);
    }
    return out;
  }

  /** Index that puts concat(rows of a, rows of b) back into original row order. */
  private static int[] inversePermutation(int[] a, int[] b) {
    int[] inv = new int[a.length + b.length];
    for (int k = 0; k < a.length; k++) {
      inv[a[k]] = k;
    }
    for (int k = 0; k < b.length; k++) {
      inv[b[k]] = a.length + k;
    }
    return inv;
  }

  private static NDArray longs(NDManager m, int[] values) {
    long[] l = new long[values.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = values[i];
    }
    return m.create(l);
  }

  @Override
  public void close() {
    manager.close();
  }
}
