package org.synergen.tokenize;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.hadoop.conf.Configuration;
import org.synergen.data.TokenShard;
import org.synergen.data.TokenShardRow;
import org.synergen.data.TokenShardStats;
import org.synergen.data.TokenShardWriter;
import org.synergen.io.hadoop.HadoopPaths;
import org.synergen.text.ChatTemplate;
import org.synergen.text.TextTokenizer;
import org.synergen.text.TextTokenizers;
import org.synergen.vision.vq.ImageIds;
import org.synergen.vision.vq.VisionVq;

/**
 * One Spark task of {@code tokenize conversations}: conversation file N (JSON lines; blank lines
 * are skipped) -> token shard N and its stats, one row per line. A pure function of its inputs
 * and the settings, so a retried task writes the same shard; the shard appears under its name only
 * when complete.
 */
final class ConversationShard {
  private ConversationShard() {}

  static TokenShardStats run(ConversationSettings cs, String textIdentity, String vqIdentity, int shard,
      org.apache.hadoop.fs.Path in, org.apache.hadoop.fs.Path outDir, Configuration conf, LongConsumer linesDone)
      throws IOException {
    long start = System.nanoTime();
    TokenizeSettings s = cs.tokenize();
    TextTokenizer text = TextTokenizers.fromConfig(s.text());
    if (!text.identity().equals(textIdentity)) {
      throw new IllegalStateException("the text tokenizer on this executor differs from the driver's ("
          + text.identity() + " vs " + textIdentity + "): is tokenizer.json the same file everywhere?");
    }
    VisionVq vq = VisionVq.load(Path.of(s.vqDir()));
    ConversationSampleBuilder builder = new ConversationSampleBuilder(new SampleParts(s, textIdentity, vqIdentity),
        new ImageIds(vq, s.encodeBatch()), new ChatTemplate(text), cs.sequenceLength(),
        new org.apache.hadoop.fs.Path(cs.imageRoot() != null ? cs.imageRoot() : in.getParent().toString()), conf);
    TokenShardStats.Counter counter = new TokenShardStats.Counter();
    TokenShardWriter writer = new TokenShardWriter(new org.apache.hadoop.fs.Path(outDir, TokenShard.parquetName(shard)), conf);
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        HadoopPaths.fs(in, conf).open(in), StandardCharsets.UTF_8))) {
      List<ConversationSampleBuilder.Line> chunk = new ArrayList<>(s.encodeBatch());
      int lineNo = 0;
      for (String line = reader.readLine(); ; line = reader.readLine()) {
        lineNo++;
        if (line != null && !line.isBlank()) {
          chunk.add(new ConversationSampleBuilder.Line(in.getName() + ":" + lineNo, line));
        }
        if (chunk.size() == s.encodeBatch() || (line == null && !chunk.isEmpty())) {
          for (TokenShardRow row : builder.build(chunk)) {
            writer.write(row);
            counter.row(row, false);
          }
          if (linesDone != null) {
            linesDone.accept(chunk.size());
          }
          chunk.clear();
        }
        if (line == null) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      writer.abort();
      throw e;
    }
    writer.close();
    TokenShardStats stats = counter.toStats(shard, (System.nanoTime() - start) / 1e9);
    stats.write(new org.apache.hadoop.fs.Path(outDir, TokenShard.statsName(shard)), conf);
    return stats;
  }
}
