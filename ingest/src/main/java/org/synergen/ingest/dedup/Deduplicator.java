package org.synergen.ingest.dedup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.synergen.data.ImageShard;
import org.synergen.ingest.output.KeyFormat;
import org.synergen.ingest.output.OutputLayout;
import org.synergen.io.hadoop.HadoopPaths;

/**
 * Phase 2: finds duplicates across the whole job. A successful row is a duplicate when an earlier
 * row (in key order) stored the same bytes (jpg_sha256) or, with near-dedup on, has a perceptual
 * hash within the threshold; it points at the earliest such row. So no two rows left as success match each other.
 *
 * <p>Near pairs are found without comparing all pairs: with the 64 hash bits cut into
 * threshold + 1 bands, two hashes within the threshold agree exactly on at least one band
 * (pigeonhole), so only hashes sharing a band value are compared. Identical hashes are first
 * collapsed to one value with its earliest key, so a flood of equal images costs no pairs.
 */
public final class Deduplicator {
  private Deduplicator() {}

  /** Writes the marks under {@code _dedup/shard=N/} and returns how many rows were marked. */
  public static long run(SparkSession spark, OutputLayout layout, KeyFormat keys, DedupSettings s)
      throws IOException {
    if (!s.exact() && !s.near()) {
      return 0;
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String[] shards = HadoopPaths.listFiles(layout.fetchedDir(), conf).stream()
        .map(f -> f.getPath().toString()).filter(f -> f.endsWith(".parquet")).toArray(String[]::new);
    Dataset<Row> ok = spark.read().parquet(shards)
        .where(col(ImageShard.STATUS).equalTo(ImageShard.SUCCESS))
        .select(col(ImageShard.KEY).as("key"), col(ImageShard.JPG_SHA256).as("sha"),
            col(ImageShard.PHASH).as("phash"));
    // candidates: (key, first, rank, distance); rank 0 = exact, 1 = near (exact wins ties)
    List<Dataset<Row>> candidates = new ArrayList<>();
    if (s.exact()) {
      candidates.add(ok.withColumn("first", min("key").over(Window.partitionBy("sha")))
          .where(col("first").lt(col("key")))
          .select(col("key"), col("first"), lit(0).as("rank"), lit(0).as("distance")));
    }
    if (s.near()) {
      candidates.add(near(ok, s.phashThreshold()));
    }
    Dataset<Row> all = candidates.get(0);
    for (int i = 1; i < candidates.size(); i++) {
      all = all.unionByName(candidates.get(i));
    }
    Dataset<Row> marks = all.groupBy("key")
        .agg(min(struct(col("first"), col("rank"), col("distance"))).as("m"))
        .select(col("key"), col("m.first").as("duplicate_of"), col("m.rank").equalTo(0).as("exact"),
            col("m.distance").cast("int").as("distance"),
            expr("cast(substring(key, 1, " + keys.shardDigits() + ") as int)").as("shard"))
        .cache();
    long n = marks.count();
    marks.write().mode("overwrite").partitionBy("shard").parquet(layout.dedupDir().toString());
    marks.unpersist();
    return n;
  }

  /** For each row, the earliest earlier key whose hash is within {@code t} bits of its own. */
  private static Dataset<Row> near(Dataset<Row> ok, int t) {
    Dataset<Row> values = ok.groupBy("phash").agg(min("key").as("first_key"));
    int bands = t + 1;
    List<Column> bandCols = new ArrayList<>();
    for (int b = 0; b < bands; b++) {
      int lo = b * 64 / bands;
      int hi = (b + 1) * 64 / bands;
      long mask = hi - lo == 64 ? -1L : (1L << (hi - lo)) - 1;
      bandCols.add(struct(lit(b).as("band"),
          functions.shiftrightunsigned(col("phash"), lo).bitwiseAND(lit(mask)).as("v")));
    }
    Dataset<Row> banded = values.withColumn("b",
        functions.explode(functions.array(bandCols.toArray(Column[]::new))));
    Dataset<Row> a = banded.select(col("phash").as("pa"), col("first_key").as("first"),
        col("b.band").as("band"), col("b.v").as("v"));
    Dataset<Row> b = banded.select(col("phash").as("pb"), col("b.band").as("band"), col("b.v").as("v"));
    // neighbours (pb -> first key of pa) with pa within t bits of pb, pa != pb; plus pb itself
    Dataset<Row> neighbours = a.join(b, a.col("band").equalTo(b.col("band"))
            .and(a.col("v").equalTo(b.col("v")))
            .and(a.col("pa").notEqual(b.col("pb"))))
        .select(col("pb"), col("first"), expr("bit_count(pa ^ pb)").as("distance"))
        .where(col("distance").leq(t))
        .distinct()
        .unionByName(values.select(col("phash").as("pb"), col("first_key").as("first"),
            lit(0).as("distance")));
    return ok.join(neighbours, ok.col("phash").equalTo(neighbours.col("pb")))
        .where(col("first").lt(col("key")))
        .select(col("key"), col("first"), lit(1).as("rank"), col("distance").cast("int").as("distance"));
  }
}
