package org.synergen.eval.fid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.synergen.eval.data.EvalInputException;
import org.synergen.io.FormatException;
import org.synergen.io.Npy;

/**
 * FID statistics files in pytorch-fid's format: an .npz (zip of .npy arrays, compressed or not)
 * holding "mu" (d) and "sigma" (d x d), float64 or float32, little-endian, C order. Each entry is
 * read and written by core's {@link Npy}.
 */
public final class NpzStats {

  private NpzStats() {}

  public static GaussianStats read(Path file) {
    Map<String, Npy.Array> arrays = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        String name = e.getName().replaceFirst("\\.npy$", "");
        if (name.equals("mu") || name.equals("sigma")) {
          Npy.Array a = Npy.readRaw(zip.readAllBytes(), name + ".npy");
          if (!a.descr().equals("<f8") && !a.descr().equals("<f4")) {
            throw new EvalInputException(file, name + " must be little-endian float32 or float64, found " + a.descr());
          }
          arrays.put(name, a);
        }
      }
    } catch (NoSuchFileException e) {
      throw new EvalInputException(file, "no such file");
    } catch (FormatException e) {
      throw new EvalInputException(file, e.getMessage());
    } catch (IOException e) {
      throw new EvalInputException(file, "not a readable .npz file (" + e.getMessage() + ")");
    }
    if (!arrays.containsKey("mu") || !arrays.containsKey("sigma")) {
      throw new EvalInputException(file, "an FID statistics .npz needs arrays \"mu\" and \"sigma\" "
          + "(as pytorch-fid --save-stats writes), found " + arrays.keySet());
    }
    long[] muShape = arrays.get("mu").shape();
    long[] sigmaShape = arrays.get("sigma").shape();
    if (muShape.length != 1 || sigmaShape.length != 2 || sigmaShape[0] != muShape[0] || sigmaShape[1] != muShape[0]) {
      throw new EvalInputException(file, "mu must have shape (d,) and sigma (d, d); found "
          + java.util.Arrays.toString(muShape) + " and " + java.util.Arrays.toString(sigmaShape));
    }
    double[] mu = doubles(arrays.get("mu"));
    double[] flat = doubles(arrays.get("sigma"));
    int d = mu.length;
    double[][] sigma = new double[d][];
    for (int i = 0; i < d; i++) {
      sigma[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
    }
    return new GaussianStats(mu, sigma);
  }

  /** Writes mu and sigma as float64 .npy entries of an uncompressed .npz. */
  public static void write(GaussianStats stats, Path file) throws IOException {
    int d = stats.dimension();
    double[] flat = new double[d * d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(stats.covariance()[i], 0, flat, i * d, d);
    }
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new ZipEntry("mu.npy"));
      Npy.writeDoubles(zip, stats.mean(), d);
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("sigma.npy"));
      Npy.writeDoubles(zip, flat, d, d);
      zip.closeEntry();
    }
  }

  private static double[] doubles(Npy.Array a) {
    double[] out = new double[a.data().remaining() / (a.descr().equals("<f8") ? 8 : 4)];
    if (a.descr().equals("<f8")) {
      a.data().asDoubleBuffer().get(out);
    } else {
      java.nio.FloatBuffer f = a.data().asFloatBuffer();
      for (int i = 0; i < out.length; i++) {
        out[i] = f.get(i);
      }
    }
    return out;
  }
}
