package org.synergen.tokenize;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synergen.data.ImageShardReader;
import org.synergen.data.ImageShardRow;
import org.synergen.data.TokenShardStats;
import org.synergen.data.TokenShardWriter;
import org.synergen.text.ChatTemplate;
import org.synergen.text.TextTokenizer;
import org.synergen.text.TextTokenizers;
import org.synergen.vision.vq.ImageIds;
import org.synergen.vision.vq.VisionVq;

/**
 * One Spark task: image shard N -> token shard N and its stats. A pure function of its inputs
 * and the settings (the unconditional choice is hashed from the key), so a retried task writes
 * the same shard; the shard appears under its name only when complete.
 */
final class ShardTokenizer {
  private static final Logger LOG = LoggerFactory.getLogger(ShardTokenizer.class);

  private ShardTokenizer() {}

  /** @param imagesDone counts images as they are done (for progress lines), may be null */
  static TokenShardStats run(TokenizeSettings s, String textIdentity, String vqIdentity, int shard,
      org.apache.hadoop.fs.Path in, org.apache.hadoop.fs.Path outDir, Configuration conf,
      java.util.function.LongConsumer imagesDone) throws IOException {
    long start = System.nanoTime();
    TextTokenizer text = TextTokenizers.fromConfig(s.text());
    if (!text.identity().equals(textIdentity)) {
      throw new IllegalStateException("the text tokenizer on this executor differs from the driver's ("
          + text.identity() + " vs " + textIdentity + "): is tokenizer.json the same file everywhere?");
    }
    VisionVq vq = VisionVq.load(Path.of(s.vqDir()));
    SampleBuilder builder = new SampleBuilder(s, new ImageIds(vq, s.encodeBatch()), new ChatTemplate(text),
        textIdentity, vqIdentity);
    TokenShardStats.Counter counter = new TokenShardStats.Counter();
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(outDir, org.synergen.data.TokenShard.parquetName(shard));
    TokenShardWriter writer = new TokenShardWriter(target, conf);
    long lastLog = System.nanoTime();
    long done = 0;
    try (ImageShardReader reader = new ImageShardReader(in, conf)) {
      List<ImageShardRow> chunk = new ArrayList<>(s.encodeBatch());
      for (ImageShardRow r = reader.next(); ; r = reader.next()) {
        if (r != null) {
          chunk.add(r);
          counter.image(r.status());
        }
        if (chunk.size() == s.encodeBatch() || (r == null && !chunk.isEmpty())) {
          for (SampleBuilder.Sample sample : builder.build(chunk)) {
            writer.write(sample.row());
            counter.row(sample.row(), sample.unconditional());
          }
          done += chunk.size();
          if (imagesDone != null) {
            imagesDone.accept(chunk.size());
          }
          chunk.clear();
          if (System.nanoTime() - lastLog > s.progressInterval().toNanos()) {
            lastLog = System.nanoTime();
            LOG.info(String.format("shard %s: %d images, %.2f images/s", org.synergen.data.ImageShard.shardName(shard),
                done, done / ((lastLog - start) / 1e9)));
          }
        }
        if (r == null) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      writer.abort();
      throw e;
    }
    writer.close();
    TokenShardStats stats = counter.toStats(shard, (System.nanoTime() - start) / 1e9);
    stats.write(new org.apache.hadoop.fs.Path(outDir, org.synergen.data.TokenShard.statsName(shard)), conf);
    return stats;
  }
}
