package org.synergen.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class JobSessionTest {
  @Test
  void executorsGetSleepingOpenMpThreadsByDefault() {
    SparkConf conf = JobSession.withDefaults(new SparkConf(false));
    assertEquals("PASSIVE", conf.get("spark.executorEnv.OMP_WAIT_POLICY"));
    assertEquals("false", conf.get("spark.ui.showConsoleProgress"));
    assertEquals("org.synergen.io.hadoop.NioLocalFileSystem", conf.get("spark.hadoop.fs.file.impl"));
  }

  @Test
  void settingsTheUserChoseAreKept() {
    SparkConf conf = JobSession.withDefaults(new SparkConf(false)
        .set("spark.executorEnv.OMP_WAIT_POLICY", "ACTIVE")
        .set("spark.ui.showConsoleProgress", "true"));
    assertEquals("ACTIVE", conf.get("spark.executorEnv.OMP_WAIT_POLICY"));
    assertEquals("true", conf.get("spark.ui.showConsoleProgress"));
  }
}
