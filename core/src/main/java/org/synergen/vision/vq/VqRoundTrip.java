package org.synergen.vision.vq;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Image -> ids -> image through a tokenizer, with Emu3's pre- and post-processing. */
public final class VqRoundTrip {
  private VqRoundTrip() {}

  /** The image's sides must be multiples of the spatial factor. */
  public static RgbImage reconstruct(VisionVq vq, RgbImage img) {
    INDArray px = VqImages.toPixels(img);
    INDArray ids = vq.encode(px.reshape(1, 3, img.height(), img.width()));
    return VqImages.fromPixels(vq.decode(ids).get(NDArrayIndex.point(0)));
  }
}
