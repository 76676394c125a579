package org.synergen.train.pretrain;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.model.ParameterShapes;
import org.synergen.model.SynerGenModel;
import org.synergen.model.nn.Execution;
import org.synergen.train.LearningRateSchedule;
import org.synergen.train.data.InMemorySamples;
import org.synergen.train.data.SyntheticSamples;
import org.synergen.train.data.TokenShardSlices;
import org.synergen.train.distributed.DistributedSettings;
import org.synergen.train.distributed.OuterUpdate;
import org.synergen.train.distributed.TrainingState;
import org.synergen.train.freeze.FreezePolicy;
import org.synergen.train.freeze.TrainableTensors;

/** conf/model/tiny.conf on synthetic token-shard rows (4x8 VQ grids = 4 folded tokens), sequences of 64. */
final class TinyPretrain {
  static final ModelConfig CFG =
      ModelConfig.fromConfig(ConfigFactory.parseFile(new File("../conf/model/tiny.conf")).getConfig("model"));
  static final long SEED = 7;
  static final int SEQ = 64;

  private TinyPretrain() {}

  /** 48 rows per task: 24 per worker of two, ~6 samples per row, 2 rows per batch. */
  static TokenShardSlices data() {
    return new TokenShardSlices(new InMemorySamples(SyntheticSamples.rows(CFG, 48, 4, 8, 3)), CFG.vision(), SEQ, 2);
  }

  static final OptimizerSettings OPTIMIZER = new OptimizerSettings(0.9, 0.95, 1e-8, 0.05, 1.0, 2.0);

  static LearningRateSchedule schedule(double peak) {
    return new LearningRateSchedule(peak, 2, LearningRateSchedule.Shape.CONSTANT, 1000, 0);
  }

  static SynerGenLocalTrainer trainer(FreezePolicy policy, double peak) {
    return trainer(policy, peak, Execution.DEFAULT);
  }

  static SynerGenLocalTrainer trainer(FreezePolicy policy, double peak, Execution execution) {
    return new SynerGenLocalTrainer(CFG, policy, OPTIMIZER, schedule(peak), execution);
  }

  static TrainingState start(int stage, Map<String, INDArray> params, SynerGenLocalTrainer trainer, int workers) {
    TrainableTensors.Split s = TrainableTensors.split(params, trainer.trainableSet());
    return TrainingState.start(stage, SEED, s.frozen(), s.trainable(), OuterUpdate.AVERAGE, workers);
  }

  static DistributedSettings settings(int workers, int h) {
    return new DistributedSettings(OuterUpdate.AVERAGE, workers, h, 1, 0.7, 0.9, 2);
  }

  /** The model a state stands for. */
  static SynerGenModel model(TrainingState s, SynerGenLocalTrainer trainer) {
    return SynerGenModel.fromParameters(CFG, TrainableTensors.merge(s.frozen(), s.trainable(), trainer.trainableSet(),
        new ArrayList<>(ParameterShapes.of(CFG).keySet())));
  }

  static List<String> names() {
    return new ArrayList<>(ParameterShapes.of(CFG).keySet());
  }
}
