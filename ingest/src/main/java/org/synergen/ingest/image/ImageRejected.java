package org.synergen.ingest.image;

/**
 * Downloaded bytes that did not become a stored image (img2dataset's failed_to_resize).
 * {@link #reason()} is short and countable; the message adds this image's details.
 */
public final class ImageRejected extends Exception {
  private final String reason;
  private final int originalWidth;
  private final int originalHeight;

  public ImageRejected(String reason, String detail) {
    this(reason, detail, -1, -1);
  }

  /** For refusals after the header was read: the sizes go to the row's original_* columns. */
  public ImageRejected(String reason, String detail, int originalWidth, int originalHeight) {
    super(detail == null ? reason : reason + ": " + detail);
    this.reason = reason;
    this.originalWidth = originalWidth;
    this.originalHeight = originalHeight;
  }

  public String reason() {
    return reason;
  }

  /** Width from the image header, or -1 when the header could not be read. */
  public int originalWidth() {
    return originalWidth;
  }

  public int originalHeight() {
    return originalHeight;
  }
}
