package org.synergen.io;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.SparkThrowable;
import org.synergen.io.hadoop.HadoopPaths;

/**
 * Finds, among a failure's causes, an input file that is not what its name says (a ".parquet" that
 * is no Parquet file): bad input the user fixes by replacing the file, reported in one line naming
 * it (exit 2), not as a crash. Parquet says so on the driver and in Spark tasks alike; Spark SQL
 * wraps it in errors that name the file ({@code FAILED_READ_FILE}, {@code CANNOT_READ_FILE_FOOTER}).
 */
public final class UnreadableInput {
  /** parquet-mr's words for a file without Parquet's magic numbers, or too short to hold them. */
  private static final Pattern NOT_PARQUET = Pattern.compile("(\\S+) is not a Parquet file[.\\s(]*(.*?)\\)?", Pattern.DOTALL);
  private static final int MAX_CAUSES = 32;

  private UnreadableInput() {}

  /** One line naming the unreadable file and why, if {@code failure} comes from one. */
  public static Optional<String> describe(Throwable failure) {
    String sparkFile = null;
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
      Matcher m = NOT_PARQUET.matcher(String.valueOf(t.getMessage()));
      if (t instanceof RuntimeException && m.matches()) {
        String why = m.group(2).strip();
        return Optional.of(line(m.group(1), why.isEmpty() ? "no Parquet file" : "no Parquet file: " + why));
      }
      if (t instanceof SparkThrowable st && st.getCondition() != null
          && (st.getCondition().startsWith("FAILED_READ_FILE") || st.getCondition().startsWith("CANNOT_READ_FILE_FOOTER"))) {
        Map<String, String> p = st.getMessageParameters();
        sparkFile = sparkFile != null ? sparkFile : p.getOrDefault("path", p.get("file"));
      }
    }
    return sparkFile == null ? Optional.empty() : Optional.of(line(sparkFile, "unreadable: " + deepest(failure)));
  }

  /**
   * Reads the footer of every visible {@code .parquet} file at {@code input} (a file, or a folder
   * and its subfolders) on the driver, so that a broken one is bad input naming it before any Spark
   * task fails on it (and Spark logs that task's stack trace).
   */
  public static void requireReadableParquet(String input, Configuration conf) throws IOException {
    Path root = HadoopPaths.qualify(input, conf);
    FileSystem fs = root.getFileSystem(conf);
    if (!fs.exists(root)) {
      return;   // the job says what is missing in its own words
    }
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
    while (files.hasNext()) {
      Path f = files.next().getPath();
      String rel = f.toString().substring(root.toString().length());
      if (!f.getName().endsWith(".parquet") || rel.contains("/_") || rel.contains("/.")) {
        continue;   // Spark's and Hadoop's bookkeeping files
      }
      try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(f, conf))) {
        r.getFooter();
      } catch (RuntimeException e) {
        throw asBadInput(e);
      }
    }
  }

  /** The same failure as bad input (an {@link IllegalArgumentException}) where it is an unreadable file. */
  public static RuntimeException asBadInput(RuntimeException failure) {
    return describe(failure).<RuntimeException>map(m -> new IllegalArgumentException(m, failure)).orElse(failure);
  }

  private static String line(String file, String why) {
    return file + " is " + why + "; replace or remove the file";
  }

  private static String deepest(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t.getCause() != null && depth < MAX_CAUSES; depth++) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
