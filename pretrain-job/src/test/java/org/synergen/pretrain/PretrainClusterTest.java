package org.synergen.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.model.ModelCheckpoint;
import org.synergen.train.distributed.LoopbackCluster;

/**
 * The real {@code pretrain} job submitted to a Spark standalone cluster (a Master and two Workers
 * on loopback from the Maven jars, core's LoopbackCluster): tiny config, synthetic rows, stage 1,
 * two rounds on two executors, checkpoints written, every process stopped after.
 */
class PretrainClusterTest {
  @TempDir Path tmp;

  @Test
  void stage1RunsOnAMasterWithTwoWorkersAndWritesCheckpoints() throws Exception {
    Path output = tmp.resolve("stage1");
    try (LoopbackCluster cluster = new LoopbackCluster(tmp).start(2)) {
      String log = cluster.submit(240, List.of("-Dsynergen.home=" + Path.of("..").toAbsolutePath().normalize()),
          PretrainJob.class.getName(), "--stage", "1", "--input", "synthetic:16", "--init", "random:conf/model/tiny.conf",
          "--output", output.toUri().toString(), "train.steps=4", "train.sequence-length=64", "train.batch-per-task=2",
          "distributed.workers=2", "distributed.local-steps=2", "distributed.checkpoint-every-rounds=1");
      assertTrue(log.contains("finished stage 1 after 2 rounds (4 steps"), log);
      assertEquals(2, cluster.executorCount(), "executors were launched by the two workers");
    }
    for (String ckpt : List.of("checkpoint-00000001", "checkpoint-00000002")) {
      assertTrue(Files.exists(output.resolve(ckpt).resolve("_COMPLETE")), ckpt);
    }
    // a checkpoint of the tiny model that loads back
    assertEquals(PretrainRunTest.TINY, ModelCheckpoint.load(output.resolve("checkpoint-00000002")).config());
  }
}
