package org.synergen.train.distributed;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on loopback for tests: a Master and Workers started with {@code
 * java -cp} on the Maven jars (no Spark distribution; README "Running on a cluster"), applications
 * submitted through SparkSubmit in client mode, every process stopped by {@link #close}. Logs go
 * to {@code <dir>/<name>.log}.
 */
public final class LoopbackCluster implements AutoCloseable {
  private final Path dir;
  private final Path sparkHome;
  private final List<Process> started = new ArrayList<>();
  private String master;

  public LoopbackCluster(Path dir) throws IOException {
    this.dir = dir;
    this.sparkHome = sparkHome(dir);
  }

  /** Starts the Master and {@code workers} Workers of one core each and waits until they registered. */
  public LoopbackCluster start(int workers) throws Exception {
    int masterPort = freePort();
    int masterUi = freePort();
    master = "spark://127.0.0.1:" + masterPort;
    start("master", List.of("-Xmx512m"), "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(masterUi));
    for (int w = 0; w < workers; w++) {
      start("worker" + w, List.of("-Xmx512m"), "org.apache.spark.deploy.worker.Worker",
          "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", Integer.toString(freePort()),
          "--work-dir", Files.createDirectories(dir.resolve("work" + w)).toString(), master);
    }
    awaitAliveWorkers(masterUi, workers);
    return this;
  }

  /**
   * Submits {@code mainClass} (from the test classpath) with one 512m executor per worker and
   * waits for it; fails with the logs' tails when it fails or hangs.
   *
   * @param driverOptions JVM options of the driver (SparkSubmit runs it in its own JVM)
   * @return the driver's log
   */
  public String submit(int timeoutSeconds, List<String> driverOptions, String mainClass, String... args) throws Exception {
    List<String> submit = new ArrayList<>(List.of("--master", master, "--deploy-mode", "client", "--class", mainClass,
        "--conf", "spark.executor.memory=512m", "--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=2",
        "--conf", "spark.executorEnv.SPARK_SCALA_VERSION=2.13",
        "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", moduleOptions()),
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
        sparkHome.resolve("jars/synergen-tests.jar").toString()));
    submit.addAll(List.of(args));
    List<String> jvm = new ArrayList<>(List.of("-Xmx768m"));
    jvm.addAll(driverOptions);
    Process p = start("submit", jvm, "org.apache.spark.deploy.SparkSubmit", submit.toArray(new String[0]));
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail("the submitted job failed or hung:\n" + tail("submit") + "\n--- worker0:\n" + tail("worker0"));
    }
    return Files.readString(dir.resolve("submit.log"));
  }

  /** Executors the workers launched (each leaves an app-.../N/stderr). */
  public long executorCount() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().equals("stderr") && p.toString().contains("app-")).count();
    }
  }

  @Override
  public void close() throws InterruptedException {
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
    started.clear();
  }

  /** A SPARK_HOME whose jars/ holds the test classpath's jars plus its class folders as one jar. */
  private static Path sparkHome(Path dir) throws IOException {
    Path jars = Files.createDirectories(dir.resolve("spark-home/jars"));
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
    // in a reactor build the other modules are class folders too; the first folder with a name wins, as on a classpath
    Set<String> written = new HashSet<>();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jars.resolve("synergen-tests.jar")))) {
      for (Path classes : classDirs) {
        try (Stream<Path> files = Files.walk(classes)) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
            if (!written.add(name)) {
              continue;
            }
            out.putNextEntry(new JarEntry(name));
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

  private Process start(String name, List<String> jvm, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.addAll(moduleOptions());
    cmd.add("-cp");
    cmd.add(sparkHome.resolve("jars") + File.separator + "*");
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
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

  public String tail(String name) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
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
