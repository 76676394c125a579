package org.synergen.train.pretrain;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.synergen.model.SynerGenModel;
import org.synergen.train.data.InMemorySamples;
import org.synergen.train.data.SyntheticSamples;
import org.synergen.train.data.TokenShardSlices;
import org.synergen.train.distributed.RoundBenchmark;
import org.synergen.train.distributed.TrainingState;
import org.synergen.train.distributed.toy.ToySetup;
import org.synergen.train.freeze.FreezePolicy;

/**
 * The round benchmark with the real model: conf/model/tiny.conf, stage 1 (the smallest trainable
 * set ships) and stage 2, two local workers, H = 1, 4, 16, synthetic rows packed into 2 rows of 128
 * per task and worker. Not part of the test suite; run it with
 * <pre>mvn -B -o -pl core test -Dtest=SynerGenRoundBenchmark -Dsynergen.bench=true -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@EnabledIfSystemProperty(named = "synergen.bench", matches = "true")
class SynerGenRoundBenchmark {
  @Test
  void roundsForH1And4And16WithTwoLocalWorkers() {
    TokenShardSlices data = new TokenShardSlices(
        new InMemorySamples(SyntheticSamples.rows(TinyPretrain.CFG, 96, 4, 8, 3)), TinyPretrain.CFG.vision(), 128, 2);
    JavaSparkContext sc = ToySetup.spark(2, 1);
    try {
      for (FreezePolicy policy : new FreezePolicy[] {FreezePolicy.STAGE1, FreezePolicy.STAGE2}) {
        SynerGenLocalTrainer trainer = TinyPretrain.trainer(policy, 1e-3);
        TrainingState start = TinyPretrain.start(1, SynerGenModel.create(TinyPretrain.CFG, 11).parameters(), trainer, 2);
        var rows = RoundBenchmark.run(sc, trainer, data, start, TinyPretrain.settings(2, 1), new int[] {1, 4, 16}, 1, 3);
        System.out.println("\nouter update average, " + policy + ", tiny config (" + start.trainable().numElements()
            + " trainable values, shipped each round with their AdamW moments, of "
            + (start.trainable().numElements() + start.frozen().numElements()) + " in the broadcast state), 2 x 128 tokens per task per worker, local[2]\n" + RoundBenchmark.table(rows));
      }
    } finally {
      sc.stop();
    }
  }
}
