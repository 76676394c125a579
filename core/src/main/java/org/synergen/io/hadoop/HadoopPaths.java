package org.synergen.io.hadoop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Small helpers over Hadoop's FileSystem so that every path a job reads or writes may be
 * {@code file:}, {@code hdfs://} or {@code s3a://} alike.
 */
public final class HadoopPaths {
  private HadoopPaths() {}

  /** A path as given by a user: a bare local path becomes an absolute {@code file:} path. */
  public static Path qualify(String pathOrUri, Configuration conf) {
    Path p = new Path(pathOrUri);
    try {
      return p.getFileSystem(conf).makeQualified(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the file system of " + pathOrUri, e);
    }
  }

  public static FileSystem fs(Path p, Configuration conf) throws IOException {
    return p.getFileSystem(conf);
  }

  public static boolean exists(Path p, Configuration conf) throws IOException {
    return fs(p, conf).exists(p);
  }

  /** Files directly under {@code dir} (no recursion), sorted by name; empty if it is absent. */
  public static List<FileStatus> listFiles(Path dir, Configuration conf) throws IOException {
    FileSystem fs = fs(dir, conf);
    if (!fs.exists(dir)) {
      return List.of();
    }
    FileStatus[] all = fs.listStatus(dir);
    Arrays.sort(all, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    List<FileStatus> files = new ArrayList<>();
    for (FileStatus s : all) {
      if (s.isFile()) {
        files.add(s);
      }
    }
    return files;
  }

  /**
   * Reads a whole file, refusing files above {@code maxBytes} (so a huge object cannot exhaust
   * the heap).
   */
  public static byte[] readAll(Path p, Configuration conf, long maxBytes) throws IOException {
    FileSystem fs = fs(p, conf);
    long len = fs.getFileStatus(p).getLen();
    if (len > maxBytes) {
      throw new IOException(p + " is " + len + " bytes, above the limit of " + maxBytes);
    }
    try (InputStream in = fs.open(p)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) len);
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  /**
   * Writes {@code bytes} to {@code target} through a hidden temporary file next to it and a
   * rename, so readers never see a half-written file (names starting with '.' are skipped by
   * Spark and Hadoop input formats).
   */
  public static void writeAtomically(Path target, byte[] bytes, Configuration conf)
      throws IOException {
    FileSystem fs = fs(target, conf);
    Path tmp = temporarySibling(target);
    try (FSDataOutputStream out = fs.create(tmp, true)) {
      out.write(bytes);
    }
    moveInto(tmp, target, conf);
  }

  /** A hidden name next to {@code target} for writing it before {@link #moveInto}. */
  public static Path temporarySibling(Path target) {
    return new Path(target.getParent(), "." + target.getName() + ".inprogress");
  }

  /** Renames {@code from} to {@code to}, replacing {@code to} if it exists. */
  public static void moveInto(Path from, Path to, Configuration conf) throws IOException {
    FileSystem fs = fs(to, conf);
    if (fs.exists(to)) {
      fs.delete(to, false);
    }
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }

  public static void mkdirs(Path dir, Configuration conf) throws IOException {
    fs(dir, conf).mkdirs(dir);
  }

  public static void deleteRecursively(Path p, Configuration conf) throws IOException {
    FileSystem fs = fs(p, conf);
    if (fs.exists(p)) {
      fs.delete(p, true);
    }
  }

  public static void writeString(Path target, String text, Configuration conf) throws IOException {
    writeAtomically(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), conf);
  }

  public static String readString(Path p, Configuration conf) throws IOException {
    return new String(readAll(p, conf, 64L << 20), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** True for a URI scheme that Hadoop has a FileSystem for (file, hdfs, s3a, ...). */
  public static boolean hasFileSystem(URI uri, Configuration conf) {
    try {
      FileSystem.getFileSystemClass(uri.getScheme(), conf);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Copies everything from {@code in} to a new file, atomically like {@link #writeAtomically}. */
  public static void writeAtomically(Path target, InputStream in, Configuration conf)
      throws IOException {
    FileSystem fs = fs(target, conf);
    Path tmp = temporarySibling(target);
    try (OutputStream out = fs.create(tmp, true)) {
      in.transferTo(out);
    }
    moveInto(tmp, target, conf);
  }
}
