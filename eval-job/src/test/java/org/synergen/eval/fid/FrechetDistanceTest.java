package org.synergen.eval.fid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.synergen.eval.ReferenceFixtures;

/** The Fréchet distance by hand and against pytorch-fid's calculate_frechet_distance. */
class FrechetDistanceTest {
  private static final JsonNode REF = ReferenceFixtures.load("fid_reference.json");

  @Test
  void twoDimensionalCaseByHand() {
    // |(1,2)|^2 = 5, Tr = 4 + 4, (S1 S2) = [[2,3],[1,6]] has det 9 and trace 8, so
    // Tr sqrt = sqrt(8 + 2*3) = sqrt(14): 5 + 8 - 2 sqrt(14) = 13 - 2 sqrt(14)
    GaussianStats a = new GaussianStats(new double[] {0, 0}, new double[][] {{2, 1}, {1, 2}});
    GaussianStats b = new GaussianStats(new double[] {1, 2}, new double[][] {{1, 0}, {0, 3}});
    assertEquals(13 - 2 * Math.sqrt(14), FrechetDistance.between(a, b), 1e-12);
    assertEquals(REF.get("frechet").get(0).get("fid").asDouble(), FrechetDistance.between(a, b), 1e-12);
  }

  @Test
  void unitMeanShiftIn2048Dimensions() {
    int d = 2048;
    double[] zero = new double[d];
    double[] one = new double[d];
    Arrays.fill(one, 1);
    GaussianStats a = new GaussianStats(zero, identity(d));
    GaussianStats b = new GaussianStats(one, identity(d));
    assertEquals(2048.0, FrechetDistance.between(a, b), 1e-9);
  }

  @Test
  void statisticsAndDistanceMatchPytorchFid() {
    for (JsonNode c : REF.get("frechet")) {
      if (!c.has("features1")) {
        continue;
      }
      GaussianStats a = GaussianStats.of(floats(c.get("features1")));
      GaussianStats b = GaussianStats.of(floats(c.get("features2")));
      // features pass through float32, as pytorch-fid's activations do
      assertArrayEquals(doubles(c.get("mu1")), a.mean(), 1e-5, c.get("name").asText());
      String name = c.get("name").asText();
      double pytorchFid = c.get("fid").asDouble();
      assertEquals(pytorchFid, FrechetDistance.between(a, b), 1e-4 * pytorchFid, name);
      GaussianStats exactA = new GaussianStats(doubles(c.get("mu1")), matrix(c.get("sigma1")));
      GaussianStats exactB = new GaussianStats(doubles(c.get("mu2")), matrix(c.get("sigma2")));
      double ours = FrechetDistance.between(exactA, exactB);
      assertEquals(pytorchFid, ours, 1e-7 * pytorchFid, name);
      // Singular covariances (few_samples, low_rank): judged by the 50-digit value, the eigenvalue
      // form must be at least as close as pytorch-fid's sqrtm.
      double truth = c.get("fid_mp50").asDouble();
      double allowed = Math.max(Math.abs(pytorchFid - truth), 1e-10 * truth);
      assertEquals(truth, ours, allowed, name + ": pytorch-fid is " + Math.abs(pytorchFid - truth) + " off");
    }
  }

  @Test
  void readsPytorchFidStatsFiles() throws URISyntaxException {
    GaussianStats a = NpzStats.read(Path.of(getClass().getResource("/reference/fid_stats_a.npz").toURI()));
    GaussianStats b = NpzStats.read(Path.of(getClass().getResource("/reference/fid_stats_b.npz").toURI()));
    JsonNode few = null;
    for (JsonNode c : REF.get("frechet")) {
      if (c.get("name").asText().equals("few_samples")) {
        few = c;
      }
    }
    assertArrayEquals(doubles(few.get("mu1")), a.mean(), 0.0);
    assertArrayEquals(matrix(few.get("sigma1"))[3], a.covariance()[3], 0.0);
    assertArrayEquals(doubles(few.get("mu2")), b.mean(), 1e-6);  // stored as float32
    assertEquals(few.get("fid").asDouble(), FrechetDistance.between(a, b), 1e-5 * few.get("fid").asDouble());
  }

  static double[][] identity(int d) {
    double[][] m = new double[d][d];
    for (int i = 0; i < d; i++) {
      m[i][i] = 1;
    }
    return m;
  }

  static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  static double[][] matrix(JsonNode rows) {
    double[][] out = new double[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = doubles(rows.get(i));
    }
    return out;
  }

  static List<float[]> floats(JsonNode rows) {
    List<float[]> out = new ArrayList<>();
    for (JsonNode row : rows) {
      float[] f = new float[row.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) row.get(i).asDouble();
      }
      out.add(f);
    }
    return out;
  }
}
