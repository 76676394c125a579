package org.synergen.train.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.synergen.train.distributed.DistributedSettings;
import org.synergen.train.distributed.OptimizerState;
import org.synergen.train.distributed.TensorSet;
import org.synergen.train.distributed.TrainingState;

/**
 * Checkpoints of a training run under one directory on any Hadoop path.
 *
 * <pre>
 *   DIR/checkpoint-00000012/   after 12 rounds
 *     model.safetensors        all parameters (frozen and trainable), as the {@link ParameterLayout} lays them out
 *     optimizer.safetensors    inner optimizer state(s) "inner/&lt;worker&gt;/&lt;name&gt;",
 *                              DiLoCo outer momentum "outer_momentum/&lt;name&gt;"
 *     config.json              the model config
 *     trainer_state.json       stage, round, step, data cursor, seeds ({@link TrainerStateFile})
 *     _COMPLETE                written last
 * </pre>
 *
 * <p>Atomic: everything is written under {@code DIR/_tmp-checkpoint-...} and renamed when
 * complete, so a reader never sees a half-written {@code checkpoint-N}. On object stores (s3a)
 * a directory rename is a copy, not atomic; a checkpoint therefore also counts only when its
 * {@code _COMPLETE} marker is there.
 */
public final class CheckpointStore {
  public static final String MODEL = "model.safetensors";
  public static final String OPTIMIZER = "optimizer.safetensors";
  public static final String CONFIG = "config.json";
  public static final String TRAINER_STATE = "trainer_state.json";
  public static final String COMPLETE = "_COMPLETE";
  private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)");
  private static final String TMP_PREFIX = "_tmp-checkpoint-";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final FileSystem fs;
  private final TensorCodec codec;
  private final ParameterLayout layout;

  public CheckpointStore(String dir, Configuration hadoop, TensorCodec codec) {
    this(dir, hadoop, codec, ParameterLayout.AS_IS);
  }

  /** @param layout how the state's parameters map to what {@value #MODEL} holds */
  public CheckpointStore(String dir, Configuration hadoop, TensorCodec codec, ParameterLayout layout) {
    try {
      this.dir = new Path(dir);
      this.fs = this.dir.getFileSystem(hadoop);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the checkpoint directory " + dir, e);
    }
    this.codec = codec;
    this.layout = layout;
  }

  public Path directory() {
    return dir;
  }

  public FileSystem fileSystem() {
    return fs;
  }

  /** Writes {@code state} as {@code checkpoint-<round>}, atomically; returns its path. */
  public Path write(TrainingState state, String configJson, DistributedSettings settings) throws IOException {
    Path target = new Path(dir, String.format("checkpoint-%08d", state.round()));
    Path tmp = new Path(dir, TMP_PREFIX + String.format("%08d-", state.round()) + UUID.randomUUID().toString().substring(0, 8));
    fs.mkdirs(tmp);
    try {
      Map<String, String> meta = Map.of("format", "pt", "round", Long.toString(state.round()));
      try (OutputStream out = fs.create(new Path(tmp, MODEL), false)) {
        codec.write(layout.toFile(state.frozen(), state.trainable()), meta, out);
      }
      try (OutputStream out = fs.create(new Path(tmp, OPTIMIZER), false)) {
        codec.write(optimizerTensors(state), meta, out);
      }
      writeText(new Path(tmp, CONFIG), configJson);
      writeText(new Path(tmp, TRAINER_STATE), JSON.writeValueAsString(describe(state, settings)));
      writeText(new Path(tmp, COMPLETE), "complete\n");
      if (fs.exists(target)) {
        // only after a resume from an older checkpoint: the rerun reproduces the same state
        fs.delete(target, true);
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("could not rename " + tmp + " to " + target);
      }
      return target;
    } catch (IOException | RuntimeException e) {
      try {
        fs.delete(tmp, true);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Complete checkpoints, oldest first. */
  public List<Path> completeCheckpoints() throws IOException {
    List<Path> found = new ArrayList<>();
    if (!fs.exists(dir)) {
      return found;
    }
    List<FileStatus> entries = new ArrayList<>(List.of(fs.listStatus(dir)));
    entries.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    for (FileStatus st : entries) {
      if (st.isDirectory() && NAME.matcher(st.getPath().getName()).matches()
          && fs.exists(new Path(st.getPath(), COMPLETE))) {
        found.add(st.getPath());
      }
    }
    return found;
  }

  public Optional<Path> latest() throws IOException {
    List<Path> all = completeCheckpoints();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** Removes temporary directories that a crashed writer left behind; returns how many. */
  public int removeAbandonedWrites() throws IOException {
    int n = 0;
    if (fs.exists(dir)) {
      for (FileStatus st : fs.listStatus(dir)) {
        if (st.getPath().getName().startsWith(TMP_PREFIX)) {
          fs.delete(st.getPath(), true);
          n++;
        }
      }
    }
    return n;
  }

  public TrainerStateFile readTrainerState(Path checkpoint) throws IOException {
    try (InputStream in = fs.open(new Path(checkpoint, TRAINER_STATE))) {
      TrainerStateFile f = JSON.readValue(in, TrainerStateFile.class);
      if (!TrainerStateFile.FORMAT.equals(f.format())) {
        throw new IOException(checkpoint + "/" + TRAINER_STATE + " has format '" + f.format()
            + "', this build reads '" + TrainerStateFile.FORMAT + "'");
      }
      return f;
    }
  }

  public String readConfig(Path checkpoint) throws IOException {
    try (InputStream in = fs.open(new Path(checkpoint, CONFIG))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Loads a checkpoint back into the state it was written from. */
  public TrainingState load(Path checkpoint) throws IOException {
    if (!fs.exists(new Path(checkpoint, COMPLETE))) {
      throw new IOException(checkpoint + " is not a complete checkpoint (no " + COMPLETE + " marker)");
    }
    TrainerStateFile st = readTrainerState(checkpoint);
    TensorSet params;
    try (InputStream in = fs.open(new Path(checkpoint, MODEL))) {
      params = layout.fromFile(codec.read(in));
    }
    TensorSet opt;
    try (InputStream in = fs.open(new Path(checkpoint, OPTIMIZER))) {
      opt = codec.read(in);
    }
    for (String name : st.trainable()) {
      if (!params.contains(name)) {
        throw new IOException(checkpoint + ": trainer_state.json lists trainable tensor '" + name
            + "' that " + MODEL + " does not hold");
      }
    }
    List<OptimizerState> optimizers = new ArrayList<>();
    for (int i = 0; i < st.optimizerSteps().size(); i++) {
      optimizers.add(new OptimizerState(opt.underPrefix("inner/" + i + "/"), st.optimizerSteps().get(i)));
    }
    return new TrainingState(st.stage(), st.round(), st.dataCursor().nextStep(), st.seeds().base(),
        st.dataCursor().examplesSeen(), st.dataCursor().tokensSeen(),
        params.without(st.trainable()), params.select(st.trainable()), optimizers,
        opt.underPrefix("outer_momentum/"), st.dataCursor().workers());
  }

  /** The round a checkpoint directory name stands for. */
  public static long roundOf(Path checkpoint) {
    Matcher m = NAME.matcher(checkpoint.getName());
    if (!m.matches()) {
      throw new IllegalArgumentException(checkpoint + " is not named checkpoint-<round>");
    }
    return Long.parseLong(m.group(1));
  }

  private static TensorSet optimizerTensors(TrainingState s) {
    TensorSet all = new TensorSet();
    for (int i = 0; i < s.optimizers().size(); i++) {
      all = all.plus(s.optimizers().get(i).tensors().prefixed("inner/" + i + "/"));
    }
    return all.plus(s.outerMomentum().prefixed("outer_momentum/"));
  }

  private static TrainerStateFile describe(TrainingState s, DistributedSettings settings) {
    List<Long> steps = s.optimizers().stream().map(OptimizerState::steps).toList();
    return new TrainerStateFile(TrainerStateFile.FORMAT, s.stage(), s.round(), s.nextStep(),
        new TrainerStateFile.DataCursor(s.nextStep(), s.examplesSeen(), s.tokensSeen(), s.cursors()),
        new TrainerStateFile.Seeds(s.seed()), settings.outerUpdate().configName(), settings.workers(),
        settings.localSteps(), s.trainable().names(), steps);
  }

  private void writeText(Path p, String text) throws IOException {
    try (OutputStream out = fs.create(p, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
