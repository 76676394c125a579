package org.synergen.model.nn;

import java.util.Arrays;

/** Static MMoE routing: the row indices of text tokens and of image tokens. */
public record Routing(int[] textRows, int[] visionRows) {

  public static Routing allText(int rows) {
    int[] all = new int[rows];
    Arrays.setAll(all, i -> i);
    return new Routing(all, new int[0]);
  }

  /** @param image per row: true = image token (vision expert) */
  public static Routing of(boolean[] image) {
    int nv = 0;
    for (boolean b : image) {
      nv += b ? 1 : 0;
    }
    int[] text = new int[image.length - nv];
    int[] vision = new int[nv];
    int it = 0;
    int iv = 0;
    for (int i = 0; i < image.length; i++) {
      if (image[i]) {
        vision[iv++] = i;
      } else {
        text[it++] = i;
      }
    }
    return new Routing(text, vision);
  }
}
