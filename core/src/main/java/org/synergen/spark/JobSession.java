package org.synergen.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.synergen.io.hadoop.NioLocalFileSystem;

/**
 * The Spark session a job runs in. A session that already runs (spark-shell, a test) is used and
 * left running; one this job starts is stopped on {@link #close}. Logging is {@link QuietLogs}'s.
 */
public final class JobSession implements AutoCloseable {
  private final SparkSession spark;
  private final boolean ours;

  private JobSession(SparkSession spark, boolean ours) {
    this.spark = spark;
    this.ours = ours;
  }

  /** @param conf the job's settings; keys set with {@code setIfMissing} leave spark-submit's choices alone */
  public static JobSession open(SparkConf conf) {
    // the classic (in-process) session's own builder: the jobs need its SparkContext, and the
    // generic SparkSession.builder() first picks classic or Connect through Scala reflection,
    // whose start-up cost about 0.5 s of CPU per job
    boolean ours = org.apache.spark.sql.classic.SparkSession.getDefaultSession().isEmpty();
    SparkSession spark = org.apache.spark.sql.classic.SparkSession.builder()
        .config(withDefaults(conf)).getOrCreate();
    return new JobSession(spark, ours);
  }

  /** What every job's session gets unless spark-submit or the job's own settings chose otherwise. */
  static SparkConf withDefaults(SparkConf conf) {
    return conf.setIfMissing("spark.ui.showConsoleProgress", "false")
        // ND4J's idle OpenMP threads sleep instead of spinning on executors, as bin/synergen sets
        // for the driver: on shared or oversubscribed machines spinning made steps 3-10x slower
        .setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE")
        // local files get their permissions without a forked chmod per file (NioLocalFileSystem)
        .setIfMissing("spark.hadoop.fs.file.impl", NioLocalFileSystem.class.getName());
  }

  public SparkSession spark() {
    return spark;
  }

  @Override
  public void close() {
    if (ours) {
      spark.stop();
    }
  }
}
