package org.synergen.io.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NioLocalFileSystemTest {
  @TempDir java.nio.file.Path dir;

  private static FileSystem fs() throws Exception {
    Configuration conf = new Configuration(false);
    conf.set("fs.file.impl", NioLocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    conf.set("fs.permissions.umask-mode", "022");
    return FileSystem.get(java.net.URI.create("file:///"), conf);
  }

  @Test
  void createdFilesGetTheUmaskedDefaultAndAChecksum() throws Exception {
    FileSystem fs = fs();
    assertInstanceOf(NioLocalFileSystem.class, fs);
    Path file = new Path(dir.toUri().toString(), "a.txt");
    try (FSDataOutputStream out = fs.create(file, true)) {
      out.write("hello".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals("rw-r--r--", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("a.txt"))), "0666 less the 022 umask");
    assertTrue(Files.exists(dir.resolve(".a.txt.crc")), "still Hadoop's checksummed local file system");
    byte[] back = new byte[5];
    try (FSDataInputStream in = fs.open(file)) {
      in.readFully(back);
    }
    assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), back);
  }

  @Test
  void setPermissionSetsExactlyTheBitsAskedFor() throws Exception {
    FileSystem fs = fs();
    Files.writeString(dir.resolve("b"), "x");
    fs.setPermission(new Path(dir.toUri().toString(), "b"), new FsPermission((short) 0640));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("b"))));
    // the sticky bit is beyond java.nio: Hadoop's own chmod sets the rest the same
    Files.createDirectory(dir.resolve("d"));
    fs.setPermission(new Path(dir.toUri().toString(), "d"), new FsPermission((short) 01750));
    assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("d"))));
  }
}
