package org.synergen.ingest.input;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.synergen.data.ExtraColumn;
import org.synergen.io.hadoop.HadoopConf;

/**
 * Parquet metadata read without Spark SQL, for the common case: files of one schema whose columns
 * are all top-level strings, integers, floating-point numbers or booleans (LAION's and COYO's
 * are). The driver reads only the footers (row counts, schema), so the job knows its size without
 * a counting pass, and each Spark partition reads one row group itself. It gives the rows, their
 * order and their values that the Spark SQL path ({@link InputReader}) gives, which still reads
 * every other input; at 2000 rows, Spark SQL's schema job, query planning and count had taken
 * longer than a second before the first download.
 */
final class ParquetMetadata {
  private ParquetMetadata() {}

  /** The source, or null when the files need Spark SQL (other column types, differing schemas). */
  static Source readOrNull(JavaSparkContext jsc, List<Path> files, InputSettings s, String baseDir,
      String description, Configuration conf) {
    MessageType schema = null;
    List<RowGroup> groups = new ArrayList<>();
    long index = 0;
    try {
      for (Path f : files) {
        try (ParquetFileReader r = open(f, conf)) {
          MessageType one = r.getFooter().getFileMetaData().getSchema();
          if (schema != null && !schema.equals(one)) {
            return null;
          }
          schema = one;
          List<BlockMetaData> blocks = r.getRowGroups();
          for (int b = 0; b < blocks.size(); b++) {
            groups.add(new RowGroup(f.toString(), b, index));
            index += blocks.get(b).getRowCount();
          }
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      return null; // Spark SQL's read says what is wrong, as for any other input
    }
    List<String> names = new ArrayList<>();
    Set<String> lower = new HashSet<>();
    for (Type t : schema.getFields()) {
      if (kind(t) == null || !lower.add(t.getName().toLowerCase(Locale.ROOT))) {
        return null; // a type this reader leaves to Spark, or names Spark would find ambiguous
      }
      names.add(t.getName());
    }
    String urlCol = InputReader.find(names, s.urlCol());
    String captionCol = InputReader.find(names, s.captionCol());
    if (urlCol == null || kind(schema.getType(urlCol)) != ExtraColumn.Type.STRING
        || (captionCol != null && kind(schema.getType(captionCol)) != ExtraColumn.Type.STRING)) {
      return null;
    }
    List<String> columns = new ArrayList<>();
    List<ExtraColumn> extras = new ArrayList<>();
    for (Map.Entry<String, String> e : InputReader.keptColumns(names, urlCol, captionCol, s).entrySet()) {
      columns.add(e.getKey());
      extras.add(new ExtraColumn(e.getValue(), kind(schema.getType(e.getKey()))));
    }
    Reading reading = new Reading(urlCol, captionCol, columns, extras, HadoopConf.snapshot(conf));
    JavaRDD<SourceRow> rows = jsc.parallelize(groups, Math.max(1, groups.size()))
        .flatMap(reading::rows);
    return new Source(rows, extras, baseDir, description, index);
  }

  /**
   * The extra-column type Spark SQL gives a column (IntegerType, ShortType and ByteType all keep
   * as INT), or null for a column this reader leaves to Spark SQL.
   */
  private static ExtraColumn.Type kind(Type t) {
    if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
      return null;
    }
    PrimitiveType p = t.asPrimitiveType();
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    return switch (p.getPrimitiveTypeName()) {
      case BINARY -> a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
          || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
          || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation ? ExtraColumn.Type.STRING : null;
      case INT32 -> a == null || (a instanceof IntLogicalTypeAnnotation i && i.isSigned())
          ? ExtraColumn.Type.INT : null;
      case INT64 -> a == null || (a instanceof IntLogicalTypeAnnotation i && i.isSigned())
          ? ExtraColumn.Type.LONG : null;
      case FLOAT -> a == null ? ExtraColumn.Type.FLOAT : null;
      case DOUBLE -> a == null ? ExtraColumn.Type.DOUBLE : null;
      case BOOLEAN -> a == null ? ExtraColumn.Type.BOOLEAN : null;
      default -> null;
    };
  }

  private static ParquetFileReader open(Path f, Configuration conf) throws IOException {
    return ParquetFileReader.open(HadoopInputFile.fromPath(f, conf),
        HadoopReadOptions.builder(conf).build());
  }

  /** Row group {@code group} of {@code file}, whose first row is row {@code firstIndex} of the input. */
  private record RowGroup(String file, int group, long firstIndex) implements Serializable {}

  /** What a partition needs to turn its row group into source rows. */
  private record Reading(String urlCol, String captionCol, List<String> columns,
      List<ExtraColumn> extras, HashMap<String, String> hadoop) implements Serializable {

    Iterator<SourceRow> rows(RowGroup g) throws IOException {
      ParquetFileReader r = open(new Path(g.file()), HadoopConf.rebuild(hadoop));
      try {
        MessageType schema = r.getFooter().getFileMetaData().getSchema();
        for (int b = 0; b < g.group(); b++) {
          r.skipNextRowGroup();
        }
        PageReadStore pages = r.readNextRowGroup();
        RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
            .getRecordReader(pages, new GroupRecordConverter(schema));
        return new GroupRows(r, records, pages.getRowCount(), g.firstIndex(), this);
      } catch (IOException | RuntimeException e) {
        r.close();
        throw e;
      }
    }

    SourceRow row(Group g, long index) {
      List<Object> values = new ArrayList<>(columns.size());
      for (int i = 0; i < columns.size(); i++) {
        values.add(extras.get(i).type().read(g, columns.get(i)));
      }
      ExtraColumn.Type text = ExtraColumn.Type.STRING;
      return new SourceRow(index, (String) text.read(g, urlCol),
          captionCol == null ? null : (String) text.read(g, captionCol), values);
    }
  }

  /** The rows of one row group, read as they are asked for; the file is closed after the last. */
  private static final class GroupRows implements Iterator<SourceRow> {
    private final ParquetFileReader file;
    private final RecordReader<Group> records;
    private final long count;
    private final long firstIndex;
    private final Reading reading;
    private long done;

    GroupRows(ParquetFileReader file, RecordReader<Group> records, long count, long firstIndex,
        Reading reading) throws IOException {
      this.file = file;
      this.records = records;
      this.count = count;
      this.firstIndex = firstIndex;
      this.reading = reading;
      if (count == 0) {
        file.close();
      }
    }

    @Override
    public boolean hasNext() {
      return done < count;
    }

    @Override
    public SourceRow next() {
      if (done >= count) {
        throw new NoSuchElementException();
      }
      SourceRow row = reading.row(records.read(), firstIndex + done);
      if (++done == count) {
        try {
          file.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return row;
    }
  }
}
