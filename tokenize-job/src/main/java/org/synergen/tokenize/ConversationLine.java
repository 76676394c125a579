package org.synergen.tokenize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.synergen.data.TokenShardRow;
import org.synergen.text.ChatMessage;
import org.synergen.text.ChatTemplate;

/**
 * One line of InternVL / LLaVA conversation data, checked before any image is read:
 * {@code {"id", "image": path | [paths], "conversations": [{"from": "system"|"human"|"gpt", "value"}]}}
 * with one {@code <image>} tag per image in the human turns, or none (then every image goes
 * before the first human turn, as InternVL prepends "&lt;image&gt;\n"); {@code {"from": "gpt",
 * "image": path}} is an image answer (a generation instruction), which must be the row's only image.
 *
 * @param key         the line's {@code id}, or FILE:LINE when it has none
 * @param images      input image paths, in tag order
 * @param turns       the turns; an image answer has {@code value == null}
 * @param answerImage the image answer's path, or null
 */
record ConversationLine(String key, List<String> images, List<Turn> turns, String answerImage) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A turn in the chat template's role names. */
  record Turn(String role, String value) {}

  /** A line that cannot be tokenized, with the reason its failure row records. */
  static final class Refused extends Exception {
    final String key;
    final String task;

    Refused(String key, String task, String reason) {
      super(reason);
      this.key = key;
      this.task = task;
    }
  }

  /** {@code und}, or {@code gen} when the answer is an image. */
  String task() {
    return answerImage == null ? TokenShardRow.UNDERSTANDING : TokenShardRow.GENERATION;
  }

  static ConversationLine parse(String line, String fallbackKey) throws Refused {
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new Refused(fallbackKey, TokenShardRow.UNDERSTANDING,
          "malformed conversation: not JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new Refused(fallbackKey, TokenShardRow.UNDERSTANDING, "malformed conversation: not a JSON object");
    }
    String key = root.hasNonNull("id") ? root.get("id").asText() : fallbackKey;
    List<String> images = new ArrayList<>();
    JsonNode image = root.path("image");
    if (image.isTextual()) {
      images.add(image.asText());
    } else if (image.isArray()) {
      image.forEach(p -> images.add(p.asText()));
    }
    JsonNode conv = root.path("conversations");
    String answerImage = null;
    List<Turn> turns = new ArrayList<>();
    int tags = 0;
    boolean answered = false;
    for (JsonNode t : conv) {
      String role = switch (t.path("from").asText()) {
        case "system" -> ChatMessage.SYSTEM;
        case "human", "user" -> ChatMessage.USER;
        case "gpt", "assistant" -> ChatMessage.ASSISTANT;
        default -> null;
      };
      String task = t.has("image") || answerImage != null ? TokenShardRow.GENERATION : TokenShardRow.UNDERSTANDING;
      if (role == null) {
        throw new Refused(key, task, "malformed conversation: turn " + turns.size() + " is from '"
            + t.path("from").asText() + "' (system, human or gpt expected)");
      }
      if (role.equals(ChatMessage.ASSISTANT) && t.hasNonNull("image")) {
        if (answerImage != null) {
          throw new Refused(key, task, "more than one image answer is not supported");
        }
        answerImage = t.get("image").asText();
        turns.add(new Turn(role, null));
        answered = true;
        continue;
      }
      if (!t.path("value").isTextual()) {
        throw new Refused(key, task, "malformed conversation: turn " + turns.size() + " has no text \"value\"");
      }
      String value = t.get("value").asText();
      int n = ChatMessage.imageTags(value);
      if (role.equals(ChatMessage.ASSISTANT) && n > 0) {
        throw new Refused(key, task, "placeholder count mismatch: an answer has an " + ChatTemplate.IMAGE_TAG + " tag");
      }
      tags += n;
      answered |= role.equals(ChatMessage.ASSISTANT);
      turns.add(new Turn(role, value));
    }
    String task = answerImage == null ? TokenShardRow.UNDERSTANDING : TokenShardRow.GENERATION;
    if (!conv.isArray() || turns.isEmpty()) {
      throw new Refused(key, task, "malformed conversation: no \"conversations\" list");
    }
    if (!answered) {
      throw new Refused(key, task, "no assistant turn");
    }
    if (answerImage != null && !images.isEmpty()) {
      throw new Refused(key, task, "image answer after input images is not supported");
    }
    if (tags != 0 && tags != images.size()) {
      throw new Refused(key, task, "placeholder count mismatch: " + tags + " " + ChatTemplate.IMAGE_TAG + " tags for "
          + images.size() + " images");
    }
    if (!images.isEmpty() && turns.stream().noneMatch(t -> t.role().equals(ChatMessage.USER))) {
      throw new Refused(key, task, "placeholder count mismatch: " + images.size() + " images but no human turn");
    }
    return new ConversationLine(key, List.copyOf(images), List.copyOf(turns), answerImage);
  }

  /**
   * The chat messages, given each input image's folded tokens (in {@link #images} order) and the
   * image answer's. Without tags, all images go to the first human turn.
   */
  List<ChatMessage> messages(List<Integer> imageTokens, int answerTokens) {
    List<ChatMessage> out = new ArrayList<>();
    int next = 0;
    boolean untagged = imageTokens.stream().findAny().isPresent()
        && turns.stream().allMatch(t -> t.value() == null || ChatMessage.imageTags(t.value()) == 0);
    for (Turn t : turns) {
      if (t.value() == null) {
        out.add(ChatMessage.imageAnswer(answerTokens));
        continue;
      }
      int n = untagged ? (next == 0 && t.role().equals(ChatMessage.USER) ? imageTokens.size() : 0)
          : ChatMessage.imageTags(t.value());
      out.add(ChatMessage.withImages(t.role(), t.value(), imageTokens.subList(next, next + n)));
      next += n;
    }
    return out;
  }
}
