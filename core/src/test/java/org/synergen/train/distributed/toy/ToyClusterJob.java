package org.synergen.train.distributed.toy;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.synergen.train.checkpoint.CheckpointStore;
import org.synergen.train.checkpoint.SafetensorsCodec;
import org.synergen.train.distributed.DataParallelTrainer;
import org.synergen.train.distributed.DistributedSettings;
import org.synergen.train.distributed.OuterUpdate;
import org.synergen.train.distributed.RoundRunner;
import org.synergen.train.distributed.TrainingState;

/**
 * A Spark application training the toy model data-parallel: what StandaloneClusterTest submits
 * with SparkSubmit. Arguments: OUTPUT_DIR ROUNDS; the master comes from spark-submit.
 */
public final class ToyClusterJob {
  public static final DistributedSettings SETTINGS = ToySetup.settings(OuterUpdate.AVERAGE, 2, 2, 2);

  private ToyClusterJob() {}

  public static void main(String[] args) {
    JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("synergen-toy-data-parallel"));
    try {
      TrainingState end = run(sc, args[0], Long.parseLong(args[1]));
      System.out.println("toy job finished at round " + end.round());
    } finally {
      sc.stop();
    }
  }

  public static TrainingState run(JavaSparkContext sc, String output, long rounds) {
    ToySetup toy = ToySetup.small();
    CheckpointStore store = new CheckpointStore(output, sc.hadoopConfiguration(), new SafetensorsCodec());
    DataParallelTrainer<ToyBatch> t = new DataParallelTrainer<>(new RoundRunner<>(sc, toy.trainer, toy.data, SETTINGS),
        SETTINGS, store, "{\"model_type\":\"toy\"}", System.out::println);
    return t.train(t.resumeOrStart(toy.start(SETTINGS.outerUpdate(), SETTINGS.workers())), rounds);
  }
}
