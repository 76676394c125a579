package org.synergen.io.hadoop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;

/**
 * Hadoop's local file system ({@code file:}), except that without Hadoop's native library it sets
 * a file's permissions through java.nio instead of starting a {@code chmod} process. Hadoop does
 * that for every file it creates (and its checksum file): an ingest of 20000 images started
 * hundreds of processes, each a fork of the whole JVM until it ran chmod. Everything else is
 * Hadoop's own; {@link org.synergen.spark.JobSession} makes it the {@code file:} implementation.
 */
public final class NioLocalFileSystem extends LocalFileSystem {
  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** The raw (checksum-less) file system underneath. */
  public static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      String rwx = permission.toString();
      // with the native library, or a sticky bit (which java.nio cannot set), Hadoop's own way
      if (NativeIO.isAvailable() || !rwx.matches("[r-][w-][x-][r-][w-][x-][r-][w-][x-]")) {
        super.setPermission(p, permission);
        return;
      }
      try {
        Files.setPosixFilePermissions(pathToFile(p).toPath(), PosixFilePermissions.fromString(rwx));
      } catch (UnsupportedOperationException notPosix) {
        super.setPermission(p, permission);
      }
    }
  }
}
