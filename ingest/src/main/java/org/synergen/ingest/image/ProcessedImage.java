package org.synergen.ingest.image;

/**
 * A stored image and what the shard records about it.
 *
 * @param jpeg   the re-encoded image
 * @param sha256 hex sha256 of {@code jpeg}
 * @param phash  64-bit perceptual hash of the stored pixels
 */
public record ProcessedImage(byte[] jpeg, int width, int height, int originalWidth,
    int originalHeight, String sha256, long phash) {}
