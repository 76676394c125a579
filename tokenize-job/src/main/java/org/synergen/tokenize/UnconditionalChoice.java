package org.synergen.tokenize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which generation samples train the unconditional branch (docs/model.md "Sequences": 10% of them get
 * "Here is a random image &lt;UNCOND&gt;:" instead of their caption). The choice is a pure function
 * of the sample key and a seed, so re-running the job, retrying a Spark task or re-sharding the
 * input picks the same samples: the first 53 bits of sha256("seed/key") read as a fraction in
 * [0, 1), below the ratio means unconditional.
 */
public final class UnconditionalChoice {
  private UnconditionalChoice() {}

  public static boolean unconditional(String key, long seed, double ratio) {
    return fraction(key, seed) < ratio;
  }

  static double fraction(String key, long seed) {
    byte[] h;
    try {
      h = MessageDigest.getInstance("SHA-256").digest((seed + "/" + key).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (h[i] & 0xFF);
    }
    return (bits >>> 11) * 0x1.0p-53;
  }
}
