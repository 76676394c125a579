package org.synergen.data;

/**
 * The image-shard format written by the ingest job and read by tokenize-job: one Parquet file per
 * shard, {@code 00000.parquet}, {@code 00001.parquet}, ..., each with a {@code 00000_stats.json}
 * beside it. Column names and status values are img2dataset's, so tools written for its output
 * read ours; {@code jpg_sha256}, {@code phash}, {@code duplicate_of} and the {@code duplicate}
 * status are our additions (img2dataset does not deduplicate).
 */
public final class ImageShard {
  private ImageShard() {}

  // Columns, in file order; the input's extra columns follow them.
  public static final String KEY = "key";
  public static final String URL = "url";
  public static final String CAPTION = "caption";
  public static final String STATUS = "status";
  public static final String ERROR_MESSAGE = "error_message";
  public static final String WIDTH = "width";
  public static final String HEIGHT = "height";
  public static final String ORIGINAL_WIDTH = "original_width";
  public static final String ORIGINAL_HEIGHT = "original_height";
  /** sha256 (hex) of the downloaded bytes, as img2dataset computes it. */
  public static final String SHA256 = "sha256";
  /** sha256 (hex) of the stored image bytes ({@link #IMAGE}); exact dedup compares these. */
  public static final String JPG_SHA256 = "jpg_sha256";
  /** 64-bit DCT perceptual hash of the stored image (bit 63 = first DCT coefficient). */
  public static final String PHASH = "phash";
  /** For status {@code duplicate}: the key of the earlier row this one duplicates. */
  public static final String DUPLICATE_OF = "duplicate_of";
  /** The encoded image (JPEG); img2dataset names this column after the encode format. */
  public static final String IMAGE = "jpg";

  // Status values: every input row gets exactly one.
  public static final String SUCCESS = "success";
  public static final String FAILED_TO_DOWNLOAD = "failed_to_download";
  public static final String FAILED_TO_RESIZE = "failed_to_resize";
  public static final String DUPLICATE = "duplicate";

  /** The fixed columns above, in order. */
  public static final java.util.List<String> COLUMNS =
      java.util.List.of(KEY, URL, CAPTION, STATUS, ERROR_MESSAGE, WIDTH, HEIGHT, ORIGINAL_WIDTH,
          ORIGINAL_HEIGHT, SHA256, JPG_SHA256, PHASH, DUPLICATE_OF, IMAGE);

  public static String shardName(int shard) {
    return String.format("%05d", shard);
  }

  public static String parquetName(int shard) {
    return shardName(shard) + ".parquet";
  }

  public static String statsName(int shard) {
    return shardName(shard) + "_stats.json";
  }
}
