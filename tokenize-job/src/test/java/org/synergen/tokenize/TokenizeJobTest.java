package org.synergen.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.synergen.data.ImageShard;
import org.synergen.data.ImageShardReader;
import org.synergen.data.ImageShardRow;
import org.synergen.data.ImageShardWriter;
import org.synergen.data.TokenShard;
import org.synergen.data.TokenShardReader;
import org.synergen.data.TokenShardRow;
import org.synergen.data.TokenShardStats;
import org.synergen.ingest.IngestCommand;
import org.synergen.vision.image.BicubicResampler;
import org.synergen.vision.vq.ImageIds;
import org.synergen.vision.vq.RgbImage;
import org.synergen.vision.vq.VisionVq;
import org.synergen.vision.vq.VqImageSet;
import org.synergen.vision.vq.VqImages;
import picocli.CommandLine;

/**
 * The job end to end on the bundled sample: ingest (the real job) -> tokenize -> read the shards
 * back -> decode the generation ids with the self-trained VQ tokenizer committed in
 * {@code data/vq-tiny} (trained by {@code train-vq} on the same photos; its command and log are in
 * that folder). Tiny sizes: 64-pixel tiles, so with the tokenizer's downsampling factor 4 a 16x16
 * id grid folds (2x4, conf/model/tiny.conf) into 32 tokens.
 */
class TokenizeJobTest {
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  private static final Configuration CONF = new Configuration();
  private static final int TILE = 64;
  /** The round trip's closeness: dB above a flat mean-colour image, and an absolute floor. */
  private static final double MARGIN_DB = 3;
  private static final double FLOOR_DB = 20;
  /** Another tokenizer folder can be tested with {@code -Dtokenize.test.vq=DIR}. */
  private static final Path VQ = Path.of(System.getProperty("tokenize.test.vq",
      HOME.resolve("data/vq-tiny").toString())).toAbsolutePath();

  @TempDir static Path dir;
  static Path sample;
  static Path extra;
  static Path vq;
  static Path stage1;
  /** Ids per side of a tile, and folded tokens per tile. */
  static int grid;
  static int tokensPerTile;

  @BeforeAll
  static void ingestTrainAndTokenize() throws Exception {
    System.setProperty("synergen.home", HOME.toString());
    SparkSession.builder().master("local[2]").appName("tokenize-test")
        .config("spark.ui.enabled", "false").getOrCreate().sparkContext().setLogLevel("WARN");
    sample = dir.resolve("image-shards");
    assertEquals(0, new CommandLine(new IngestCommand()).execute("--input",
        HOME.resolve("data/sample/metadata.parquet").toString(), "--output", sample.toString(),
        "ingest.output.samples-per-shard=16", "ingest.image.size=" + TILE,
        "ingest.image.resize-mode=keep_ratio", "ingest.fetch.threads=4"));
    extra = dir.resolve("extra-shards");
    writeExtraShard(extra.resolve(ImageShard.parquetName(0)));
    // Ingest's output is copied beside the hand-made shard so that one run sees both kinds of rows.
    for (Path p : List.of(sample.resolve("00000.parquet"), sample.resolve("00001.parquet"))) {
      Files.copy(p, extra.resolve(p.getFileName().toString().replace("0000", "0001")));
    }
    vq = VQ;
    grid = TILE / VisionVq.load(vq).config().spatialFactor();
    tokensPerTile = grid * grid / (2 * 4);
    stage1 = dir.resolve("tokens-stage1");
    assertEquals(0, tokenize(extra, stage1));
  }

  static int tokenize(Path in, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("--input", in.toString(), "--output", out.toString(),
        "--vq", vq.toString(), "tokenize.tile-size=" + TILE, "tokenize.encode-batch=4",
        "model.vision.codebook-size=1024")); // train-vq's tiny tokenizer has 1024 codes
    args.addAll(List.of(more));
    return TokenizeJob.commandLine().execute(args.toArray(String[]::new));
  }

  /** One failed download, one undecodable image, one without caption, one 128x64 image. */
  private static void writeExtraShard(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    BufferedImage wide = new BufferedImage(128, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 128; x++) {
        wide.setRGB(x, y, (x * 2) << 16 | (y * 4) << 8 | 128);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(wide, "png", png);
    try (ImageShardWriter w = new ImageShardWriter(new org.apache.hadoop.fs.Path(file.toUri()), List.of(), CONF)) {
      w.write(row("x-404", "a lost picture", ImageShard.FAILED_TO_DOWNLOAD, "HTTP 404", null));
      w.write(row("x-broken", "a broken picture", ImageShard.SUCCESS, null, new byte[] {1, 2, 3, 4}));
      w.write(row("x-nocaption", null, ImageShard.SUCCESS, null, png.toByteArray()));
      w.write(row("x-wide", "a gradient twice as wide as high", ImageShard.SUCCESS, null, png.toByteArray()));
    }
  }

  private static ImageShardRow row(String key, String caption, String status, String error, byte[] image) {
    return new ImageShardRow(key, "u/" + key, caption, status, error, null, null, null, null, null, null, null,
        null, image, List.of());
  }

  private static List<ImageShardRow> rows(Path shards) throws Exception {
    List<ImageShardRow> out = new ArrayList<>();
    for (String n : List.of("00000.parquet", "00001.parquet")) {
      out.addAll(ImageShardReader.readAll(new org.apache.hadoop.fs.Path(shards.resolve(n).toUri()), CONF));
    }
    return out;
  }

  static List<TokenShardRow> tokens(Path out) throws Exception {
    List<TokenShardRow> all = new ArrayList<>();
    for (org.apache.hadoop.fs.Path p : TokenShard.list(new org.apache.hadoop.fs.Path(out.toUri()), CONF)) {
      all.addAll(TokenShardReader.readAll(p, CONF));
    }
    return all;
  }

  private static int count(int[] ids, int id) {
    return (int) Arrays.stream(ids).filter(i -> i == id).count();
  }

  private static byte[] bytes(int[] ids) {
    byte[] b = new byte[ids.length];
    for (int i = 0; i < ids.length; i++) {
      assertTrue(ids[i] >= 0 && ids[i] < 256, "byte-level text id expected, got " + ids[i]);
      b[i] = (byte) ids[i];
    }
    return b;
  }

  @Test
  void everyImageGivesAnUnderstandingAndAGenerationSample() throws Exception {
    List<TokenShardRow> rows = tokens(stage1);
    Map<String, String> captions = new HashMap<>();
    for (ImageShardRow r : rows(sample)) {
      captions.put(r.key(), r.caption());
    }
    assertEquals(2 * (28 + 4), rows.size());
    String vqId = VqIdentity.of(vq);
    int uncond = 0;
    for (TokenShardRow r : rows) {
      if (!captions.containsKey(r.key())) {
        continue;
      }
      assertEquals(TokenShardRow.SUCCESS, r.status(), r.key() + ": " + r.errorMessage());
      assertEquals(vqId, r.vqModel());
      assertEquals(2, r.foldRows());
      assertEquals(4, r.foldCols());
      // stage 1: one 64-pixel tile -> grid x grid ids -> folded tokens between <boi>=258 and <eoi>=259
      assertEquals(1, r.tiles().size());
      assertEquals(grid, r.tiles().get(0).rows());
      assertEquals(grid, r.tiles().get(0).cols());
      int codes = VisionVq.load(vq).config().codebookSize();
      assertTrue(Arrays.stream(r.tiles().get(0).ids()).allMatch(id -> id >= 0 && id < codes));
      assertEquals(tokensPerTile, count(r.inputIds(), TokenShardRow.IMAGE_PLACEHOLDER));
      int boi = Arrays.stream(r.inputIds()).boxed().toList().indexOf(258);
      assertEquals(259, r.inputIds()[boi + tokensPerTile + 1]);
      String caption = captions.get(r.key());
      if (r.task().equals(TokenShardRow.UNDERSTANDING)) {
        assertFalse(r.imageLoss());
        // text loss exactly on the caption's UTF-8 bytes and the closing <|im_end|>=262
        List<Integer> target = new ArrayList<>();
        for (int i = 0; i < r.inputIds().length; i++) {
          if (r.textLoss()[i]) {
            target.add(r.inputIds()[i]);
          }
        }
        assertEquals(262, target.remove(target.size() - 1));
        assertEquals(caption, new String(bytes(target.stream().mapToInt(Integer::intValue).toArray()),
            StandardCharsets.UTF_8));
        String text = new String(bytes(Arrays.stream(r.inputIds()).filter(i -> i >= 0 && i < 256).toArray()),
            StandardCharsets.UTF_8);
        assertTrue(text.contains("Provide a one-sentence caption for the image"), text);
      } else {
        assertTrue(r.imageLoss());
        for (boolean b : r.textLoss()) {
          assertFalse(b);
        }
        boolean expectUncond = UnconditionalChoice.unconditional(r.key(), 42, 0.1);
        assertEquals(expectUncond ? 1 : 0, count(r.inputIds(), 260), r.key());
        String text = new String(bytes(Arrays.stream(r.inputIds()).filter(i -> i >= 0 && i < 256).toArray()),
            StandardCharsets.UTF_8);
        assertEquals(!expectUncond, text.contains("Generate an image of: " + caption), text);
        uncond += expectUncond ? 1 : 0;
      }
    }
    TokenShardStats total = TokenShardStats.read(new org.apache.hadoop.fs.Path(
        stage1.resolve("00010.parquet").toString().replace("00010.parquet", "00010_stats.json")), CONF);
    assertEquals(16, total.images());
    // Spark reads the shards as a table: arrays of ints, a struct per tile
    // (the shard files only: NNNNN_stats.json sits beside them, as in ingest's output)
    String glob = stage1.resolve("*.parquet").toString();
    assertEquals(rows.size(), SparkSession.active().read().parquet(glob).count());
    assertEquals("array<int>", SparkSession.active().read().parquet(glob)
        .schema().apply("input_ids").dataType().simpleString());
    System.out.printf("TokenizeJobTest: %d of 28 generation samples unconditional%n", uncond);
  }

  @Test
  void failedImagesKeepFailureRowsWithTheirStatusAndMessage() throws Exception {
    Map<String, List<TokenShardRow>> byKey = new HashMap<>();
    for (TokenShardRow r : tokens(stage1)) {
      byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
    }
    assertFailure(byKey.get("x-404"), ImageShard.FAILED_TO_DOWNLOAD, "HTTP 404");
    assertFailure(byKey.get("x-broken"), TokenShard.FAILED_TO_TOKENIZE, "not an image format");
    assertFailure(byKey.get("x-nocaption"), TokenShard.FAILED_TO_TOKENIZE, "no caption");
    for (TokenShardRow r : byKey.get("x-wide")) {
      assertEquals(TokenShardRow.SUCCESS, r.status());
    }
    TokenShardStats s = TokenShardStats.read(new org.apache.hadoop.fs.Path(
        stage1.resolve(TokenShard.statsName(0)).toUri()), CONF);
    assertEquals(4, s.images());
    assertEquals(8, s.rows());
    assertEquals(2, s.successes());
    assertEquals(2L, s.byStatus().get(ImageShard.FAILED_TO_DOWNLOAD));
    assertEquals(4L, s.byStatus().get(TokenShard.FAILED_TO_TOKENIZE));
  }

  private static void assertFailure(List<TokenShardRow> rows, String status, String messagePart) {
    assertEquals(List.of(TokenShardRow.UNDERSTANDING, TokenShardRow.GENERATION),
        rows.stream().map(TokenShardRow::task).toList());
    for (TokenShardRow r : rows) {
      assertEquals(status, r.status());
      assertTrue(r.errorMessage().contains(messagePart), r.errorMessage());
      assertEquals(0, r.inputIds().length);
      assertTrue(r.tiles().isEmpty());
    }
  }

  /**
   * The round trip through the shards: the generation ids are exactly the VQ tokenizer's ids of
   * the ingested image, and decode to an image close to it. Closeness is measured against a
   * baseline computed here from the input alone, a flat image of its mean colour: the mean PSNR
   * must beat that baseline by {@value #MARGIN_DB} dB and reach {@value #FLOOR_DB} dB. The images
   * train-vq held out (every 7th key) are reported on their own.
   */
  @Test
  void generationIdsDecodeCloseToTheIngestedImage() throws Exception {
    VisionVq model = VisionVq.load(vq);
    Map<String, TokenShardRow> gen = new HashMap<>();
    for (TokenShardRow r : tokens(stage1)) {
      if (r.task().equals(TokenShardRow.GENERATION) && r.status().equals(TokenShardRow.SUCCESS)) {
        gen.put(r.key(), r);
      }
    }
    List<ImageShardRow> rows = rows(sample);
    Set<String> heldOut = new HashSet<>();
    List<VqImageSet.Named> named = rows.stream()
        .map(r -> new VqImageSet.Named(r.key(), null))
        .sorted(Comparator.comparing(VqImageSet.Named::key)).toList();
    VqImageSet.split(named, 4).get(1).forEach(n -> heldOut.add(n.key()));
    double[] psnr = new double[2];
    double[] flat = new double[2];
    int[] n = new int[2];
    for (ImageShardRow img : rows) {
      RgbImage input = ImageIds.rgb(BicubicResampler.resize(ImageIds.buffered(VqImages.decode(img.image())), TILE, TILE));
      TokenShardRow.Tile tile = gen.get(img.key()).tiles().get(0);
      // the shard holds exactly the ids the VQ tokenizer gives this image
      INDArray direct = model.encode(VqImages.toPixels(input).reshape(1, 3, TILE, TILE));
      assertArrayEquals(Arrays.stream(tile.ids()).asLongStream().toArray(), direct.dup('c').data().asLong(), img.key());
      INDArray ids = Nd4j.createFromArray(Arrays.stream(tile.ids()).asLongStream().toArray()).reshape(1, grid, grid);
      RgbImage decoded = VqImages.fromPixels(model.decode(ids).get(NDArrayIndex.point(0)));
      int part = heldOut.contains(img.key()) ? 1 : 0;
      psnr[part] += psnr(input, decoded);
      flat[part] += psnr(input, meanColour(input));
      n[part]++;
    }
    double meanPsnr = (psnr[0] + psnr[1]) / (n[0] + n[1]);
    double meanFlat = (flat[0] + flat[1]) / (n[0] + n[1]);
    System.out.printf("TokenizeJobTest: round trip ingest -> tokenize -> decode at %dx%d with %s:%n"
        + "  all %d images: mean PSNR %.2f dB (flat mean-colour image: %.2f dB)%n"
        + "  %d trained on: %.2f dB (flat %.2f); %d held out by train-vq: %.2f dB (flat %.2f)%n",
        TILE, TILE, vq, n[0] + n[1], meanPsnr, meanFlat, n[0], psnr[0] / n[0], flat[0] / n[0],
        n[1], psnr[1] / n[1], flat[1] / n[1]);
    assertTrue(meanPsnr > meanFlat + MARGIN_DB,
        "PSNR " + meanPsnr + " dB is not " + MARGIN_DB + " dB above the flat-colour baseline " + meanFlat);
    assertTrue(meanPsnr > FLOOR_DB, "PSNR " + meanPsnr + " dB is below " + FLOOR_DB + " dB");
  }

  @Test
  void stageTwoCutsWideImagesIntoTilesPlusThumbnail() throws Exception {
    Path out = dir.resolve("tokens-stage2");
    assertEquals(0, tokenize(extra, out, "--stage", "2", "tokenize.tasks=[und]"));
    TokenShardRow wide = tokens(out).stream().filter(r -> r.key().equals("x-wide")).findFirst().orElseThrow();
    // 128x64: aspect 2 -> a 2x1 grid of 64-pixel tiles, then the thumbnail: 3 tiles
    assertEquals(3, wide.tiles().size());
    assertEquals(3 * tokensPerTile, count(wide.inputIds(), TokenShardRow.IMAGE_PLACEHOLDER));
    assertTrue(tokens(out).stream().noneMatch(r -> r.task().equals(TokenShardRow.GENERATION)));
  }

  @Test
  void badSettingsAreUsageErrors() {
    assertEquals(2, tokenize(extra, dir.resolve("bad1"), "tokenize.tile-size=62"));
    assertEquals(2, tokenize(extra, dir.resolve("bad2"), "model.vision.codebook-size=16"));
    assertEquals(2, tokenize(extra, dir.resolve("bad3"), "--stage", "3"));
    assertEquals(2, tokenize(dir.resolve("nothing-here"), dir.resolve("bad4")));
    assertEquals(2, TokenizeJob.commandLine().execute("--output", dir.resolve("bad5").toString()));
  }

  @Test
  void anImageShardThatIsNoParquetFileIsBadInputNamingIt() throws Exception {
    Path in = Files.createDirectories(dir.resolve("broken-shards"));
    Files.copy(extra.resolve(ImageShard.parquetName(0)), in.resolve(ImageShard.parquetName(0)));
    Path broken = in.resolve(ImageShard.parquetName(1));
    Files.writeString(broken, "PAR");   // three bytes of a download cut short
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.err;
    int rc;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      rc = tokenize(in, dir.resolve("broken-tokens"));
    } finally {
      System.setErr(saved);
    }
    String printed = err.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(2, rc, printed);
    assertEquals(List.of("synergen tokenize: file:" + broken + " is no Parquet file: length is too low: 3; replace"
        + " or remove the file"), printed.lines().filter(l -> !l.matches("\\S+ WARN .*")).toList());
  }

  @Test
  void rerunningWithOtherSettingsOnTheSameOutputIsRefused() {
    assertEquals(2, tokenize(extra, stage1, "tokenize.generation.seed=7"));
    assertEquals(0, tokenize(extra, stage1));
  }

  private static RgbImage meanColour(RgbImage img) {
    long[] sum = new long[3];
    int px = img.height() * img.width();
    for (int i = 0; i < px; i++) {
      for (int c = 0; c < 3; c++) {
        sum[c] += img.data()[3 * i + c] & 0xFF;
      }
    }
    byte[] d = new byte[px * 3];
    for (int i = 0; i < px; i++) {
      for (int c = 0; c < 3; c++) {
        d[3 * i + c] = (byte) Math.round((double) sum[c] / px);
      }
    }
    return new RgbImage(img.height(), img.width(), d);
  }

  private static double psnr(RgbImage a, RgbImage b) {
    double se = 0;
    for (int i = 0; i < a.data().length; i++) {
      double d = (a.data()[i] & 0xFF) - (b.data()[i] & 0xFF);
      se += d * d;
    }
    return 10 * Math.log10(255.0 * 255.0 / (se / a.data().length));
  }
}
