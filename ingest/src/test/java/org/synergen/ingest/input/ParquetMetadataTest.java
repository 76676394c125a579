package org.synergen.ingest.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.ingest.SparkTestSession;

/** The footer-and-row-group reader gives what Spark SQL's Parquet reader gives, row for row. */
class ParquetMetadataTest {
  private static final InputSettings SETTINGS = new InputSettings("auto", "url", "caption", "src_");

  @TempDir java.nio.file.Path dir;

  /** Writes one Parquet file from SQL (small row groups, so a file holds several). */
  private Path write(String name, String select, int rows) {
    SparkSession spark = SparkTestSession.get();
    String out = dir.resolve(name + ".dir").toString();
    spark.range(rows).selectExpr(select.split(";")).coalesce(1).write()
        .option("parquet.block.size", 4096).parquet(out);
    try (var files = java.nio.file.Files.list(dir.resolve(name + ".dir"))) {
      java.nio.file.Path part = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
      java.nio.file.Path target = dir.resolve(name + ".parquet");
      java.nio.file.Files.move(part, target);
      return new Path(target.toUri());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Source direct(List<Path> files) {
    SparkSession spark = SparkTestSession.get();
    return ParquetMetadata.readOrNull(JavaSparkContext.fromSparkContext(spark.sparkContext()),
        files, SETTINGS, "base", "test", spark.sparkContext().hadoopConfiguration());
  }

  private static String describe(SourceRow r) {
    List<String> extras = new ArrayList<>();
    for (Object v : r.extras()) {
      // Spark gives Short and Byte for small integer columns where this reader gives Integer;
      // both are written as the same INT32 column
      extras.add(v instanceof Short || v instanceof Byte ? String.valueOf(((Number) v).intValue())
          : String.valueOf(v));
    }
    return r.index() + " " + r.url() + " " + r.caption() + " " + extras;
  }

  private static List<String> rows(Source s) {
    return s.rows().collect().stream().map(ParquetMetadataTest::describe).toList();
  }

  @Test
  void givesSparkSqlsRowsValuesAndColumns() {
    String columns = "CASE WHEN id % 7 = 3 THEN NULL ELSE concat('http://h/', id, '.jpg') END AS URL;"
        + "CASE WHEN id % 5 = 1 THEN NULL ELSE concat('caption ', id, ' \u00e9') END AS caption;"
        + "CAST(id AS INT) AS width;CAST(id * 3 AS BIGINT) AS hash;CAST(id / 3.0 AS DOUBLE) AS similarity;"
        + "CAST(id / 7.0 AS FLOAT) AS punsafe;id % 2 = 0 AS nsfw;CAST(id AS SMALLINT) AS small;"
        + "CAST(id % 100 AS TINYINT) AS tiny;concat('cc-', id) AS status;"
        + "CASE WHEN id % 4 = 0 THEN NULL ELSE CAST(id AS INT) END AS maybe";
    List<Path> files = List.of(write("a", columns, 300),
        write("b", columns.replace("http://h/", "http://h/b"), 120));
    Source fast = direct(files);
    assertNotNull(fast, "plain columns take the footer reader");
    Source sql = InputReader.sparkSql(SparkTestSession.get(), files, "parquet", SETTINGS, "base", "test");
    assertEquals(420, fast.size(), "the size comes from the footers");
    assertTrue(fast.rows().getNumPartitions() > 2, "one partition per row group");
    assertEquals(sql.extras(), fast.extras(), "same kept columns, names (src_status) and types");
    assertEquals(rows(sql), rows(fast));
  }

  @Test
  void leavesOtherColumnTypesAndMixedSchemasToSparkSql() {
    assertNull(direct(List.of(write("dec", "concat('u', id) AS url;CAST(id AS DECIMAL(10, 2)) AS d", 10))));
    assertNull(direct(List.of(write("nest", "concat('u', id) AS url;array(id) AS a", 10))));
    assertNull(direct(List.of(write("num", "id AS url", 10))), "a url column that is not text");
    assertNull(direct(List.of(write("x", "concat('u', id) AS url", 10),
        write("y", "concat('u', id) AS url;id AS more", 10))), "files whose schemas differ");
  }
}
