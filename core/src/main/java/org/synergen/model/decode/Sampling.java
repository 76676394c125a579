package org.synergen.model.decode;

/**
 * How the next id is chosen from processed logits: greedy (temperature 0: the first highest
 * logit, as torch.argmax), or a draw from softmax(logits / temperature) restricted to the
 * {@code topK} highest (0 = all) and then to the smallest set whose probability reaches
 * {@code topP} (1 = all), in transformers' order (temperature, top-k, top-p).
 */
public record Sampling(double temperature, int topK, double topP) {

  public Sampling {
    if (temperature < 0 || Double.isNaN(temperature)) {
      throw new IllegalArgumentException("temperature must be >= 0 (0 = greedy), got " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("top-k must be >= 0 (0 = no limit), got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
    }
  }

  public static final Sampling GREEDY = new Sampling(0, 0, 1);

  public boolean greedy() {
    return temperature == 0;
  }
}
