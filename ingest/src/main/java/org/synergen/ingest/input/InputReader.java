package org.synergen.ingest.input;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.synergen.data.ExtraColumn;
import org.synergen.data.ImageShard;
import org.synergen.io.hadoop.HadoopConf;
import org.synergen.io.hadoop.HadoopPaths;

/**
 * Reads what the user points the job at: a metadata file or a folder of them (Parquet, CSV, TSV,
 * JSON lines), or a folder of images with same-name {@code .txt} captions.
 */
public final class InputReader {
  private static final Set<String> IMAGE_EXTENSIONS =
      Set.of("jpg", "jpeg", "png", "webp", "bmp", "gif");
  private static final Set<String> FORMATS = Set.of("parquet", "csv", "tsv", "jsonl", "images");

  private InputReader() {}

  public static Source read(SparkSession spark, String input, InputSettings s) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path path = HadoopPaths.qualify(input, conf);
    FileSystem fs = path.getFileSystem(conf);
    if (!fs.exists(path)) {
      throw new IllegalArgumentException("--input " + input + ": no such file or folder");
    }
    boolean isDir = fs.getFileStatus(path).isDirectory();
    List<Path> files = isDir ? visibleFiles(fs, path) : List.of(path);
    String format = s.format().toLowerCase(Locale.ROOT);
    if (format.equals("auto")) {
      format = detect(files, input);
    } else if (!FORMATS.contains(format)) {
      throw new IllegalArgumentException("ingest.input.format '" + s.format()
          + "' is not one of auto, " + String.join(", ", FORMATS));
    }
    String baseDir = (isDir ? path : path.getParent()).toString();
    if (format.equals("images")) {
      if (!isDir) {
        throw new IllegalArgumentException("--input " + input + ": format images needs a folder");
      }
      return imageFolder(spark, path, files, conf);
    }
    String fmt = format;
    List<Path> data = files.stream().filter(p -> extension(p).equals(fmt)
        || (fmt.equals("jsonl") && extension(p).equals("json"))).toList();
    if (data.isEmpty()) {
      throw new IllegalArgumentException("--input " + input + ": no ." + fmt + " files in it");
    }
    return metadata(spark, data, fmt, s, baseDir, input);
  }

  private static String detect(List<Path> files, String input) {
    if (files.stream().anyMatch(p -> IMAGE_EXTENSIONS.contains(extension(p)))) {
      return "images";
    }
    for (Path p : files) {
      String e = extension(p);
      if (e.equals("json")) {
        return "jsonl";
      }
      if (FORMATS.contains(e)) {
        return e;
      }
    }
    throw new IllegalArgumentException("--input " + input + ": cannot tell its format from the file"
        + " names (expected .parquet, .csv, .tsv, .jsonl or images); set ingest.input.format");
  }

  private static Source metadata(SparkSession spark, List<Path> files, String format,
      InputSettings s, String baseDir, String input) {
    if (format.equals("parquet")) {
      Source direct = ParquetMetadata.readOrNull(
          JavaSparkContext.fromSparkContext(spark.sparkContext()), files, s, baseDir,
          format + " metadata " + input, spark.sparkContext().hadoopConfiguration());
      if (direct != null) {
        return direct;
      }
    }
    return sparkSql(spark, files, format, s, baseDir, input);
  }

  /** Any metadata through Spark SQL's readers (package-private: tests compare the Parquet path with it). */
  static Source sparkSql(SparkSession spark, List<Path> files, String format, InputSettings s,
      String baseDir, String input) {
    // One DataFrame per file, unioned in name order: Spark's own multi-file scan orders splits
    // by size, which would make keys depend on file sizes.
    Dataset<Row> df = null;
    for (Path f : files) {
      Dataset<Row> one = format.equals("jsonl")
          // Spark's JSON source drops a whole line (all columns null) on invalid UTF-8; reading
          // lines as Java strings first turns bad bytes into U+FFFD and keeps the row
          ? spark.read().json(spark.read().textFile(f.toString()))
          : reader(spark, format).load(f.toString());
      df = df == null ? one : df.unionByName(one, true);
    }
    String urlCol = find(df, s.urlCol());
    if (urlCol == null) {
      throw new IllegalArgumentException("--input " + input + " has no column '" + s.urlCol()
          + "' (columns: " + String.join(", ", df.columns()) + "); set ingest.input.url-col");
    }
    String captionCol = find(df, s.captionCol());
    List<Column> cols = new ArrayList<>();
    cols.add(df.col(quote(urlCol)).cast("string"));
    cols.add(captionCol == null ? functions.lit(null).cast("string")
        : df.col(quote(captionCol)).cast("string"));
    List<ExtraColumn> extras = new ArrayList<>();
    Map<String, String> kept = keptColumns(List.of(df.columns()), urlCol, captionCol, s);
    for (StructField f : df.schema().fields()) {
      String name = kept.get(f.name());
      if (name == null) {
        continue;
      }
      ExtraColumn.Type type = typeOf(f.dataType());
      Column c = df.col(quote(f.name()));
      if (type == ExtraColumn.Type.STRING && !f.dataType().equals(DataTypes.StringType)) {
        boolean nested = f.dataType() instanceof org.apache.spark.sql.types.StructType
            || f.dataType() instanceof org.apache.spark.sql.types.ArrayType
            || f.dataType() instanceof org.apache.spark.sql.types.MapType;
        c = nested ? functions.to_json(c) : c.cast("string");
      }
      cols.add(c);
      extras.add(new ExtraColumn(name, type));
    }
    JavaRDD<SourceRow> rows = df.select(cols.toArray(Column[]::new)).javaRDD().zipWithIndex()
        .map(t -> toSourceRow(t._1(), t._2()));
    return new Source(rows, extras, baseDir, format + " metadata " + input, -1);
  }

  /**
   * The input columns kept beside url and caption, each with its name in the output (in input
   * order): a name that clashes with an output column, in any case, gets the clash prefix.
   */
  static Map<String, String> keptColumns(List<String> columns, String urlCol, String captionCol,
      InputSettings s) {
    Set<String> taken = ImageShard.COLUMNS.stream().map(c -> c.toLowerCase(Locale.ROOT))
        .collect(Collectors.toSet());
    Map<String, String> kept = new LinkedHashMap<>();
    for (String column : columns) {
      if (column.equals(urlCol) || column.equals(captionCol) || column.equals("_corrupt_record")) {
        continue;
      }
      String name = column;
      while (taken.contains(name.toLowerCase(Locale.ROOT))) {
        name = s.clashPrefix() + name;
      }
      taken.add(name.toLowerCase(Locale.ROOT));
      kept.put(column, name);
    }
    return kept;
  }

  private static SourceRow toSourceRow(Row r, long index) {
    List<Object> extras = new ArrayList<>(r.size() - 2);
    for (int i = 2; i < r.size(); i++) {
      extras.add(r.get(i));
    }
    return new SourceRow(index, r.getString(0), r.getString(1), extras);
  }

  private static DataFrameReader reader(SparkSession spark, String format) {
    return switch (format) {
      case "parquet" -> spark.read().format("parquet");
      default -> spark.read().format("csv")
          .option("header", "true")
          .option("sep", format.equals("tsv") ? "\t" : ",")
          .option("multiLine", "true") // quoted captions may hold newlines
          .option("escape", "\"");     // RFC 4180 quoting: "" inside a quoted field
    };
  }

  private static ExtraColumn.Type typeOf(DataType t) {
    if (t.equals(DataTypes.IntegerType) || t.equals(DataTypes.ShortType) || t.equals(DataTypes.ByteType)) {
      return ExtraColumn.Type.INT;
    }
    if (t.equals(DataTypes.LongType)) {
      return ExtraColumn.Type.LONG;
    }
    if (t.equals(DataTypes.FloatType)) {
      return ExtraColumn.Type.FLOAT;
    }
    if (t.equals(DataTypes.DoubleType)) {
      return ExtraColumn.Type.DOUBLE;
    }
    if (t.equals(DataTypes.BooleanType)) {
      return ExtraColumn.Type.BOOLEAN;
    }
    return ExtraColumn.Type.STRING;
  }

  /** The column named {@code want}, compared case-insensitively like Spark SQL; null if none. */
  private static String find(Dataset<Row> df, String want) {
    return find(List.of(df.columns()), want);
  }

  static String find(List<String> columns, String want) {
    for (String c : columns) {
      if (c.equalsIgnoreCase(want)) {
        return c;
      }
    }
    return null;
  }

  private static String quote(String col) {
    return "`" + col.replace("`", "``") + "`";
  }

  /** A folder of images: URLs are paths relative to it, captions come from same-name .txt. */
  private static Source imageFolder(SparkSession spark, Path dir, List<Path> files,
      Configuration conf) throws IOException {
    List<String[]> pairs = new ArrayList<>(); // relative image path, caption file URI or null
    Set<String> names = files.stream().map(Path::toString).collect(Collectors.toSet());
    String prefix = dir.toString().endsWith("/") ? dir.toString() : dir + "/";
    for (Path p : files) {
      if (!IMAGE_EXTENSIONS.contains(extension(p))) {
        continue;
      }
      String full = p.toString();
      String txt = full.substring(0, full.lastIndexOf('.')) + ".txt";
      pairs.add(new String[] {full.substring(prefix.length()), names.contains(txt) ? txt : null});
    }
    if (pairs.isEmpty()) {
      throw new IllegalArgumentException("--input " + dir + ": no images (."
          + String.join(", .", IMAGE_EXTENSIONS) + ") in the folder");
    }
    HashMap<String, String> hadoop = HadoopConf.snapshot(conf);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = Math.max(1, Math.min(pairs.size() / 1000 + 1, jsc.defaultParallelism()));
    JavaRDD<SourceRow> rows = jsc.parallelize(pairs, slices).zipWithIndex()
        .map(t -> new SourceRow(t._2(), t._1()[0], CaptionFile.read(t._1()[1], hadoop), List.of()));
    return new Source(rows, List.of(), dir.toString(), "image folder " + dir, pairs.size());
  }

  /** Reads a caption file in a task; invalid UTF-8 becomes U+FFFD. */
  static final class CaptionFile implements Serializable {
    private CaptionFile() {}

    static String read(String uri, HashMap<String, String> hadoop) {
      if (uri == null) {
        return null;
      }
      try {
        byte[] b = HadoopPaths.readAll(new Path(uri), HadoopConf.rebuild(hadoop), 1 << 20);
        return new String(b, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read caption " + uri, e);
      }
    }
  }

  private static List<Path> visibleFiles(FileSystem fs, Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
    while (it.hasNext()) {
      FileStatus st = it.next();
      String rel = st.getPath().toString().substring(dir.toString().length());
      if (rel.contains("/_") || rel.contains("/.")) {
        continue; // _SUCCESS, _stats, .crc, hidden files (Spark and Hadoop conventions)
      }
      out.add(st.getPath());
    }
    out.sort((a, b) -> a.toString().compareTo(b.toString()));
    return out;
  }

  private static String extension(Path p) {
    String n = p.getName();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
