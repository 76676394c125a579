package org.synergen.tokenize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a VQ tokenizer folder written into every token shard row: sha256 (hex) over
 * {@code config.json} then {@code model.safetensors}. Same identity, same ids for every image, so
 * a trainer can refuse shards made with another image tokenizer.
 */
public final class VqIdentity {
  private VqIdentity() {}

  public static String of(Path vqDir) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    for (String name : new String[] {"config.json", "model.safetensors"}) {
      Path f = vqDir.resolve(name);
      if (!Files.isRegularFile(f)) {
        throw new IOException(f + ": not found (a VQ model folder holds config.json + model.safetensors)");
      }
      try (InputStream in = new DigestInputStream(Files.newInputStream(f), sha)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
