package org.synergen.train.distributed;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.synergen.train.distributed.toy.ToySetup;

/**
 * The round benchmark on the toy MLP (0.5M parameters, 2 MiB; AdamW state twice that) with two
 * local workers, H = 1, 4, 16. Not part of the test suite; run it with
 * <pre>mvn -B -o -pl core test -Dtest=ToyRoundBenchmark -Dsynergen.bench=true -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * It prints a Markdown table. Rerun with the real model once its adapter exists.
 */
@EnabledIfSystemProperty(named = "synergen.bench", matches = "true")
class ToyRoundBenchmark {
  @Test
  void roundsForH1And4And16WithTwoLocalWorkers() {
    ToySetup toy = new ToySetup(256, 1024, 256, 32);
    JavaSparkContext sc = ToySetup.spark(2, 1);
    try {
      for (OuterUpdate mode : OuterUpdate.values()) {
        var rows = RoundBenchmark.run(sc, toy.trainer, toy.data, toy.start(mode, 2), ToySetup.settings(mode, 2, 1, 1),
            new int[] {1, 4, 16}, 2, 5);
        System.out.println("\nouter update " + mode.configName() + ", toy MLP 256-1024-256 ("
            + toy.start(mode, 2).trainable().numElements() + " trainable parameters), batch 32 per worker, local[2]\n"
            + RoundBenchmark.table(rows));
      }
    } finally {
      sc.stop();
    }
  }
}
