package org.synergen.io.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.synergen.config.ModelConfig;
import org.synergen.io.Npy;
import org.synergen.io.Safetensors;
import org.synergen.model.ModelCheckpoint;
import org.synergen.model.SynerGenModel;

/**
 * InternLM2 uses every id of its vocabulary, so SynerGen-VL's image special tokens must be
 * appended: the embedding and LM head grow, and every existing token keeps its exact behaviour.
 */
class VocabularyGrowthTest {

  @Test
  void imageSpecialsPastTheVocabularyGrowItAndKeepTheTextModelExact() throws IOException {
    Path dir = HfFixtures.of("internlm2-gqa-f32");
    Map<String, INDArray> hf = Safetensors.read(dir.resolve("model.safetensors"));
    long vocab = hf.get("model.tok_embeddings.weight").size(0);
    ModelConfig.Vision small = HfCheckpointTest.SMALL;
    ModelConfig.Vision past = new ModelConfig.Vision(small.codebookSize(), small.embedDim(), small.maxGridRows(),
        small.maxGridCols(), small.foldRows(), small.foldCols(), small.foldMlpHidden(), small.unfoldLayers(),
        small.unfoldHidden(), small.unfoldHeads(), small.unfoldIntermediate(),
        (int) vocab, (int) vocab + 1, (int) vocab + 2);

    ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(dir, past, 7);
    assertEquals(vocab + 3, loaded.config().vocabSize());

    // new rows are the mean of the old ones, computed here independently in double
    INDArray embed = loaded.parameters().get("model.embed_tokens.weight");
    INDArray old = hf.get("model.tok_embeddings.weight").castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
    for (int c = 0; c < old.size(1); c++) {
      double mean = 0;
      for (int r = 0; r < vocab; r++) {
        mean += old.getDouble(r, c);
      }
      mean /= vocab;
      for (long r = vocab; r < vocab + 3; r++) {
        assertEquals(mean, embed.getDouble(r, c), 1e-6);
      }
    }

    // the text model is unchanged: logits over the original vocabulary equal InternLM2's own
    SynerGenModel model = SynerGenModel.fromParameters(loaded.config(), loaded.parameters());
    long[] ids = Npy.read(dir.resolve("tokens.npy")).toLongVector();
    int[] tokens = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      tokens[i] = (int) ids[i];
    }
    INDArray ours = model.textLogits(tokens).get(NDArrayIndex.all(), NDArrayIndex.interval(0, vocab));
    INDArray theirs = Npy.read(dir.resolve("logits.npy"));
    assertArrayEquals(theirs.shape(), ours.shape());
    double maxDiff = ours.sub(theirs.reshape(ours.shape())).amaxNumber().doubleValue();
    assertTrue(maxDiff < 1e-4, "max |ours - InternLM2| over the old vocabulary = " + maxDiff);
  }
}
