package org.synergen.ingest.image;

/**
 * A stored image and what the shard records about it.
 *
 * @param jpeg   the re-encoded image
 * @param sha256     hex sha256 of the downloaded bytes (what img2dataset's sha256 column holds)
 * @param jpgSha256  hex sha256 of {@code jpeg}, the stored bytes (exact dedup compares these)
 * @param phash      64-bit perceptual hash of the stored pixels
 */
public record ProcessedImage(byte[] jpeg, int width, int height, int originalWidth,
    int originalHeight, String sha256, String jpgSha256, long phash) {}
