package org.synergen.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.ingest.IngestCommand;
import org.synergen.io.Safetensors;
import org.synergen.io.hf.HfCheckpoint;
import org.synergen.model.ModelCheckpoint;
import org.synergen.model.SynerGenModel;
import org.synergen.pretrain.PretrainRunTest.Result;
import org.synergen.tokenize.TokenizeJob;
import org.synergen.train.data.StepBatches;
import org.synergen.train.data.TokenShardSamples;
import org.synergen.train.data.TokenShardSlices;
import org.synergen.train.distributed.SliceCursor;
import picocli.CommandLine;

/**
 * The bundled photos (data/sample) through every job, as the README runs them: ingest ->
 * tokenize (with the tiny Emu3-architecture VQ of the VQ parity fixtures, 16 px tiles = 8x8 ids)
 * -> pretrain stage 1 from a tiny text-only base checkpoint -> stage 2 from stage 1's checkpoint.
 */
class SampleToPretrainTest {
  private static final Path HOME = Path.of("..");
  private static final ModelConfig TINY =
      ModelConfig.fromConfig(ConfigFactory.parseFile(HOME.resolve("conf/model/tiny.conf").toFile()).getConfig("model"));
  private static final int SEQ = 320;
  private static final long SEED = 42; // conf/stages' train.seed: the job creates the image parts from it
  private static final String ATTENTION = "model.layers.0.self_attn.q_proj.weight";
  @TempDir static Path tmp;
  private static Path tokens;

  @BeforeAll
  static void ingestAndTokenizeTheSample() {
    Path shards = tmp.resolve("shards");
    assertEquals(0, new CommandLine(new IngestCommand()).execute("--input", HOME.resolve("data/sample/metadata.parquet")
        .toString(), "--output", shards.toString(), "ingest.output.samples-per-shard=10", "ingest.fetch.threads=2"));
    tokens = tmp.resolve("tokens");
    String before = System.setProperty("synergen.home", HOME.toString());
    try {
      assertEquals(0, new CommandLine(new TokenizeJob()).execute("--input", shards.toString(), "--output",
          tokens.toString(), "--vq", HOME.resolve("core/src/test/resources/vq/tiny-a").toAbsolutePath().toString(),
          "tokenize.tile-size=16"));
    } finally {
      if (before == null) {
        System.clearProperty("synergen.home");
      } else {
        System.setProperty("synergen.home", before);
      }
    }
  }

  private static String[] args(int stage, String init, Path output, int steps) {
    return new String[] {"--stage", Integer.toString(stage), "--input", tokens.toString(), "--init", init,
        "--output", output.toString(), "init.vision-from=conf/model/tiny.conf", "train.steps=" + steps,
        "train.sequence-length=" + SEQ, "train.batch-per-task=4", "train.lr.peak=3e-3", "train.lr.warmup-steps=2",
        "distributed.workers=2", "distributed.local-steps=2", "distributed.checkpoint-every-rounds=2"};
  }

  @Test
  void stage1LearnsOnTheSamplePhotosWithTheTextModelUntouchedThenStage2MovesAttention() throws Exception {
    SynerGenModel base = SynerGenModel.create(TINY, 5);
    Path baseDir = tmp.resolve("base");
    saveTextOnly(baseDir, base);

    Path s1 = tmp.resolve("stage1");
    Result r = PretrainRunTest.run(args(1, baseDir.toString(), s1, 8));
    assertEquals(0, r.code(), r.out() + r.err());
    // 28 photos in 3 image shards of 10 -> 3 token shard files, one understanding and one generation sample each
    assertTrue(r.out().contains("input: 3 token shard file(s)"), r.out());
    assertTrue(r.out().contains("(text-only; image parts created"), r.out());
    assertTrue(r.out().contains("data und: 28 samples (0 failure rows skipped, 0 longer than " + SEQ), r.out());
    assertTrue(r.out().contains("data gen: 28 samples (0 failure rows skipped, 0 longer than " + SEQ), r.out());
    Path ckpt = s1.resolve("checkpoint-00000004");
    assertTrue(Files.exists(ckpt.resolve("_COMPLETE")), r.out());
    SynerGenModel stage1 = SynerGenModel.fromParameters(TINY, ModelCheckpoint.load(ckpt).parameters());

    // the text model is frozen in stage 1: its logits on text-only input are the base model's to the bit
    assertArrayEquals(PretrainRunTest.logits(base), PretrainRunTest.logits(stage1));

    // the loss on one fixed batch of the real samples went down from the job's starting point
    SynerGenModel start = SynerGenModel.fromParameters(TINY,
        ModelCheckpoint.load(baseDir, TINY.vision(), SEED).parameters());
    StepBatches batch = new TokenShardSlices(new TokenShardSamples(tokens.toString(), new Configuration()),
        TINY.vision(), SEQ, 4).batches(0, 1, 0, 1, SEED, SliceCursor.START).next();
    double before = loss(start, batch);
    double after = loss(stage1, batch);
    assertTrue(after < 0.8 * before, "loss on a fixed batch " + before + " -> " + after);

    // stage 2 trains everything: attention moves, so text-only logits change
    Path s2 = tmp.resolve("stage2");
    Result r2 = PretrainRunTest.run(args(2, ckpt.toString(), s2, 2));
    assertEquals(0, r2.code(), r2.out() + r2.err());
    assertTrue(r2.out().contains("(SynerGen checkpoint)"), r2.out());
    SynerGenModel stage2 = SynerGenModel.fromParameters(TINY,
        ModelCheckpoint.load(s2.resolve("checkpoint-00000001")).parameters());
    assertFalse(stage1.parameters().get(ATTENTION).equals(stage2.parameters().get(ATTENTION)), "attention did not move");
    assertArrayEquals(base.parameters().get(ATTENTION).data().asFloat(), stage1.parameters().get(ATTENTION).data().asFloat());
    assertFalse(java.util.Arrays.equals(PretrainRunTest.logits(base), PretrainRunTest.logits(stage2)));
  }

  private static double loss(SynerGenModel m, StepBatches b) {
    return m.loss(b.understanding(), SynerGenModel.DEFAULT_IMAGE_LOSS_WEIGHT).total()
        + m.loss(b.generation(), SynerGenModel.DEFAULT_IMAGE_LOSS_WEIGHT).total();
  }

  /** A base LLM as the job meets it: HF names and config.json, no image parts and no synergen block. */
  private static void saveTextOnly(Path dir, SynerGenModel model) throws Exception {
    ModelCheckpoint.save(dir, TINY, model.parameters());
    Path weights = dir.resolve(HfCheckpoint.WEIGHTS);
    Map<String, INDArray> text = new LinkedHashMap<>();
    Safetensors.read(weights).forEach((name, t) -> {
      if (!name.startsWith("vision.") && !name.contains(".vision_mlp.")) {
        text.put(name, t);
      }
    });
    Safetensors.write(weights, text, Map.of(), Safetensors.DType.F32);
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = (ObjectNode) json.readTree(dir.resolve(HfCheckpoint.CONFIG).toFile());
    config.remove("synergen");
    json.writeValue(dir.resolve(HfCheckpoint.CONFIG).toFile(), config);
  }
}
