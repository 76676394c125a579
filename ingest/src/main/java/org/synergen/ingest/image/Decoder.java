package org.synergen.ingest.image;

/**
 * Which library decodes a JPEG ({@code ingest.image.decoder}); colour pictures are area-resized by
 * OpenCV either way. The two refuse the same images except one kind: a JPEG damaged inside that
 * still ends in its EOI marker.
 */
public enum Decoder {
  /**
   * ImageIO (the JDK's libjpeg, TwelveMonkeys) for every image: libjpeg's "corrupt data" warnings
   * are read, so a JPEG damaged inside is refused as a truncated image.
   */
  IMAGEIO,
  /**
   * OpenCV for well-formed grey/sRGB JPEGs (img2dataset's own cv::imdecode, shrinking large ones
   * while decoding), ImageIO for every other image: faster, but OpenCV does not pass libjpeg's
   * warnings on, so a JPEG damaged inside is stored with libjpeg's grey fill, as img2dataset stores it.
   */
  OPENCV;
}
