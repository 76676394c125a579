package org.synergen.eval.generate;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.synergen.model.decode.Guidance;
import org.synergen.model.decode.Sampling;

/**
 * The learnability proof's two ends (bin/prove-learnability runs the jobs in between): {@code data
 * DIR} writes solid-colour images captioned with their colour's name (training shades and held-out
 * shades apart); {@code score CHECKPOINT VQ DIR SEEDS SIZE} asks the trained model to caption every
 * held-out image and to draw each colour for several seeds at SIZE pixels (the size its generation
 * samples were tokenized at), and prints how often it names the colour and how often the drawing's
 * mean colour is nearest to the asked one. Chance is 1 / number of colours.
 */
public final class ColourProof {
  record Colour(String name, int r, int g, int b) {}

  static final List<Colour> PALETTE = List.of(new Colour("red", 220, 30, 30), new Colour("green", 30, 160, 50),
      new Colour("blue", 30, 60, 210), new Colour("yellow", 235, 220, 40), new Colour("black", 15, 15, 15),
      new Colour("white", 240, 240, 240), new Colour("orange", 245, 140, 20), new Colour("purple", 130, 40, 160));
  static final int SIZE = 128;

  public static void main(String[] args) throws IOException {
    if (args.length == 3 && args[0].equals("data")) {
      data(Path.of(args[1]), Integer.parseInt(args[2]));
    } else if ((args.length == 6 || args.length == 9) && args[0].equals("score")) {
      Guidance g = args.length == 9
          ? new Guidance(Double.parseDouble(args[6]),
              new Sampling(Double.parseDouble(args[7]), Integer.parseInt(args[8]), 1.0))
          : Guidance.EMU3;
      System.exit(score(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), Integer.parseInt(args[4]),
          Integer.parseInt(args[5]), g));
    } else {
      System.err.println(
          "usage: ColourProof data DIR PER_COLOUR | score CHECKPOINT VQ DATA_DIR SEEDS SIZE [CFG TEMPERATURE TOP_K]");
      System.exit(2);
    }
  }

  /** DIR/train/*.png + .txt (PER_COLOUR shades of each colour), DIR/heldout/*.png (4 other shades each). */
  static void data(Path dir, int perColour) throws IOException {
    write(dir.resolve("train"), perColour, 1);
    write(dir.resolve("heldout"), 4, 2);
    System.err.printf(Locale.ROOT, "colour data: %d colours x %d training + 4 held-out shades in %s%n",
        PALETTE.size(), perColour, dir);
  }

  static void write(Path dir, int n, long seed) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (Colour c : PALETTE) {
      for (int i = 0; i < n; i++) {
        // a shade: each channel moved up to 25 levels, then per-pixel noise of up to 6 levels
        int dr = rnd.nextInt(-25, 26);
        int dg = rnd.nextInt(-25, 26);
        int db = rnd.nextInt(-25, 26);
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < SIZE; y++) {
          for (int x = 0; x < SIZE; x++) {
            img.setRGB(x, y, clamp(c.r + dr + rnd.nextInt(-6, 7)) << 16 | clamp(c.g + dg + rnd.nextInt(-6, 7)) << 8
                | clamp(c.b + db + rnd.nextInt(-6, 7)));
          }
        }
        String name = String.format(Locale.ROOT, "%s-%02d", c.name, i);
        ImageIO.write(img, "png", dir.resolve(name + ".png").toFile());
        Files.writeString(dir.resolve(name + ".txt"), c.name, StandardCharsets.UTF_8);
      }
    }
  }

  static int score(Path checkpoint, Path vq, Path dir, int seeds, int size, Guidance guidance) throws IOException {
    GenerationOptions o = GenerationOptions.fromConf(GenerationOptions.home(), "1").withBatch(PALETTE.size() * seeds)
        .withGuidance(guidance);
    CheckpointGenerator gen = CheckpointGenerator.open(checkpoint, vq, null, o);
    int named = 0;
    int asked = 0;
    List<Path> heldout;
    try (var s = Files.list(dir.resolve("heldout"))) {
      heldout = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    for (Path p : heldout) {
      String truth = Files.readString(Path.of(p.toString().replace(".png", ".txt"))).strip();
      String answer = gen.answer(List.of(ImageIO.read(p.toFile())), org.synergen.text.ChatTemplate.CAPTION_PROMPT, 8);
      boolean ok = answer.strip().toLowerCase(Locale.ROOT).startsWith(truth);
      named += ok ? 1 : 0;
      asked++;
      System.out.printf(Locale.ROOT, "caption %s -> '%s'%s%n", p.getFileName(), answer, ok ? "" : "  (wrong)");
    }
    int nearest = 0;
    int drawn = 0;
    Path out = dir.resolve(String.format(Locale.ROOT, "drawn-cfg%.1f-t%.2f-k%d", guidance.scale(),
        guidance.sampling().temperature(), guidance.sampling().topK()));
    Files.createDirectories(out);
    StringBuilder perColour = new StringBuilder();
    // every colour's seeds in one batch: at these sizes a step costs about the same for 2 rows or 64
    List<String> prompts = new ArrayList<>();
    for (Colour c : PALETTE) {
      for (int s = 0; s < seeds; s++) {
        prompts.add(c.name);
      }
    }
    long t0 = System.nanoTime();
    int blocks = size * size / (gen.vqFactor() * gen.vqFactor() * gen.config().vision().foldSize());
    List<BufferedImage> all = gen.draw(prompts, size, 0,
        new GenerationProgress(new java.io.PrintWriter(System.err, true), "draw " + prompts.size() + " images",
            "positions", blocks));
    System.err.printf(Locale.ROOT, "drew %d images in %.0f s%n", all.size(), (System.nanoTime() - t0) * 1e-9);
    for (int ci = 0; ci < PALETTE.size(); ci++) {
      Colour c = PALETTE.get(ci);
      int hits = 0;
      for (int s = 0; s < seeds; s++) {
        BufferedImage img = all.get(ci * seeds + s);
        ImageIO.write(img, "png", out.resolve(c.name + "-" + s + ".png").toFile());
        hits += nearest(img) == c ? 1 : 0;
      }
      nearest += hits;
      drawn += seeds;
      perColour.append(String.format(Locale.ROOT, " %s %d/%d", c.name, hits, seeds));
      System.out.printf(Locale.ROOT, "draw '%s': %d/%d images nearest to %s%n", c.name, hits, seeds, c.name);
    }
    double chance = 100.0 / PALETTE.size();
    System.out.printf(Locale.ROOT, "%nimage sampling: %d px, CFG %.1f, temperature %.2f, top-k %d%n", size,
        guidance.scale(), guidance.sampling().temperature(), guidance.sampling().topK());
    System.out.printf(Locale.ROOT, "%n| task | result | chance |%n|---|---|---|%n"
        + "| name the colour of held-out images | %d/%d = %.0f%% | %.1f%% |%n"
        + "| drawing's mean colour nearest to the prompt's | %d/%d = %.0f%% (%s) | %.1f%% |%n",
        named, asked, 100.0 * named / asked, chance, nearest, drawn, 100.0 * nearest / drawn, perColour.toString().strip(),
        chance);
    return 0;
  }

  /** The palette colour nearest (Euclidean RGB) to the image's mean colour. */
  static Colour nearest(BufferedImage img) {
    double r = 0;
    double g = 0;
    double b = 0;
    int w = img.getWidth();
    int h = img.getHeight();
    for (int rgb : img.getRGB(0, 0, w, h, null, 0, w)) {
      r += (rgb >> 16) & 0xFF;
      g += (rgb >> 8) & 0xFF;
      b += rgb & 0xFF;
    }
    double n = (double) w * h;
    Colour best = null;
    double bestD = Double.MAX_VALUE;
    for (Colour c : PALETTE) {
      double d = Math.pow(r / n - c.r, 2) + Math.pow(g / n - c.g, 2) + Math.pow(b / n - c.b, 2);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    return best;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
