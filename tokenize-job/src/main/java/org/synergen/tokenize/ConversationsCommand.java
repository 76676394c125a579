package org.synergen.tokenize;

import com.typesafe.config.ConfigException;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.synergen.data.TokenShardStats;
import org.synergen.spark.JobSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "conversations",
    mixinStandardHelpOptions = true,
    description = {
        "Instruction-tuning conversations (InternVL / LLaVA JSON lines) -> token shards on Spark, one",
        "task per file. Each line {\"id\", \"image\": path | [paths], \"conversations\": [{\"from\":",
        "\"system\"|\"human\"|\"gpt\", \"value\"}]} becomes one row: InternLM2-chat's template, images cut",
        "into the sft stage's tiles + thumbnail (conf/stages/sft.conf) and VQ-encoded, text loss on the",
        "answers (task und); {\"from\": \"gpt\", \"image\": path} answers with an image (task gen). A line",
        "that cannot be a sample becomes a failure row with its reason; rows in == rows out.",
        "Defaults: conf/tokenize.conf (tokenize.conversations.*)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done (failure rows are recorded, not errors)", "1:the job failed",
        "2:bad arguments, configuration or input"})
final class ConversationsCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, paramLabel = "FILE_OR_DIR",
      description = "a JSON-lines file of conversations, or a folder of .jsonl / .json files (any Hadoop path)")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "folder for the token shards (shard N = file N), _job.json and _summary.json")
  String output;

  @Option(names = "--image-root", paramLabel = "DIR",
      description = "folder relative image paths start from (file:, hdfs://, s3a://); default: the folder"
          + " of each conversation file")
  String imageRoot;

  @Option(names = "--vq", paramLabel = "DIR",
      description = "VQ tokenizer folder (config.json + model.safetensors); same as tokenize.vq=...")
  String vq;

  @Option(names = "--conf", paramLabel = "FILE", description = "HOCON file over conf/tokenize.conf")
  File conf;

  @Parameters(paramLabel = "key=value", arity = "0..*",
      description = "config overrides, e.g. tokenize.conversations.sequence-length=4096 tokenize.tile-size=128")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(System.getProperty("synergen.home", "."));
    List<String> all = new ArrayList<>();
    all.add("tokenize.stage=\"sft\""); // the sft stage's tiling; a later tokenize.stage=... still wins
    all.addAll(overrides);
    if (vq != null) {
      all.add("tokenize.vq=" + TokenizeCommand.quoted(vq));
    }
    ConversationSettings settings;
    try {
      settings = ConversationSettings.from(TokenizeSettings.load(home, conf, all), home, imageRoot);
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("synergen tokenize conversations: " + e.getMessage());
      return 2;
    }
    SparkConf sc = new SparkConf().setIfMissing("spark.app.name", "synergen-tokenize-conversations")
        .setIfMissing("spark.master", settings.tokenize().master());
    try (JobSession job = JobSession.open(sc)) {
      TokenShardStats t = ConversationPipeline.run(job.spark(), input, output, settings);
      System.out.printf("synergen tokenize conversations: %d conversations -> %d rows (%d success %s),"
          + " %d failure rows %s; %d text positions, %d image ids; shards in %s%n", t.rows(), t.rows(),
          t.successes(), t.byTask(), t.rows() - t.successes(), t.byStatus(), t.textTokens(), t.imageIds(), output);
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("synergen tokenize conversations: " + e.getMessage());
      return 2;
    }
  }
}
