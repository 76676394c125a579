package org.synergen.train.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardRow;
import org.synergen.train.distributed.DataSlices;
import org.synergen.train.distributed.Slice;
import org.synergen.train.distributed.SliceCursor;
import org.synergen.train.distributed.StreamPosition;

/**
 * Token shards streamed into per-worker slices of packed batches, one understanding and one
 * generation batch per step (README "pretrain", data).
 *
 * <p>Splits: every epoch the source's splits are put in an order drawn from (seed, epoch) and dealt
 * out, worker p of W taking the splits at places p, p + W, ... of that order; a worker opens only
 * its own splits. Each task (und, gen) is a stream of its own over those splits: it reads the
 * successful rows of its task that fit a packed row, in blocks of {@code shuffleBuffer} samples,
 * shuffles each block with a generator seeded by (seed, task, partition, epoch, block), and packs
 * them greedily into rows of {@code seqLen} ({@link SequencePacker}); {@code rowsPerBatch} rows
 * make a step's batch (an epoch's last batch may hold fewer). At most one block per task is in
 * memory.
 *
 * <p>The {@link SliceCursor} after a round says, per task, where the next block starts (epoch,
 * split, row), its number and how many of its samples are used, so a retried task or a resumed
 * run reads on from exactly there.
 */
public final class TokenShardSlices implements DataSlices<StepBatches> {
  private static final long serialVersionUID = 1L;
  private static final String[] TASKS = {TokenShardRow.UNDERSTANDING, TokenShardRow.GENERATION};
  /** Samples per shuffle block when the caller does not choose. */
  public static final int DEFAULT_SHUFFLE_BUFFER = 1024;

  private final SampleSource source;
  private final ModelConfig.Vision vision;
  private final int seqLen;
  private final int rowsPerBatch;
  private final int shuffleBuffer;

  public TokenShardSlices(SampleSource source, ModelConfig.Vision vision, int seqLen, int rowsPerBatch) {
    this(source, vision, seqLen, rowsPerBatch, DEFAULT_SHUFFLE_BUFFER);
  }

  public TokenShardSlices(SampleSource source, ModelConfig.Vision vision, int seqLen, int rowsPerBatch, int shuffleBuffer) {
    if (seqLen < 2 || rowsPerBatch < 1 || shuffleBuffer < 1) {
      throw new IllegalArgumentException("sequence length " + seqLen + ", rows per batch " + rowsPerBatch
          + " and shuffle buffer " + shuffleBuffer + " must be at least 2, 1 and 1");
    }
    this.source = source;
    this.vision = vision;
    this.seqLen = seqLen;
    this.rowsPerBatch = rowsPerBatch;
    this.shuffleBuffer = shuffleBuffer;
  }

  /**
   * What the data holds for {@code workers} workers, per task.
   *
   * @param samples     successful rows that fit a packed row
   * @param failed      failure rows (no ids: the image failed in ingest or tokenize), not trained on
   * @param failedByStatus those by status, e.g. {@code failed_to_tokenize=1}
   * @param tooLong     successful rows longer than the sequence length, skipped
   * @param tooLongKeys the first few of those, to look at
   * @param smallestSlice fewest usable rows any worker gets in the first epoch
   */
  public record TaskSummary(String task, int samples, int failed, Map<String, Integer> failedByStatus, int tooLong, List<String> tooLongKeys, int smallestSlice) {}

  /**
   * Counts every split's rows in one streaming pass (on the driver, before training): nothing but
   * the counts is kept. Checks each successful row's folding, so a wrong input fails here.
   */
  public List<TaskSummary> summary(int workers, long seed) {
    if (source.splits() < workers) {
      throw new IllegalArgumentException("the input has " + source.splits() + " split(s) (" + source
          + ") but there are " + workers + " workers: each worker reads splits of its own; give more shards"
          + " or fewer workers (distributed.workers)");
    }
    int[][] usable = new int[TASKS.length][source.splits()];
    int[] failed = new int[TASKS.length];
    int[] tooLong = new int[TASKS.length];
    List<Map<String, Integer>> byStatus = List.of(new TreeMap<>(), new TreeMap<>());
    List<List<String>> keys = List.of(new ArrayList<>(), new ArrayList<>());
    for (int split = 0; split < source.splits(); split++) {
      try (SampleSource.Rows rows = source.open(split)) {
        for (TokenShardRow r = rows.next(); r != null; r = rows.next()) {
          int t = r.task().equals(TASKS[0]) ? 0 : 1;
          if (!TokenShardRow.SUCCESS.equals(r.status())) {
            failed[t]++;
            byStatus.get(t).merge(r.status(), 1, Integer::sum);
          } else if (r.inputIds().length > seqLen) {
            SampleLayout.requireFolding(r, vision);
            tooLong[t]++;
            if (keys.get(t).size() < 5) {
              keys.get(t).add(r.key());
            }
          } else {
            SampleLayout.requireFolding(r, vision);
            usable[t][split]++;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read split " + split + " of " + source + ": " + e.getMessage(), e);
      }
    }
    List<TaskSummary> out = new ArrayList<>();
    for (int t = 0; t < TASKS.length; t++) {
      int smallest = Integer.MAX_VALUE;
      int total = 0;
      for (int p = 0; p < workers; p++) {
        int n = 0;
        for (int split : splitsOf(0, p, workers, seed)) {
          n += usable[t][split];
        }
        smallest = Math.min(smallest, n);
      }
      for (int n : usable[t]) {
        total += n;
      }
      out.add(new TaskSummary(TASKS[t], total, failed[t], byStatus.get(t), tooLong[t], keys.get(t), smallest));
    }
    return out;
  }

  /** Worker {@code partition}'s splits in {@code epoch}, in the order it reads them. */
  List<Integer> splitsOf(long epoch, int partition, int workers, long seed) {
    int n = source.splits();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    shuffle(order, new SplittableRandom(mix(seed, epoch, 0x5EED)));
    List<Integer> mine = new ArrayList<>();
    for (int i = partition; i < n; i += workers) {
      mine.add(order[i]);
    }
    return mine;
  }

  @Override
  public Slice<StepBatches> batches(int partition, int workers, long firstStep, int steps, long seed, SliceCursor from) {
    if (source.splits() < workers) {
      throw new IllegalArgumentException(source.splits() + " split(s) for " + workers + " workers: each needs one of its own");
    }
    TaskStream und = new TaskStream(TASKS[0], partition, workers, seed, from.of(TASKS[0]));
    TaskStream gen = new TaskStream(TASKS[1], partition, workers, seed, from.of(TASKS[1]));
    return new Slice<>() {
      private int made;

      @Override
      public boolean hasNext() {
        return made < steps;
      }

      @Override
      public StepBatches next() {
        if (made == steps) {
          throw new NoSuchElementException();
        }
        List<List<SampleLayout>> u = und.batch();
        List<List<SampleLayout>> g = gen.batch();
        if (++made == steps) {
          und.close();
          gen.close();
        }
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
        return new StepBatches(SequencePacker.batch(u, seqLen, vision.foldSize()),
            SequencePacker.batch(g, seqLen, vision.foldSize()), samples, tokens);
      }

      @Override
      public SliceCursor cursor() {
        return new SliceCursor(Map.of(TASKS[0], und.position(), TASKS[1], gen.position()));
      }
    };
  }

  /** One task's samples for one worker: its splits epoch after epoch, in shuffled blocks. */
  private final class TaskStream {
    private final String task;
    private final int partition;
    private final int workers;
    private final long seed;
    private StreamPosition at;
    private List<Integer> splits;
    /** the current block, shuffled; null until read */
    private List<SampleLayout> block;
    /** where the block after the current one starts */
    private int nextSplit;
    private long nextRow;
    /** the open split and the index of its next row */
    private SampleSource.Rows open;
    private int openSplit = -1;
    private long openRow;

    TaskStream(String task, int partition, int workers, long seed, StreamPosition from) {
      this.task = task;
      this.partition = partition;
      this.workers = workers;
      this.seed = seed;
      this.at = from;
    }

    StreamPosition position() {
      return at;
    }

    /** The next step's rows of samples. */
    List<List<SampleLayout>> batch() {
      List<List<SampleLayout>> rows = new ArrayList<>();
      List<SampleLayout> row = new ArrayList<>();
      int used = 0;
      while (true) {
        SampleLayout next = peek();
        if (next == null) {
          // the epoch is over: its last batch may be short; an empty one starts the next epoch
          if (!row.isEmpty()) {
            rows.add(row);
          }
          if (!rows.isEmpty()) {
            return rows;
          }
          nextEpoch();
          continue;
        }
        if (used + next.length() > seqLen) {
          rows.add(row);
          row = new ArrayList<>();
          used = 0;
          if (rows.size() == rowsPerBatch) {
            return rows;
          }
        }
        row.add(next);
        used += next.length();
        at = new StreamPosition(at.epoch(), at.split(), at.row(), at.block(), at.taken() + 1);
      }
    }

    /** The next sample of this epoch, or null at its end. */
    private SampleLayout peek() {
      while (true) {
        if (block == null) {
          read();
        }
        if (at.taken() < block.size()) {
          return block.get(at.taken());
        }
        if (block.isEmpty()) {
          return null;
        }
        at = new StreamPosition(at.epoch(), nextSplit, nextRow, at.block() + 1, 0);
        block = null;
      }
    }

    private void nextEpoch() {
      if (at.block() == 0) {
        throw new IllegalArgumentException("worker " + partition + " of " + workers + " has no usable '" + task
            + "' samples in epoch " + at.epoch() + " (its splits hold none, or all are longer than the sequence length "
            + seqLen + "): give more data or fewer workers");
      }
      at = new StreamPosition(at.epoch() + 1, 0, 0, 0, 0);
      splits = null;
      block = null;
    }

    /** Reads the block that starts at {@code at}: up to shuffleBuffer usable samples, then shuffles it. */
    private void read() {
      if (splits == null) {
        splits = splitsOf(at.epoch(), partition, workers, seed);
      }
      List<SampleLayout> samples = new ArrayList<>();
      int split = at.split();
      long row = at.row();
      try {
        while (samples.size() < shuffleBuffer && split < splits.size()) {
          TokenShardRow r = rowAt(split, row);
          if (r == null) {
            split++;
            row = 0;
            continue;
          }
          row++;
          if (task.equals(r.task()) && TokenShardRow.SUCCESS.equals(r.status()) && r.inputIds().length <= seqLen) {
            samples.add(SampleLayout.of(r, vision));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read split " + splits.get(split) + " of " + source + ": " + e.getMessage(), e);
      }
      SplittableRandom rng = new SplittableRandom(mix(seed, mix(at.epoch(), at.block(), partition), task.hashCode()));
      for (int i = samples.size() - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        SampleLayout t = samples.get(i);
        samples.set(i, samples.get(j));
        samples.set(j, t);
      }
      block = samples;
      nextSplit = split;
      nextRow = row;
    }

    /** Row {@code row} of the worker's split number {@code split}, or null past its end; reads on from the open one. */
    private TokenShardRow rowAt(int split, long row) throws IOException {
      if (openSplit != split || openRow > row) {
        close();
        open = source.open(splits.get(split));
        openSplit = split;
        openRow = 0;
      }
      for (; openRow < row; openRow++) {
        if (open.next() == null) {
          return null;
        }
      }
      TokenShardRow r = open.next();
      if (r != null) {
        openRow++;
      }
      return r;
    }

    void close() {
      if (open != null) {
        try {
          open.close();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot close split " + splits.get(openSplit) + " of " + source, e);
        }
        open = null;
        openSplit = -1;
      }
    }
  }

  private static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** A seed for a generator from three numbers (SplittableRandom spreads it further). */
  private static long mix(long a, long b, long c) {
    return (a * 0x9E3779B97F4A7C15L + b) * 0xBF58476D1CE4E5B9L + c;
  }
}
