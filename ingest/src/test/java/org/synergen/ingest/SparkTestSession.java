package org.synergen.ingest;

import org.apache.spark.sql.SparkSession;

/** One small local Spark session shared by the test classes of this JVM. */
public final class SparkTestSession {
  private static SparkSession spark;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      spark = SparkSession.builder()
          .master("local[2]")
          .appName("ingest-test")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.ui.enabled", "false")
          .config("spark.executor.heartbeatInterval", "1s")
          .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
    }
    return spark;
  }
}
