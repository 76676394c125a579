package org.synergen.eval.fid;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.synergen.eval.data.EvalInputException;

/**
 * FID statistics files in pytorch-fid's format: an .npz (zip of .npy arrays, compressed or not)
 * holding "mu" (d) and "sigma" (d x d), float64 or float32, little-endian.
 */
public final class NpzStats {
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=]?)([fi])(\\d)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private NpzStats() {}

  public static GaussianStats read(Path file) {
    Map<String, double[]> arrays = new HashMap<>();
    Map<String, long[]> shapes = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        String name = e.getName().replaceFirst("\\.npy$", "");
        if (name.equals("mu") || name.equals("sigma")) {
          long[][] shape = new long[1][];
          arrays.put(name, readNpy(zip, file, name, shape));
          shapes.put(name, shape[0]);
        }
      }
    } catch (NoSuchFileException e) {
      throw new EvalInputException(file, "no such file");
    } catch (IOException e) {
      throw new EvalInputException(file, "not a readable .npz file (" + e.getMessage() + ")");
    }
    if (!arrays.containsKey("mu") || !arrays.containsKey("sigma")) {
      throw new EvalInputException(file, "an FID statistics .npz needs arrays \"mu\" and \"sigma\" "
          + "(as pytorch-fid --save-stats writes), found " + arrays.keySet());
    }
    double[] mu = arrays.get("mu");
    long[] sigmaShape = shapes.get("sigma");
    int d = mu.length;
    if (shapes.get("mu").length != 1 || sigmaShape.length != 2 || sigmaShape[0] != d || sigmaShape[1] != d) {
      throw new EvalInputException(file, "mu must have shape (d,) and sigma (d, d); found "
          + java.util.Arrays.toString(shapes.get("mu")) + " and " + java.util.Arrays.toString(sigmaShape));
    }
    double[][] sigma = new double[d][];
    for (int i = 0; i < d; i++) {
      sigma[i] = java.util.Arrays.copyOfRange(arrays.get("sigma"), i * d, (i + 1) * d);
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
      writeNpy(zip, stats.mean(), "(" + d + ",)");
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("sigma.npy"));
      writeNpy(zip, flat, "(" + d + ", " + d + ")");
      zip.closeEntry();
    }
  }

  private static double[] readNpy(InputStream in, Path file, String name, long[][] shapeOut) throws IOException {
    byte[] magic = in.readNBytes(8);
    if (magic.length < 8 || (magic[0] & 0xff) != 0x93 || magic[1] != 'N') {
      throw new EvalInputException(file, name + ".npy is not a NumPy array");
    }
    int major = magic[6];
    ByteBuffer lenBuf = ByteBuffer.wrap(in.readNBytes(major == 1 ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = major == 1 ? Short.toUnsignedInt(lenBuf.getShort()) : lenBuf.getInt();
    String header = new String(in.readNBytes(headerLength), StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(header);
    Matcher fortran = FORTRAN.matcher(header);
    Matcher shapeM = SHAPE.matcher(header);
    if (!descr.find() || !fortran.find() || !shapeM.find()) {
      throw new EvalInputException(file, name + ".npy has an unreadable header: " + header.strip());
    }
    String kind = descr.group(2);
    int width = Integer.parseInt(descr.group(3));
    if (!kind.equals("f") || (width != 4 && width != 8) || descr.group(1).equals(">")) {
      throw new EvalInputException(file, name + " must be little-endian float32 or float64, found " + descr.group());
    }
    String[] dims = shapeM.group(1).split(",");
    long[] shape = java.util.Arrays.stream(dims).map(String::strip).filter(s -> !s.isEmpty())
        .mapToLong(Long::parseLong).toArray();
    long count = 1;
    for (long s : shape) {
      count *= s;
    }
    ByteBuffer data = ByteBuffer.wrap(in.readNBytes(Math.toIntExact(count * width))).order(ByteOrder.LITTLE_ENDIAN);
    double[] out = new double[(int) count];
    for (int i = 0; i < count; i++) {
      out[i] = width == 8 ? data.getDouble() : data.getFloat();
    }
    if (fortran.group(1).equals("True") && shape.length == 2) {
      double[] c = new double[out.length];
      int rows = (int) shape[0];
      int cols = (int) shape[1];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          c[i * cols + j] = out[j * rows + i];
        }
      }
      out = c;
    }
    shapeOut[0] = shape;
    return out;
  }

  private static void writeNpy(OutputStream out, double[] values, String shape) throws IOException {
    StringBuilder header = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }");
    while ((10 + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.write(header.length() & 0xff);
    b.write(header.length() >> 8);
    b.write(header.toString().getBytes(StandardCharsets.ISO_8859_1));
    ByteBuffer data = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      data.putDouble(v);
    }
    b.write(data.array());
    out.write(b.toByteArray());
  }
}
