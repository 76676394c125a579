package org.synergen.train.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.synergen.train.distributed.RoundResult;
import org.synergen.train.distributed.RoundTiming;
import org.synergen.train.distributed.WorkerReport;

/**
 * {@code metrics.jsonl} (one {@link RoundMetrics} per line) and its PNG plots, next to the
 * checkpoints in the output directory.
 *
 * <p>The file is rewritten whole (temp name, then rename) rather than appended: object stores
 * cannot append, and after a resume the rounds past the checkpoint must be dropped so that each
 * round appears once. The trainer rewrites it at checkpoints, not every round.
 */
public final class MetricsLog {
  public static final String FILE = "metrics.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileSystem fs;
  private final Path dir;
  private final List<RoundMetrics> rounds = new ArrayList<>();

  public MetricsLog(FileSystem fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
  }

  /** Loads an earlier run's lines up to and including round {@code upToRound} (for a resume). */
  public void continueFrom(long upToRound) throws IOException {
    rounds.clear();
    Path file = new Path(dir, FILE);
    if (!fs.exists(file)) {
      return;
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          RoundMetrics m = JSON.readValue(line, RoundMetrics.class);
          if (m.round() <= upToRound) {
            rounds.add(m);
          }
        }
      }
    }
  }

  public List<RoundMetrics> rounds() {
    return List.copyOf(rounds);
  }

  /** Turns a finished round into its metrics line and keeps it. */
  public RoundMetrics record(RoundResult r) {
    List<Double> perWorker = new ArrayList<>();
    Map<String, double[]> taskSums = new LinkedHashMap<>();
    double loss = 0;
    double gradNorm = 0;
    long examples = 0;
    long tokens = 0;
    for (WorkerReport w : r.reports()) {
      perWorker.add(w.meanLoss());
      loss += w.meanLoss();
      gradNorm = Math.max(gradNorm, w.maxGradNorm());
      examples += w.examples();
      tokens += w.tokens();
      w.taskLosses().forEach((task, l) -> {
        double[] s = taskSums.computeIfAbsent(task, k -> new double[2]);
        s[0] += l;
        s[1]++;
      });
    }
    Map<String, Double> perTask = new LinkedHashMap<>();
    taskSums.forEach((task, s) -> perTask.put(task, s[0] / s[1]));
    RoundTiming t = r.timing();
    RoundMetrics m = new RoundMetrics(r.state().stage(), r.state().round(), r.state().nextStep(),
        loss / r.reports().size(), perTask, perWorker, r.reports().get(0).learningRate(), gradNorm,
        examples, tokens, examples / t.wall(), tokens / t.wall(),
        new RoundMetrics.Seconds(t.wall(), t.compute(), t.broadcast(), t.aggregate()));
    rounds.add(m);
    return m;
  }

  /** Rewrites metrics.jsonl. */
  public void writeLines() throws IOException {
    StringBuilder b = new StringBuilder();
    for (RoundMetrics m : rounds) {
      b.append(JSON.writeValueAsString(m)).append('\n');
    }
    Path tmp = new Path(dir, "_tmp-" + FILE);
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }
    Path file = new Path(dir, FILE);
    fs.delete(file, false);
    if (!fs.rename(tmp, file)) {
      throw new IOException("could not rename " + tmp + " to " + file);
    }
  }

  /** Rewrites metrics.jsonl and the plots. */
  public void writeAll() throws IOException {
    writeLines();
    MetricsPlots.write(rounds, fs, dir);
  }
}
