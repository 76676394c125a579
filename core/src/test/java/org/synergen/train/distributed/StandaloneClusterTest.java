package org.synergen.train.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.train.checkpoint.CheckpointStore;
import org.synergen.train.checkpoint.SafetensorsCodec;
import org.synergen.train.distributed.toy.ToyClusterJob;
import org.synergen.train.distributed.toy.ToySetup;

/**
 * The toy job on a real Spark standalone cluster ({@link LoopbackCluster}: a Master and two
 * Workers on loopback from the Maven jars), its checkpoints checked against the same job in local
 * mode, every process stopped after. pretrain-job's PretrainClusterTest submits the real job.
 */
class StandaloneClusterTest {
  @TempDir Path tmp;

  @Test
  void theToyJobTrainsOnAMasterWithTwoWorkersAndMatchesLocalMode() throws Exception {
    Path output = tmp.resolve("cluster-run");
    try (LoopbackCluster cluster = new LoopbackCluster(tmp).start(2)) {
      String log = cluster.submit(240, List.of(), ToyClusterJob.class.getName(), output.toUri().toString(), "4");
      assertTrue(log.contains("toy job finished at round 4"), log);
      assertEquals(2, cluster.executorCount(), "executors were launched by the two workers");
    }

    CheckpointStore cluster = new CheckpointStore(output.toUri().toString(), new Configuration(), new SafetensorsCodec());
    assertEquals(List.of("checkpoint-00000002", "checkpoint-00000004"),
        cluster.completeCheckpoints().stream().map(org.apache.hadoop.fs.Path::getName).toList());

    // the same job in local mode, one JVM: separate executor JVMs must not change a bit
    Path localOut = tmp.resolve("local-run");
    JavaSparkContext sc = ToySetup.spark(2, 1);
    try {
      ToyClusterJob.run(sc, localOut.toUri().toString(), 4);
    } finally {
      sc.stop();
    }
    for (String f : List.of(CheckpointStore.MODEL, CheckpointStore.OPTIMIZER)) {
      assertArrayEquals(Files.readAllBytes(localOut.resolve("checkpoint-00000004").resolve(f)),
          Files.readAllBytes(output.resolve("checkpoint-00000004").resolve(f)), f);
    }
  }
}
