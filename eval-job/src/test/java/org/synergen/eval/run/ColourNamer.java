package org.synergen.eval.run;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.synergen.eval.generate.MultimodalGenerator;

/**
 * A deterministic stand-in model for the runner tests: it names the colour of the first image
 * (nearest of five), answers "Is ... <colour> ...?" with Yes when the question names that colour,
 * and draws a solid image of the first colour word of the prompt (grey without one) whose top-left
 * pixel carries the seed's low byte.
 */
final class ColourNamer implements MultimodalGenerator {
  static final Map<String, int[]> COLOURS = Map.of("red", new int[] {220, 30, 30}, "green", new int[] {30, 200, 40},
      "blue", new int[] {30, 40, 220}, "white", new int[] {250, 250, 250}, "yellow", new int[] {240, 220, 30});
  /** Every prompt any instance was given, in order. */
  static final List<String> PROMPTS = Collections.synchronizedList(new ArrayList<>());

  static MultimodalGenerator open(Path checkpoint, Path vq, Path tokenizer) {
    return new ColourNamer();
  }

  @Override
  public String answer(List<BufferedImage> images, String question, int maxNewTokens) {
    PROMPTS.add(images.size() + "|" + question);
    String colour = name(images.get(0));
    if (question.toLowerCase(Locale.ROOT).startsWith("is ")) {
      return question.toLowerCase(Locale.ROOT).contains(colour) ? "Yes" : "No";
    }
    return colour;
  }

  @Override
  public BufferedImage draw(String prompt, int size, long seed) {
    int[] rgb = {128, 128, 128};
    int first = Integer.MAX_VALUE;
    for (Map.Entry<String, int[]> e : COLOURS.entrySet()) {
      int at = prompt.indexOf(e.getKey());
      if (at >= 0 && at < first) {
        first = at;
        rgb = e.getValue();
      }
    }
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        image.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
      }
    }
    image.setRGB(0, 0, (rgb[0] << 16) | (rgb[1] << 8) | (int) (seed & 0xFF));
    return image;
  }

  static String name(BufferedImage image) {
    double[] mean = new double[3];
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        mean[0] += (p >> 16) & 0xFF;
        mean[1] += (p >> 8) & 0xFF;
        mean[2] += p & 0xFF;
      }
    }
    String best = null;
    double bestDistance = Double.MAX_VALUE;
    for (Map.Entry<String, int[]> e : COLOURS.entrySet()) {
      double d = 0;
      for (int c = 0; c < 3; c++) {
        double diff = mean[c] / (image.getWidth() * image.getHeight()) - e.getValue()[c];
        d += diff * diff;
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = e.getKey();
      }
    }
    return best;
  }
}
