package org.synergen.tokenize;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * The settings of {@code tokenize conversations}: the tokenize job's (tiling, VQ, text tokenizer,
 * model) plus the conversation-only ones.
 *
 * @param sequenceLength longest sequence a row may have; longer conversations become failure rows
 * @param imageRoot      folder relative image paths start from (any Hadoop path); null = the
 *                       folder of the conversation file
 */
record ConversationSettings(TokenizeSettings tokenize, int sequenceLength, String imageRoot) implements Serializable {
  /** Used when neither tokenize.conversations.sequence-length nor the stage file sets a length (stage 2's). */
  static final int DEFAULT_SEQUENCE_LENGTH = 8192;

  ConversationSettings {
    if (sequenceLength < 1) {
      throw new IllegalArgumentException("tokenize.conversations.sequence-length must be at least 1, got "
          + sequenceLength);
    }
  }

  /**
   * {@code tokenize.conversations.sequence-length}, or when null the stage file's
   * {@code train.sequence-length} (so rows fit what the trainer packs), or {@link #DEFAULT_SEQUENCE_LENGTH}.
   */
  static ConversationSettings from(Config root, Path home, String imageRoot) {
    TokenizeSettings t = TokenizeSettings.from(root, home);
    Config c = root.getConfig("tokenize.conversations");
    int length;
    if (!c.getIsNull("sequence-length")) {
      length = c.getInt("sequence-length");
    } else {
      Config stage = ConfigFactory.parseFile(TokenizeSettings.stageFile(home, t.stage()).toFile()).resolve();
      length = stage.hasPath("train.sequence-length") ? stage.getInt("train.sequence-length") : DEFAULT_SEQUENCE_LENGTH;
    }
    return new ConversationSettings(t, length, imageRoot);
  }
}
