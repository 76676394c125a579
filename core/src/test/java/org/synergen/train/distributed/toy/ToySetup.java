package org.synergen.train.distributed.toy;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.synergen.train.LearningRateSchedule;
import org.synergen.train.distributed.DistributedSettings;
import org.synergen.train.distributed.OuterUpdate;
import org.synergen.train.distributed.TrainingState;

/** The small toy problem the distributed tests share. */
public final class ToySetup {
  public static final long SEED = 42;
  public final ToyMlp model;
  public final ToyData data;
  public final ToyTrainer trainer;

  public ToySetup(int in, int hidden, int out, int batch) {
    model = new ToyMlp(in, hidden, out);
    data = new ToyData(in, out, batch);
    // warm-up then cosine, so that the step index given to each task matters
    trainer = new ToyTrainer(model, new LearningRateSchedule(1e-2, 3, LearningRateSchedule.Shape.COSINE, 40, 1e-3), 1.0);
  }

  public static ToySetup small() {
    return new ToySetup(6, 8, 3, 4);
  }

  public TrainingState start(OuterUpdate mode, int workers) {
    return TrainingState.start(1, SEED, model.initFrozen(SEED), model.initTrainable(SEED), mode, workers);
  }

  public static DistributedSettings settings(OuterUpdate mode, int workers, int localSteps, int checkpointEvery) {
    return new DistributedSettings(mode, workers, localSteps, checkpointEvery, 0.7, 0.9, 2);
  }

  /** local[threads, maxFailures]: local mode only retries tasks when maxFailures is given. */
  public static JavaSparkContext spark(int threads, int maxFailures) {
    SparkConf conf = new SparkConf()
        .setMaster("local[" + threads + "," + maxFailures + "]")
        .setAppName("synergen-distributed-test")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1");
    JavaSparkContext sc = new JavaSparkContext(conf);
    sc.setLogLevel("ERROR");
    return sc;
  }
}
