package org.synergen.pretrain;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.LayeredConfig;
import org.synergen.config.ModelConfig;
import org.synergen.io.Safetensors;
import org.synergen.io.hf.HfConfig;
import org.synergen.model.ModelCheckpoint;
import org.synergen.model.SynerGenModel;
import org.synergen.spark.QuietLogs;
import org.synergen.train.checkpoint.CheckpointStore;
import org.synergen.train.checkpoint.SafetensorsCodec;
import org.synergen.train.data.InMemorySamples;
import org.synergen.train.data.SampleSource;
import org.synergen.train.data.StepBatches;
import org.synergen.train.data.SyntheticSamples;
import org.synergen.train.data.TokenShardSamples;
import org.synergen.train.data.TokenShardSlices;
import org.synergen.train.distributed.DataParallelTrainer;
import org.synergen.train.distributed.NonFiniteTrainingException;
import org.synergen.train.distributed.RoundRunner;
import org.synergen.train.distributed.TrainingState;
import org.synergen.train.freeze.FreezePolicy;
import org.synergen.train.freeze.TrainableTensors;
import org.synergen.train.pretrain.OptimizerSettings;
import org.synergen.train.pretrain.SynerGenCheckpointLayout;
import org.synergen.train.pretrain.SynerGenLocalTrainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bin/synergen pretrain}: stage-1 / stage-2 alignment pretraining of SynerGen-VL,
 * data-parallel over Spark executors (org.synergen.train.distributed with the SynerGen adapter
 * org.synergen.train.pretrain).
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Stage-1 / stage-2 alignment pretraining of SynerGen-VL, data-parallel over Spark executors.",
        "Settings come from conf/stages/stage<N>.conf, then --conf FILE, then key=value arguments.",
        "Spark runs local[<workers>] unless spark.master is set (e.g. by spark-submit)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:finished", "1:training failed (non-finite loss, I/O); the last checkpoint is kept",
        "2:bad arguments, settings or input"})
public final class PretrainJob implements Callable<Integer> {
  static final String RANDOM = "random:";
  static final String SYNTHETIC = "synthetic:";

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--stage", required = true, paramLabel = "1|2", description = "training stage")
  int stage;

  @Option(names = "--input", required = true, paramLabel = "TOKEN_SHARDS",
      description = {"token shards of the tokenize job: its output folder or a glob of shard files (file:, hdfs://, s3a://),",
          "or synthetic:N for N made-up rows per task (a smoke test of the machinery: nothing is learned about real images)"})
  String input;

  @Option(names = "--init", required = true, paramLabel = "CHECKPOINT",
      description = {"starting weights: a HF text-LLM checkpoint directory (image parts created as init.vision-from says),",
          "a checkpoint directory of an earlier stage (stage 2 starts from stage 1's; AdamW state starts fresh),",
          "or random:MODEL_CONF (e.g. random:conf/model/tiny.conf): random weights from train.seed, no language",
          "knowledge at all: for tests and the embedded default only"})
  String init;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "checkpoints, metrics.jsonl and plots go here (Hadoop path: file://, hdfs://, s3a://)")
  String output;

  @Option(names = "--resume", description = {"continue from the newest complete checkpoint in --output;",
      "without it, an --output that already holds checkpoints is refused"})
  boolean resume;

  @Option(names = "--conf", paramLabel = "FILE", description = "HOCON file laid over the stage defaults")
  Path conf;

  @Parameters(paramLabel = "key=value", description = "single settings, e.g. distributed.workers=8 train.lr.peak=2e-4")
  List<String> overrides = new ArrayList<>();

  private final Path home;

  PretrainJob(Path home) {
    this.home = home;
  }

  public static void main(String[] args) {
    QuietLogs.apply();
    System.exit(run(Path.of(System.getProperty("synergen.home", ".")), args));
  }

  static int run(Path home, String... args) {
    return new CommandLine(new PretrainJob(home)).execute(args);
  }

  /** Starting weights and the config they imply. */
  private record Init(ModelConfig config, Map<String, INDArray> parameters, String description) {}

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    PretrainSettings settings;
    Init start;
    SampleSource source;
    try {
      settings = PretrainSettings.fromConfig(load());
      if (settings.stage() != stage) {
        throw new IllegalArgumentException("--stage " + stage + " but the settings say train.stage = " + settings.stage());
      }
      out.printf(Locale.ROOT, "stage %d: %d steps = %d rounds of H=%d on %d workers, outer update %s, lr %s %.3g%n",
          stage, settings.steps(), settings.rounds(), settings.distributed().localSteps(), settings.distributed().workers(),
          settings.distributed().outerUpdate().configName(), settings.lr().shape().name().toLowerCase(Locale.ROOT),
          settings.lr().peak());
      out.flush();
      start = init(settings);
      source = input(start.config(), settings);
    } catch (IllegalArgumentException | ConfigException | IOException | UncheckedIOException e) {
      err.println("synergen pretrain: " + e.getMessage());
      return 2;
    }
    ModelConfig cfg = start.config();
    out.printf(Locale.ROOT, "model: %s (d %d, %d layers, vocab %d); trainable: %s%n", start.description(), cfg.hiddenSize(),
        cfg.numLayers(), cfg.vocabSize(), settings.trainable());

    SynerGenLocalTrainer trainer = new SynerGenLocalTrainer(cfg, FreezePolicy.parse(settings.trainable()),
        new OptimizerSettings(settings.beta1(), settings.beta2(), settings.eps(), settings.weightDecay(), settings.gradClip(),
            SynerGenModel.DEFAULT_IMAGE_LOSS_WEIGHT), settings.lr());
    TokenShardSlices data = new TokenShardSlices(source, cfg.vision(), settings.sequenceLength(), settings.rowsPerWorker());
    int workers = settings.distributed().workers();
    List<TokenShardSlices.TaskSummary> summary;
    try {
      // one streaming pass on the driver before Spark starts, so a bad input fails with exit 2
      summary = data.summary(workers, settings.seed());
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("synergen pretrain: " + e.getMessage());
      return 2;
    }
    for (TokenShardSlices.TaskSummary t : summary) {
      out.printf(Locale.ROOT, "data %s: %d samples (%d failure rows skipped%s, %d longer than %d tokens skipped%s); "
              + "%d packed rows of %d per worker and step%n", t.task(), t.samples(), t.failed(),
          t.failedByStatus().isEmpty() ? "" : " " + t.failedByStatus(), t.tooLong(),
          settings.sequenceLength(), t.tooLongKeys().isEmpty() ? "" : ", e.g. " + t.tooLongKeys(),
          settings.rowsPerWorker(), settings.sequenceLength());
      if (t.smallestSlice() == 0) {
        err.println("synergen pretrain: some of the " + workers + " workers get no usable '" + t.task()
            + "' samples; give more data or fewer workers (distributed.workers)");
        return 2;
      }
    }
    out.flush();

    SparkConf spark = new SparkConf().setAppName("synergen pretrain stage " + stage)
        .setIfMissing("spark.master", "local[" + workers + "]");
    try (JavaSparkContext sc = new JavaSparkContext(spark)) {
      CheckpointStore store = new CheckpointStore(output, sc.hadoopConfiguration(), new SafetensorsCodec(),
          new SynerGenCheckpointLayout(cfg, trainer.trainableSet()));
      if (!resume && !store.completeCheckpoints().isEmpty()) {
        err.println("synergen pretrain: " + output + " already holds checkpoints (newest " + store.latest().orElseThrow()
            + "); add --resume to continue that run, or choose a new --output");
        return 2;
      }
      TrainableTensors.Split split = TrainableTensors.split(start.parameters(), trainer.trainableSet());
      TrainingState fresh = TrainingState.start(stage, settings.seed(), split.frozen(), split.trainable(),
          settings.distributed().outerUpdate(), workers);
      DataParallelTrainer<StepBatches> job = new DataParallelTrainer<>(
          new RoundRunner<>(sc, trainer, data, settings.distributed()), settings.distributed(), store,
          HfConfig.toJson(cfg, Safetensors.DType.F32).toString(), line -> {
            out.println(line);
            out.flush();
          });
      TrainingState state = resume ? job.resumeOrStart(fresh) : fresh;
      state = job.train(state, settings.rounds());
      out.printf(Locale.ROOT, "finished stage %d after %d rounds (%d steps, %d samples, %d tokens); checkpoints in %s%n",
          stage, state.round(), state.nextStep(), state.examplesSeen(), state.tokensSeen(), output);
      return 0;
    } catch (NonFiniteTrainingException e) {
      err.println("synergen pretrain: " + e.getMessage() + "; the last good checkpoint in " + output + " is untouched");
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println("synergen pretrain: training failed: " + e);
      return 1;
    }
  }

  /** --init: random:MODEL_CONF, or a checkpoint directory (text-only HF, or ours). */
  private Init init(PretrainSettings settings) throws IOException {
    if (init.startsWith(RANDOM)) {
      Path file = resolve(init.substring(RANDOM.length()));
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("--init " + init + ": no model config file " + file);
      }
      ModelConfig cfg = ModelConfig.fromConfig(ConfigFactory.parseFile(file.toFile()).resolve().getConfig("model"));
      return new Init(cfg, SynerGenModel.create(cfg, settings.seed()).parameters(),
          "random weights from seed " + settings.seed() + " (" + file.getFileName() + ")");
    }
    Path dir = Path.of(init);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--init " + init + " is neither a checkpoint directory nor random:MODEL_CONF");
    }
    Path visionFile = resolve(settings.visionFrom());
    if (!Files.isRegularFile(visionFile)) {
      throw new IllegalArgumentException("init.vision-from: no model config file " + visionFile);
    }
    ModelConfig.Vision vision = ModelConfig.fromConfig(ConfigFactory.parseFile(visionFile.toFile()).resolve()
        .getConfig("model")).vision();
    ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(dir, vision, settings.seed());
    return new Init(loaded.config(), loaded.parameters(), dir + (loaded.imagePartsCreated()
        ? " (text-only; image parts created from seed " + settings.seed() + ", vision experts = text FFN copies)"
        : " (SynerGen checkpoint)"));
  }

  /** --input: synthetic:N, or token shards (a folder or glob on any Hadoop file system). */
  private SampleSource input(ModelConfig cfg, PretrainSettings settings) throws IOException {
    if (input.startsWith(SYNTHETIC)) {
      int n;
      try {
        n = Integer.parseInt(input.substring(SYNTHETIC.length()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--input " + input + ": synthetic:N needs a number of rows per task");
      }
      ModelConfig.Vision v = cfg.vision();
      return new InMemorySamples(SyntheticSamples.rows(cfg, n, 2 * v.foldRows(), 2 * v.foldCols(), settings.seed()));
    }
    TokenShardSamples shards = new TokenShardSamples(input, hadoopConf());
    spec.commandLine().getOut().printf(Locale.ROOT, "input: %d token shard file(s) in %s (%s)%n", shards.files().size(),
        input, shards.identities());
    return shards;
  }

  /** Hadoop settings as Spark's executors will see them: defaults plus spark.hadoop.* (e.g. from spark-submit). */
  private static Configuration hadoopConf() {
    Configuration c = new Configuration();
    for (scala.Tuple2<String, String> kv : new SparkConf().getAllWithPrefix("spark.hadoop.")) {
      c.set(kv._1(), kv._2());
    }
    return c;
  }

  private Path resolve(String path) {
    Path p = Path.of(path);
    return p.isAbsolute() || Files.exists(p) ? p : home.resolve(p);
  }

  private Config load() {
    if (stage != 1 && stage != 2) {
      throw new IllegalArgumentException("--stage must be 1 or 2, got " + stage);
    }
    Path stageFile = home.resolve("conf/stages/stage" + stage + ".conf");
    if (!Files.isRegularFile(stageFile)) {
      throw new IllegalArgumentException("the stage defaults " + stageFile.toAbsolutePath()
          + " are missing (run through bin/synergen, or set -Dsynergen.home to the project folder)");
    }
    return LayeredConfig.load(ConfigFactory.parseFile(stageFile.toFile()), conf, overrides);
  }
}
