package org.synergen.vision.vq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Emu3VisionVQImageProcessor: bicubic resize to sides that are multiples of the spatial factor with
 * the pixel count inside [minPixels, maxPixels] ("smart resize", aspect ratio kept as closely as
 * possible), then pixels scaled to [-1, 1].
 */
public record VqPreprocessor(int factor, long minPixels, long maxPixels) {

  /** Emu3's defaults: factor 8, 512*512 to 1024*1024 pixels. */
  public static VqPreprocessor emu3() {
    return new VqPreprocessor(8, 512L * 512, 1024L * 1024);
  }

  /**
   * The processor of a tokenizer folder: {@code preprocessor_config.json} (min_pixels, max_pixels,
   * spatial_factor) when present, else Emu3's pixel limits with the model's spatial factor.
   */
  public static VqPreprocessor forModel(Path dir, int spatialFactor) throws IOException {
    Path file = dir.resolve("preprocessor_config.json");
    VqPreprocessor d = emu3();
    if (!Files.isRegularFile(file)) {
      return new VqPreprocessor(spatialFactor, d.minPixels, d.maxPixels);
    }
    JsonNode n = new ObjectMapper().readTree(file.toFile());
    return new VqPreprocessor(n.path("spatial_factor").asInt(spatialFactor),
        n.path("min_pixels").asLong(d.minPixels), n.path("max_pixels").asLong(d.maxPixels));
  }

  /** Target {height, width}; Python's round() (half to even) on the way, as in Emu3. */
  public int[] targetSize(int height, int width) {
    if (height < factor || width < factor) {
      throw new IllegalArgumentException("image " + height + "x" + width + " is smaller than the spatial factor " + factor);
    }
    if ((double) Math.max(height, width) / Math.min(height, width) > 5) {
      throw new IllegalArgumentException("image " + height + "x" + width + " has an aspect ratio above 5, which Emu3 rejects");
    }
    long h = (long) Math.rint((double) height / factor) * factor;
    long w = (long) Math.rint((double) width / factor) * factor;
    if (h * w > maxPixels) {
      double beta = Math.sqrt((double) height * width / maxPixels);
      h = (long) Math.floor(height / beta / factor) * factor;
      w = (long) Math.floor(width / beta / factor) * factor;
    } else if (h * w < minPixels) {
      double beta = Math.sqrt((double) minPixels / ((double) height * width));
      h = (long) Math.ceil(height * beta / factor) * factor;
      w = (long) Math.ceil(width * beta / factor) * factor;
    }
    return new int[] {(int) h, (int) w};
  }

  /** The processor's pixel_values for one image: float32 [3, H', W'] in [-1, 1]. */
  public INDArray pixels(RgbImage img) {
    int[] size = targetSize(img.height(), img.width());
    return VqImages.toPixels(img.resized(size[0], size[1]));
  }
}
