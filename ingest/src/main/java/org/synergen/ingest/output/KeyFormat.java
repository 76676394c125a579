package org.synergen.ingest.output;

import java.io.Serializable;

/**
 * Keys as img2dataset makes them: the shard number then the row's position in the shard, both
 * zero-padded, so that key order (as strings) is input order.
 */
public record KeyFormat(int shardDigits, int rowDigits, int samplesPerShard) implements Serializable {

  public static KeyFormat of(long shardCount, int samplesPerShard) {
    return new KeyFormat(Math.max(5, digits(shardCount - 1)), Math.max(1, digits(samplesPerShard - 1)),
        samplesPerShard);
  }

  public int shardOf(long index) {
    return (int) (index / samplesPerShard);
  }

  public String key(long index) {
    // String.format cost 5% of a small run's image-thread time; this is the same zero-padding
    StringBuilder key = new StringBuilder(shardDigits + rowDigits);
    padded(key, index / samplesPerShard, shardDigits);
    padded(key, index % samplesPerShard, rowDigits);
    return key.toString();
  }

  private static void padded(StringBuilder out, long n, int digits) {
    String s = Long.toString(n);
    for (int i = s.length(); i < digits; i++) {
      out.append('0');
    }
    out.append(s);
  }

  /** The shard a key belongs to. */
  public int shardOf(String key) {
    return Integer.parseInt(key.substring(0, shardDigits));
  }

  private static int digits(long n) {
    return Long.toString(Math.max(0, n)).length();
  }
}
