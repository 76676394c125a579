package org.synergen.train.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.SerializableConfiguration;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardReader;
import org.synergen.data.TokenShardRow;

/**
 * The tokenize job's Parquet token shards as a {@link SampleSource}: a folder (its {@code *.parquet}
 * files) or a Hadoop glob ({@code hdfs://.../tokens/*.parquet}), on any Hadoop file system.
 *
 * <p>Files are read in the order of their full paths and rows in file order, so every call, on
 * the driver or in any task attempt, returns the same rows in the same order. Failure rows are
 * returned too ({@link TokenShardSlices} counts them and the job reports them). Every read checks
 * that all successful rows name the same text and VQ tokenizers and were folded as the model
 * folds; a mix (shards of two tokenize runs) is an error, not a silent blend.
 *
 * <p>A task reads all shards once (cached for its two tasks' calls), i.e. the data set must fit a
 * worker's memory; fine for the bundled sample and small runs, not for web-scale data.
 */
public final class TokenShardSamples implements SampleSource {
  private static final long serialVersionUID = 1L;

  private final String input;
  private final SerializableConfiguration conf;
  private final int foldRows;
  private final int foldCols;
  private transient List<TokenShardRow> cache;

  /**
   * @param input  a folder of token shards or a glob of shard files
   * @param vision the model's vision config (its fold size must match the shards')
   */
  public TokenShardSamples(String input, Configuration conf, ModelConfig.Vision vision) {
    this.input = input;
    this.conf = new SerializableConfiguration(conf);
    this.foldRows = vision.foldRows();
    this.foldCols = vision.foldCols();
  }

  @Override
  public List<TokenShardRow> rows(String task) {
    return all().stream().filter(r -> task.equals(r.task())).toList();
  }

  /** Every row of every shard, checked; read once per instance. */
  public synchronized List<TokenShardRow> all() {
    if (cache == null) {
      try {
        cache = read();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the token shards " + input + ": " + e.getMessage(), e);
      }
    }
    return cache;
  }

  /** The shard files, sorted by path. */
  public List<Path> files() throws IOException {
    Configuration c = conf.value();
    Path p = new Path(input);
    FileSystem fs = p.getFileSystem(c);
    FileStatus[] found;
    if (fs.exists(p) && fs.getFileStatus(p).isDirectory()) {
      found = fs.globStatus(new Path(p, "*.parquet"));
    } else {
      found = fs.globStatus(p);
    }
    List<Path> files = new ArrayList<>();
    if (found != null) {
      for (FileStatus f : found) {
        String name = f.getPath().getName();
        // hidden names are unfinished shards (the writer's temp files) or job metadata
        if (f.isFile() && name.endsWith(".parquet") && !name.startsWith("_") && !name.startsWith(".")) {
          files.add(f.getPath());
        }
      }
    }
    files.sort(Comparator.comparing(Path::toString));
    if (files.isEmpty()) {
      throw new IllegalArgumentException("--input " + input + ": no token shards (*.parquet) there;"
          + " pass the --output folder of `synergen tokenize` (or a glob of its shard files)");
    }
    return files;
  }

  private List<TokenShardRow> read() throws IOException {
    List<TokenShardRow> rows = new ArrayList<>();
    TokenShardRow first = null;
    Path firstFile = null;
    for (Path file : files()) {
      for (TokenShardRow r : TokenShardReader.readAll(file, conf.value())) {
        if (TokenShardRow.SUCCESS.equals(r.status())) {
          if (r.foldRows() != foldRows || r.foldCols() != foldCols) {
            throw new IllegalArgumentException(file + ", row '" + r.key() + "': tokenized for " + r.foldRows() + "x"
                + r.foldCols() + " folding, but the model folds " + foldRows + "x" + foldCols
                + " (model.vision.fold-rows/-cols): re-run tokenize with the model's config");
          }
          if (first == null) {
            first = r;
            firstFile = file;
          } else if (!same(first.textTokenizer(), r.textTokenizer()) || !same(first.vqModel(), r.vqModel())) {
            throw new IllegalArgumentException("the token shards under " + input + " come from different tokenizers: "
                + firstFile + " row '" + first.key() + "' has text " + first.textTokenizer() + ", VQ " + first.vqModel()
                + "; " + file + " row '" + r.key() + "' has text " + r.textTokenizer() + ", VQ " + r.vqModel()
                + ". Train on the shards of one tokenize run (or re-tokenize the others)");
          }
        }
        rows.add(r);
      }
    }
    return List.copyOf(rows);
  }

  private static boolean same(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }

  @Override
  public String toString() {
    return input;
  }
}
