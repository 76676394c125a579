package org.synergen.train.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.train.checkpoint.CheckpointStore;
import org.synergen.train.checkpoint.SafetensorsCodec;
import org.synergen.train.distributed.toy.ToyClusterJob;
import org.synergen.train.distributed.toy.ToySetup;

/**
 * A real Spark standalone cluster on loopback: a Master and two Workers started with {@code java
 * -cp} on the Maven jars (no Spark distribution), the toy job submitted through SparkSubmit, its
 * checkpoints checked against the same job in local mode, every process stopped after.
 */
class StandaloneClusterTest {
  @TempDir Path tmp;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopCluster() throws InterruptedException {
    // executors are the workers' children: stop them first, then our own processes, newest first
    for (int i = started.size() - 1; i >= 0; i--) {
      Process p = started.get(i);
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }

  @Test
  void theToyJobTrainsOnAMasterWithTwoWorkersAndMatchesLocalMode() throws Exception {
    Path sparkHome = sparkHome();
    int masterPort = freePort();
    int masterUi = freePort();
    String master = "spark://127.0.0.1:" + masterPort;
    start("master", sparkHome, "-Xmx512m", "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(masterUi));
    for (int w = 0; w < 2; w++) {
      start("worker" + w, sparkHome, "-Xmx512m", "org.apache.spark.deploy.worker.Worker",
          "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", Integer.toString(freePort()),
          "--work-dir", Files.createDirectories(tmp.resolve("work" + w)).toString(), master);
    }
    awaitAliveWorkers(masterUi, 2);

    Path output = tmp.resolve("cluster-run");
    Path appJar = sparkHome.resolve("jars/synergen-tests.jar");
    Process submit = start("submit", sparkHome, "-Xmx768m", "org.apache.spark.deploy.SparkSubmit",
        "--master", master, "--deploy-mode", "client", "--class", ToyClusterJob.class.getName(),
        "--conf", "spark.executor.memory=512m", "--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=2",
        "--conf", "spark.executorEnv.SPARK_SCALA_VERSION=2.13",
        "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", moduleOptions()),
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
        appJar.toString(), output.toUri().toString(), "4");
    if (!submit.waitFor(240, TimeUnit.SECONDS) || submit.exitValue() != 0) {
      fail("the submitted job failed or hung:\n" + tail("submit") + "\n--- worker0:\n" + tail("worker0"));
    }
    String log = Files.readString(tmp.resolve("submit.log"));
    assertTrue(log.contains("toy job finished at round 4"), log);
    assertEquals(2, executorCount(), "executors were launched by the two workers");

    CheckpointStore cluster = new CheckpointStore(output.toUri().toString(), new Configuration(), new SafetensorsCodec());
    assertEquals(List.of("checkpoint-00000002", "checkpoint-00000004"),
        cluster.completeCheckpoints().stream().map(org.apache.hadoop.fs.Path::getName).toList());

    // the same job in local mode, one JVM: separate executor JVMs must not change a bit
    Path localOut = tmp.resolve("local-run");
    JavaSparkContext sc = ToySetup.spark(2, 1);
    try {
      ToyClusterJob.run(sc, localOut.toUri().toString(), 4);
    } finally {
      sc.stop();
    }
    for (String f : List.of(CheckpointStore.MODEL, CheckpointStore.OPTIMIZER)) {
      assertArrayEquals(Files.readAllBytes(localOut.resolve("checkpoint-00000004").resolve(f)),
          Files.readAllBytes(output.resolve("checkpoint-00000004").resolve(f)), f);
    }
  }

  /** A SPARK_HOME whose jars/ holds the test classpath's jars plus our classes as one jar. */
  private Path sparkHome() throws IOException {
    Path jars = Files.createDirectories(tmp.resolve("spark-home/jars"));
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<Path> classDirs = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p)) {
        classDirs.add(p);
      } else if (entry.endsWith(".jar") && Files.exists(p) && !Files.exists(jars.resolve(p.getFileName()))) {
        Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
      }
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jars.resolve("synergen-tests.jar")))) {
      for (Path dir : classDirs) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            out.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
            try (InputStream in = Files.newInputStream(f)) {
              in.transferTo(out);
            }
            out.closeEntry();
          }
        }
      }
    }
    return jars.getParent();
  }

  private Process start(String name, Path sparkHome, String heap, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(heap);
    cmd.addAll(moduleOptions());
    cmd.add("-cp");
    cmd.add(sparkHome.resolve("jars") + File.separator + "*");
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /** Spark's --add-opens set, as this test JVM got it from the build. */
  private static List<String> moduleOptions() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty"))
        .toList();
  }

  private void awaitAliveWorkers(int masterUi, int n) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      try {
        String json = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUi + "/json/"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        if (json.replace(" ", "").contains("\"aliveworkers\":" + n)) {
          return;
        }
      } catch (IOException notUpYet) {
        // the master's UI is still starting
      }
      Thread.sleep(500);
    }
    fail("the workers did not register with the master:\n" + tail("master") + "\n--- worker0:\n" + tail("worker0"));
  }

  private long executorCount() throws IOException {
    try (Stream<Path> s = Files.walk(tmp)) {
      return s.filter(p -> p.getFileName().toString().equals("stderr") && p.toString().contains("app-")).count();
    }
  }

  private String tail(String name) {
    try {
      List<String> lines = Files.readAllLines(tmp.resolve(name + ".log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
