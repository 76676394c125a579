package org.synergen.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One turn of an instruction-tuning conversation, as {@link ChatTemplate#conversation} renders it.
 *
 * @param role        {@link #SYSTEM}, {@link #USER} or {@link #ASSISTANT} (the chat template's role names)
 * @param content     the turn's text; each {@value ChatTemplate#IMAGE_TAG} marks where one image goes
 * @param imageTokens folded tokens of each image, in tag order (one entry per tag)
 * @param imageAnswer the assistant answers with an image: the turn's content is that one image
 *                    ({@code <boi>IMG<eoi>}), its ids are the unfolding head's targets
 */
public record ChatMessage(String role, String content, List<Integer> imageTokens, boolean imageAnswer) {
  public static final String SYSTEM = "system";
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";

  public ChatMessage {
    if (!role.equals(SYSTEM) && !role.equals(USER) && !role.equals(ASSISTANT)) {
      throw new IllegalArgumentException("unknown chat role '" + role + "' (system, user or assistant)");
    }
    if (imageAnswer && (!role.equals(ASSISTANT) || imageTokens.size() != 1)) {
      throw new IllegalArgumentException("an image answer is one image in an assistant turn");
    }
    imageTokens = List.copyOf(imageTokens);
  }

  public static ChatMessage text(String role, String content) {
    return new ChatMessage(role, content, List.of(), false);
  }

  /** A turn with images at its {@value ChatTemplate#IMAGE_TAG} tags. */
  public static ChatMessage withImages(String role, String content, List<Integer> imageTokens) {
    return new ChatMessage(role, content, imageTokens, false);
  }

  /** An assistant turn that is one image of {@code tokens} folded tokens. */
  public static ChatMessage imageAnswer(int tokens) {
    return new ChatMessage(ASSISTANT, ChatTemplate.IMAGE_TAG, List.of(tokens), true);
  }

  /** Number of {@value ChatTemplate#IMAGE_TAG} tags in {@code text}. */
  public static int imageTags(String text) {
    int n = 0;
    for (int at = text.indexOf(ChatTemplate.IMAGE_TAG); at >= 0;
        at = text.indexOf(ChatTemplate.IMAGE_TAG, at + ChatTemplate.IMAGE_TAG.length())) {
      n++;
    }
    return n;
  }

  /**
   * Messages from JSON with images already counted in folded tokens (what {@code tokenize
   * encode-text --chat} reads): an array (or {@code {"messages": [...]}}) of
   * {@code {"role": "system"|"user"|"assistant", "content": S, "images": [tokens, ...]}}, or
   * InternVL's {@code {"from": "system"|"human"|"gpt", "value": S}}; {@code {"role": "assistant",
   * "image": tokens}} is an image answer.
   */
  public static List<ChatMessage> listFromJson(JsonNode json) {
    JsonNode list = json.isArray() ? json : json.path("messages");
    if (!list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException("expected a JSON array of messages (or {\"messages\": [...]})");
    }
    List<ChatMessage> out = new ArrayList<>();
    for (JsonNode m : list) {
      String role = m.has("role") ? m.path("role").asText() : switch (m.path("from").asText()) {
        case "human" -> USER;
        case "gpt" -> ASSISTANT;
        default -> m.path("from").asText();
      };
      if (m.has("image")) {
        out.add(imageAnswer(m.get("image").asInt()));
        continue;
      }
      JsonNode text = m.has("content") ? m.get("content") : m.get("value");
      if (text == null || !text.isTextual()) {
        throw new IllegalArgumentException("message " + out.size() + " has no text content: " + m);
      }
      List<Integer> images = new ArrayList<>();
      m.path("images").forEach(n -> images.add(n.asInt()));
      out.add(withImages(role, text.asText(), images));
    }
    return out;
  }
}
