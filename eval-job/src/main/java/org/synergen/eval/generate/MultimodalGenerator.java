package org.synergen.eval.generate;

import java.awt.image.BufferedImage;
import java.util.List;

/** What the benchmark runners need from a model: answer questions about images, and draw images. */
public interface MultimodalGenerator extends AutoCloseable {
  /** Greedy answer to one user turn; the images go where the question has {@code <image>} placeholders, else before it. */
  String answer(List<BufferedImage> images, String question, int maxNewTokens);

  /** One square image of {@code size} pixels for the prompt, sampled from {@code seed}. */
  BufferedImage draw(String prompt, int size, long seed);

  @Override
  default void close() {}
}
