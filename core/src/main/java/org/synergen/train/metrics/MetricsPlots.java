package org.synergen.train.metrics;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** {@code loss.png} (loss against step) and {@code throughput.png} (rate and communication share against round). */
public final class MetricsPlots {
  public static final String LOSS = "loss.png";
  public static final String THROUGHPUT = "throughput.png";
  private static final int WIDTH = 900;
  private static final int HEIGHT = 500;

  private MetricsPlots() {}

  public static void write(List<RoundMetrics> rounds, FileSystem fs, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYSeries loss = new XYSeries("loss (mean over workers)");
    XYSeriesCollection losses = new XYSeriesCollection(loss);
    boolean tokens = rounds.stream().anyMatch(m -> m.tokens() > 0);
    XYSeries rate = new XYSeries(tokens ? "tokens/s" : "examples/s");
    XYSeries comm = new XYSeries("broadcast + aggregate, % of round");
    for (RoundMetrics m : rounds) {
      loss.add(m.step(), m.loss());
      rate.add(m.round(), tokens ? m.tokensPerSec() : m.examplesPerSec());
      double wall = m.seconds().wall();
      comm.add(m.round(), wall <= 0 ? 0 : 100 * (m.seconds().broadcast() + m.seconds().aggregate()) / wall);
    }
    for (var task : rounds.isEmpty() ? List.<String>of() : rounds.get(rounds.size() - 1).lossPerTask().keySet()) {
      if (rounds.get(rounds.size() - 1).lossPerTask().size() < 2) {
        break;
      }
      XYSeries s = new XYSeries("loss, " + task);
      for (RoundMetrics m : rounds) {
        Double l = m.lossPerTask().get(task);
        if (l != null) {
          s.add(m.step(), l);
        }
      }
      losses.addSeries(s);
    }
    png(fs, new Path(dir, LOSS), ChartFactory.createXYLineChart("Training loss", "step", "loss",
        losses, PlotOrientation.VERTICAL, true, false, false));
    XYSeriesCollection throughput = new XYSeriesCollection(rate);
    throughput.addSeries(comm);
    png(fs, new Path(dir, THROUGHPUT), ChartFactory.createXYLineChart("Throughput", "round",
        (tokens ? "tokens/s" : "examples/s") + "  |  %", throughput, PlotOrientation.VERTICAL, true, false, false));
  }

  private static void png(FileSystem fs, Path file, JFreeChart chart) throws IOException {
    BufferedImage img = chart.createBufferedImage(WIDTH, HEIGHT);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(img, "png", bytes);
    try (OutputStream out = fs.create(file, true)) {
      out.write(bytes.toByteArray());
    }
  }
}
