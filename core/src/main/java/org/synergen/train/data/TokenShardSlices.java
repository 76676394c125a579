package org.synergen.train.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardRow;
import org.synergen.train.distributed.DataSlices;

/**
 * Token shards cut into per-worker slices of packed batches, one understanding and one generation
 * batch per step.
 *
 * <p>Worker p of W takes every W-th successful row of each task (in the source's order, from p).
 * Its rows are reshuffled every epoch by a generator seeded from (seed, task, p, epoch), packed
 * into rows of {@code seqLen} ({@link SequencePacker}) and cut into batches of
 * {@code rowsPerBatch} rows (an epoch's last batch may hold fewer). Step s takes the s-th batch of
 * each task's endless epoch sequence, so any step's batches are a pure function of the arguments,
 * as {@link DataSlices} requires. Failed rows and rows longer than {@code seqLen} train nowhere;
 * {@link #summary} counts them for the job to report.
 *
 * <p>Each task recomputes its slice's layout and packing (cheap next to a training step); the
 * rows come from the {@link SampleSource}.
 */
public final class TokenShardSlices implements DataSlices<StepBatches> {
  private static final long serialVersionUID = 1L;
  private static final String[] TASKS = {TokenShardRow.UNDERSTANDING, TokenShardRow.GENERATION};

  private final SampleSource source;
  private final ModelConfig.Vision vision;
  private final int seqLen;
  private final int rowsPerBatch;

  public TokenShardSlices(SampleSource source, ModelConfig.Vision vision, int seqLen, int rowsPerBatch) {
    if (seqLen < 2 || rowsPerBatch < 1) {
      throw new IllegalArgumentException("sequence length " + seqLen + " and rows per batch " + rowsPerBatch
          + " must be at least 2 and 1");
    }
    this.source = source;
    this.vision = vision;
    this.seqLen = seqLen;
    this.rowsPerBatch = rowsPerBatch;
  }

  /**
   * What the data holds for {@code workers} workers, per task.
   *
   * @param samples     successful rows that fit a packed row
   * @param failed      failure rows (no ids: the image failed in ingest or tokenize), not trained on
   * @param failedByStatus those by status, e.g. {@code failed_to_tokenize=1}
   * @param tooLong     successful rows longer than the sequence length, skipped
   * @param tooLongKeys the first few of those, to look at
   * @param smallestSlice fewest usable rows any worker gets
   */
  public record TaskSummary(String task, int samples, int failed, Map<String, Integer> failedByStatus, int tooLong, List<String> tooLongKeys, int smallestSlice) {}

  public List<TaskSummary> summary(int workers) {
    List<TaskSummary> out = new ArrayList<>();
    for (String task : TASKS) {
      List<TokenShardRow> rows = source.rows(task);
      int failed = 0;
      Map<String, Integer> byStatus = new TreeMap<>();
      int tooLong = 0;
      List<String> keys = new ArrayList<>();
      int[] perWorker = new int[workers];
      int k = 0;
      for (TokenShardRow r : rows) {
        if (!TokenShardRow.SUCCESS.equals(r.status())) {
          failed++;
          byStatus.merge(r.status(), 1, Integer::sum);
          continue;
        }
        if (r.inputIds().length > seqLen) {
          tooLong++;
          if (keys.size() < 5) {
            keys.add(r.key());
          }
        } else {
          perWorker[k % workers]++;
        }
        k++;
      }
      int smallest = Integer.MAX_VALUE;
      int total = 0;
      for (int c : perWorker) {
        smallest = Math.min(smallest, c);
        total += c;
      }
      out.add(new TaskSummary(task, total, failed, byStatus, tooLong, keys, smallest));
    }
    return out;
  }

  @Override
  public Iterator<StepBatches> batches(int partition, int workers, long firstStep, int steps, long seed) {
    Slice und = new Slice(TokenShardRow.UNDERSTANDING, partition, workers, seed);
    Slice gen = new Slice(TokenShardRow.GENERATION, partition, workers, seed);
    List<StepBatches> out = new ArrayList<>(steps);
    for (int s = 0; s < steps; s++) {
      List<List<SampleLayout>> u = und.batch(firstStep + s);
      List<List<SampleLayout>> g = gen.batch(firstStep + s);
      int samples = 0;
      long tokens = 0;
      for (List<List<SampleLayout>> b : List.of(u, g)) {
        for (List<SampleLayout> row : b) {
          samples += row.size();
          for (SampleLayout l : row) {
            tokens += l.length();
          }
        }
      }
      out.add(new StepBatches(SequencePacker.batch(u, seqLen, vision.foldSize()),
          SequencePacker.batch(g, seqLen, vision.foldSize()), samples, tokens));
    }
    return out.iterator();
  }

  /** One worker's rows of one task and its epochs of packed batches, built as far as asked. */
  private final class Slice {
    private final String task;
    private final int partition;
    private final long seed;
    private final List<SampleLayout> samples = new ArrayList<>();
    /** epoch -> batch -> row -> sample indices */
    private final List<List<List<int[]>>> epochs = new ArrayList<>();

    Slice(String task, int partition, int workers, long seed) {
      this.task = task;
      this.partition = partition;
      this.seed = seed;
      int k = 0;
      for (TokenShardRow r : source.rows(task)) {
        if (!TokenShardRow.SUCCESS.equals(r.status())) {
          continue;
        }
        if (k++ % workers == partition && r.inputIds().length <= seqLen) {
          samples.add(SampleLayout.of(r, vision));
        }
      }
      if (samples.isEmpty()) {
        throw new IllegalArgumentException("worker " + partition + " of " + workers + " has no usable '" + task
            + "' samples (fewer rows than workers, or all longer than the sequence length " + seqLen + ")");
      }
    }

    List<List<SampleLayout>> batch(long step) {
      long left = step;
      for (int e = 0; ; e++) {
        if (e == epochs.size()) {
          epochs.add(pack(e));
        }
        List<List<int[]>> epoch = epochs.get(e);
        if (left < epoch.size()) {
          List<List<SampleLayout>> rows = new ArrayList<>();
          for (int[] row : epoch.get((int) left)) {
            List<SampleLayout> r = new ArrayList<>();
            for (int i : row) {
              r.add(samples.get(i));
            }
            rows.add(r);
          }
          return rows;
        }
        left -= epoch.size();
      }
    }

    private List<List<int[]>> pack(int epoch) {
      int[] order = new int[samples.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      SplittableRandom rng = new SplittableRandom(
          seed * 0x9E3779B97F4A7C15L + task.hashCode() * 1_000_003L + partition * 7_919L + epoch * 104_729L);
      for (int i = order.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      int[] lengths = new int[order.length];
      for (int i = 0; i < order.length; i++) {
        lengths[i] = samples.get(order[i]).length();
      }
      List<int[]> rows = SequencePacker.rows(lengths, seqLen);
      List<List<int[]>> batches = new ArrayList<>();
      for (int r = 0; r < rows.size(); r += rowsPerBatch) {
        List<int[]> batch = new ArrayList<>();
        for (int[] row : rows.subList(r, Math.min(rows.size(), r + rowsPerBatch))) {
          int[] ids = new int[row.length];
          for (int i = 0; i < row.length; i++) {
            ids[i] = order[row[i]];
          }
          batch.add(ids);
        }
        batches.add(batch);
      }
      return batches;
    }
  }
}
