package org.synergen.data;

import java.io.Serializable;
import java.util.List;

/**
 * One row of an image shard. Nullable fields are null where img2dataset leaves them empty
 * (a failed row has no image, sizes or hash).
 *
 * @param sha256    sha256 of the downloaded bytes (img2dataset's meaning)
 * @param jpgSha256 sha256 of {@code image}, the stored bytes
 *
 * @param extras values of the input's extra columns, in the order of the shard's extra columns
 */
public record ImageShardRow(
    String key,
    String url,
    String caption,
    String status,
    String errorMessage,
    Integer width,
    Integer height,
    Integer originalWidth,
    Integer originalHeight,
    String sha256,
    String jpgSha256,
    Long phash,
    String duplicateOf,
    byte[] image,
    List<Object> extras) implements Serializable {

  /** This row marked as a duplicate of {@code firstKey}; its image bytes are dropped. */
  public ImageShardRow asDuplicateOf(String firstKey, String message) {
    return new ImageShardRow(key, url, caption, ImageShard.DUPLICATE, message, width, height,
        originalWidth, originalHeight, sha256, jpgSha256, phash, firstKey, null, extras);
  }
}
