package org.synergen.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A HF {@code tokenizer.json} with a BPE model, encoded and decoded the way the HF tokenizers
 * library does (parity table: scripts/fixtures/make_tokenizer_fixtures.py). Covers the two families
 * SynerGen-VL's base LLMs use: byte-level BPE (Qwen2) and SentencePiece-style BPE with byte
 * fallback (InternLM2, Llama). The encode pipeline is: added tokens cut out -> normalizer ->
 * pre-tokenizer -> BPE per word. The {@code post_processor} is not applied (see
 * {@link TextTokenizer#encode}); truncation and padding are not used.
 */
public final class HfTokenizer implements TextTokenizer {
  private final Normalizer normalizer;
  private final PreTokenizer preTokenizer;
  private final BpeModel model;
  private final Decoder decoder;
  private final AddedTokens added = new AddedTokens();
  private final String[] modelTokens;
  private final SpecialTokens specials;
  private final String identity;

  private HfTokenizer(byte[] json, Map<String, Integer> fixedSpecialIds, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + " is not valid JSON: " + e.getMessage(), e);
    }
    try {
      normalizer = Normalizer.fromJson(root.get("normalizer"));
      preTokenizer = PreTokenizer.fromJson(root.get("pre_tokenizer"));
      model = new BpeModel(root.get("model"));
      decoder = Decoder.fromJson(root.get("decoder"));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
    int maxModelId = model.vocab().values().stream().mapToInt(Integer::intValue).max().orElse(-1);
    modelTokens = new String[maxModelId + 1];
    model.vocab().forEach((token, id) -> modelTokens[id] = token);
    for (JsonNode t : root.path("added_tokens")) {
      added.add(new AddedTokens.Token(t.get("id").asInt(), t.get("content").asText(),
          t.path("special").asBoolean(false), t.path("normalized").asBoolean(false),
          t.path("lstrip").asBoolean(false), t.path("rstrip").asBoolean(false),
          t.path("single_word").asBoolean(false)), normalizer);
    }
    specials = registerSpecials(fixedSpecialIds, source);
    identity = identityOf(json, specials);
  }

  /**
   * Loads a tokenizer.json and registers SynerGen-VL's special tokens: a token the file already has
   * keeps its id, a missing one is appended after the largest id, unless {@code fixedSpecialIds}
   * pins it (then the id must be free or already hold that token).
   */
  public static HfTokenizer load(Path tokenizerJson, Map<String, Integer> fixedSpecialIds) {
    try {
      return new HfTokenizer(Files.readAllBytes(tokenizerJson), fixedSpecialIds, tokenizerJson.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read tokenizer file " + tokenizerJson + ": " + e.getMessage(), e);
    }
  }

  public static HfTokenizer load(Path tokenizerJson) {
    return load(tokenizerJson, Map.of());
  }

  private SpecialTokens registerSpecials(Map<String, Integer> fixed, String source) {
    Map<String, Integer> ids = new java.util.LinkedHashMap<>();
    for (String name : SpecialTokens.APPEND_ORDER) {
      OptionalInt existing = tokenId(name);
      int id;
      if (fixed.containsKey(name)) {
        id = fixed.get(name);
        if (existing.isPresent() && existing.getAsInt() != id) {
          throw new IllegalArgumentException(source + " already has " + name + " at id "
              + existing.getAsInt() + ", but the configured special id is " + id);
        }
        String occupant = tokenAt(id);
        if (occupant != null && !occupant.equals(name)) {
          throw new IllegalArgumentException("configured special id " + name + "=" + id
              + " is already token '" + occupant + "' in " + source + "; choose a free id");
        }
      } else {
        id = existing.isPresent() ? existing.getAsInt() : vocabSize();
      }
      AddedTokens.Token t = added.byId(id);
      if (t == null || !t.special()) {
        added.add(new AddedTokens.Token(id, name, true, false, false, false, false), normalizer);
      }
      ids.put(name, id);
    }
    return SpecialTokens.fromMap(ids);
  }

  private String tokenAt(int id) {
    AddedTokens.Token t = added.byId(id);
    if (t != null) {
      return t.content();
    }
    return id >= 0 && id < modelTokens.length ? modelTokens[id] : null;
  }

  @Override
  public int[] encode(String text, boolean startOfInput) {
    List<Integer> ids = new ArrayList<>();
    for (AddedTokens.Segment seg : added.extract(text, normalizer, startOfInput)) {
      if (seg.isToken()) {
        ids.add(seg.id());
        continue;
      }
      for (PreTokenizer.Piece word : preTokenizer.split(new PreTokenizer.Piece(seg.text(), seg.atStart()))) {
        model.encodeWord(word.text(), ids);
      }
    }
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public String decode(int[] ids, boolean skipSpecialTokens) {
    List<String> tokens = new ArrayList<>(ids.length);
    for (int id : ids) {
      AddedTokens.Token t = added.byId(id);
      if (t != null) {
        if (!(skipSpecialTokens && t.special())) {
          tokens.add(added.decodeForm(t));
        }
        continue;
      }
      String token = id >= 0 && id < modelTokens.length ? modelTokens[id] : null;
      if (token == null) {
        throw new IllegalArgumentException("token id " + id + " is not in this tokenizer (vocab " + vocabSize() + ")");
      }
      tokens.add(token);
    }
    return decoder.decode(tokens);
  }

  @Override
  public int vocabSize() {
    return Math.max(modelTokens.length, added.maxId() + 1);
  }

  @Override
  public OptionalInt tokenId(String token) {
    AddedTokens.Token t = added.byContent(token);
    if (t != null) {
      return OptionalInt.of(t.id());
    }
    Integer id = model.vocab().get(token);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public SpecialTokens specials() {
    return specials;
  }

  @Override
  public String identity() {
    return identity;
  }

  /**
   * sha256 of the canonical tokenizer.json (keys sorted, no whitespace, so reformatting the file
   * keeps the identity) followed by the special-token table (appended tokens change the ids).
   */
  private static String identityOf(byte[] json, SpecialTokens specials) {
    try {
      ObjectMapper sorted = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
      byte[] canonical = sorted.writeValueAsBytes(sorted.readValue(json, Object.class));
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(canonical);
      sha.update(("\nspecials " + specials.asMap()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash tokenizer.json", e);
    }
  }
}
