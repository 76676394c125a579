package org.synergen.train.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.SerializableConfiguration;
import org.synergen.data.TokenShardReader;
import org.synergen.data.TokenShardRow;

/**
 * The tokenize job's Parquet token shards as a {@link SampleSource}: a folder (its {@code *.parquet}
 * files) or a Hadoop glob ({@code hdfs://.../tokens/*.parquet}), on any Hadoop file system. Each
 * shard file is one split; a task opens only the files of its splits and streams their rows.
 *
 * <p>The files are listed once, on the driver, in the order of their full paths, and shipped with
 * the source, so every task attempt sees the same splits. Failure rows are returned too
 * ({@link TokenShardSlices} counts them and skips them). Every successful row must name the text
 * and VQ tokenizers of the first one; a mix (shards of two tokenize runs) is an error, not a
 * silent blend.
 */
public final class TokenShardSamples implements SampleSource {
  private static final long serialVersionUID = 1L;

  private final String input;
  private final SerializableConfiguration conf;
  private final List<String> files;
  private final String firstFile;
  private final TokenShardRow first;

  /** @param input a folder of token shards or a glob of shard files */
  public TokenShardSamples(String input, Configuration conf) throws IOException {
    this.input = input;
    this.conf = new SerializableConfiguration(conf);
    this.files = list(input, conf);
    TokenShardRow found = null;
    String in = null;
    for (String f : files) {
      try (TokenShardReader r = new TokenShardReader(new Path(f), conf)) {
        for (TokenShardRow row = r.next(); row != null && found == null; row = r.next()) {
          if (TokenShardRow.SUCCESS.equals(row.status())) {
            found = new TokenShardRow(row.key(), row.task(), row.status(), null, new int[0], new boolean[0], false,
                List.of(), row.foldRows(), row.foldCols(), row.textTokenizer(), row.vqModel());
            in = f;
          }
        }
      }
      if (found != null) {
        break;
      }
    }
    this.first = found;
    this.firstFile = in;
  }

  /** The shard files, sorted by path. */
  public List<String> files() {
    return files;
  }

  @Override
  public int splits() {
    return files.size();
  }

  @Override
  public Rows open(int split) throws IOException {
    String file = files.get(split);
    TokenShardReader reader = new TokenShardReader(new Path(file), conf.value());
    return new Rows() {
      @Override
      public TokenShardRow next() throws IOException {
        TokenShardRow r = reader.next();
        if (r != null && TokenShardRow.SUCCESS.equals(r.status())
            && (!Objects.equals(first.textTokenizer(), r.textTokenizer()) || !Objects.equals(first.vqModel(), r.vqModel()))) {
          throw new IllegalArgumentException("the token shards under " + input + " come from different tokenizers: "
              + firstFile + " row '" + first.key() + "' has text " + first.textTokenizer() + ", VQ " + first.vqModel()
              + "; " + file + " row '" + r.key() + "' has text " + r.textTokenizer() + ", VQ " + r.vqModel()
              + ". Train on the shards of one tokenize run (or re-tokenize the others)");
        }
        return r;
      }

      @Override
      public void close() throws IOException {
        reader.close();
      }
    };
  }

  /** The first successful row's tokenizer identities, for the job's input line ("none" without one). */
  public String identities() {
    return first == null ? "no successful rows" : "text tokenizer " + shortId(first.textTokenizer()) + ", VQ "
        + shortId(first.vqModel());
  }

  private static String shortId(String id) {
    return id == null ? "unnamed" : id.length() > 12 ? id.substring(0, 12) : id;
  }

  private static List<String> list(String input, Configuration c) throws IOException {
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
    return files.stream().map(Path::toString).toList();
  }

  @Override
  public String toString() {
    return input;
  }
}
