package org.synergen.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BPE {@code model} of a tokenizer.json: a word starts as one symbol per character and the
 * adjacent pair with the lowest merge rank is merged until no listed pair is left (ties: leftmost).
 *
 * <p>A character missing from the vocabulary becomes its UTF-8 bytes as {@code <0xNN>} tokens when
 * {@code byte_fallback} is on and they exist, else the unknown token (runs fused into one with
 * {@code fuse_unk}), else it is left out, as HF does when no {@code unk_token} is set.
 */
final class BpeModel {
  private static final int CACHE_LIMIT = 100_000;
  private static final int CACHE_WORD_LIMIT = 256;

  private final Map<String, Integer> vocab;
  /** (left id, right id) -> {rank, merged id}. */
  private final Map<Long, int[]> merges;
  private final Integer unkId;
  private final boolean fuseUnk;
  private final boolean byteFallback;
  private final boolean ignoreMerges;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  BpeModel(JsonNode model) {
    String type = model.path("type").asText();
    if (!type.equals("BPE")) {
      throw new IllegalArgumentException(
          "tokenizer.json model type '" + type + "' is not supported (only BPE)");
    }
    if (!model.path("continuing_subword_prefix").asText("").isEmpty()
        || !model.path("end_of_word_suffix").asText("").isEmpty()) {
      throw new IllegalArgumentException(
          "BPE continuing_subword_prefix / end_of_word_suffix are not supported");
    }
    if (model.hasNonNull("dropout") && model.get("dropout").asDouble() > 0) {
      throw new IllegalArgumentException("BPE dropout is not supported (encoding must be exact)");
    }
    vocab = new HashMap<>();
    model.get("vocab").fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
    merges = new HashMap<>();
    int rank = 0;
    for (JsonNode m : model.get("merges")) {
      String left;
      String right;
      if (m.isArray()) {
        left = m.get(0).asText();
        right = m.get(1).asText();
      } else {
        String[] parts = m.asText().split(" ", 2); // older files: "left right"
        if (parts.length != 2) {
          throw new IllegalArgumentException("BPE merge #" + rank + " is not 'left right': " + m);
        }
        left = parts[0];
        right = parts[1];
      }
      Integer a = vocab.get(left);
      Integer b = vocab.get(right);
      Integer merged = vocab.get(left + right);
      if (a == null || b == null || merged == null) {
        throw new IllegalArgumentException(
            "BPE merge #" + rank + " (" + left + " + " + right + ") uses a token not in the vocab");
      }
      merges.putIfAbsent(key(a, b), new int[] {rank, merged});
      rank++;
    }
    String unk = model.hasNonNull("unk_token") ? model.get("unk_token").asText() : null;
    unkId = unk == null ? null : vocab.get(unk);
    if (unk != null && unkId == null) {
      throw new IllegalArgumentException("BPE unk_token '" + unk + "' is not in the vocab");
    }
    fuseUnk = model.path("fuse_unk").asBoolean(false);
    byteFallback = model.path("byte_fallback").asBoolean(false);
    ignoreMerges = model.path("ignore_merges").asBoolean(false);
  }

  Map<String, Integer> vocab() {
    return vocab;
  }

  /** Appends the ids of one pre-tokenized word to {@code out}. */
  void encodeWord(String word, List<Integer> out) {
    if (word.isEmpty()) {
      return;
    }
    if (ignoreMerges) {
      Integer whole = vocab.get(word);
      if (whole != null) {
        out.add(whole);
        return;
      }
    }
    int[] ids = cache.get(word);
    if (ids == null) {
      ids = merge(initialSymbols(word));
      if (word.length() < CACHE_WORD_LIMIT && cache.size() < CACHE_LIMIT) {
        cache.put(word, ids);
      }
    }
    for (int id : ids) {
      out.add(id);
    }
  }

  private List<Integer> initialSymbols(String word) {
    List<Integer> symbols = new ArrayList<>(word.length());
    boolean pendingUnk = false;
    for (int i = 0; i < word.length(); ) {
      int cp = word.codePointAt(i);
      String ch = new String(Character.toChars(cp));
      i += ch.length();
      Integer id = vocab.get(ch);
      if (id != null) {
        if (pendingUnk) {
          symbols.add(unkId);
          pendingUnk = false;
        }
        symbols.add(id);
        continue;
      }
      if (byteFallback && addBytes(ch, symbols)) {
        continue; // like HF, a pending unknown is not flushed before fallback bytes
      }
      if (unkId != null) {
        if (pendingUnk && !fuseUnk) {
          symbols.add(unkId);
        }
        pendingUnk = true;
      }
    }
    if (pendingUnk) {
      symbols.add(unkId);
    }
    return symbols;
  }

  /** Adds the {@code <0xNN>} tokens of a character's bytes if all exist. */
  private boolean addBytes(String ch, List<Integer> symbols) {
    byte[] bytes = ch.getBytes(StandardCharsets.UTF_8);
    int[] ids = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      Integer id = vocab.get(String.format("<0x%02X>", bytes[i] & 0xFF));
      if (id == null) {
        return false;
      }
      ids[i] = id;
    }
    for (int id : ids) {
      symbols.add(id);
    }
    return true;
  }

  /**
   * Merges greedily by rank with a priority queue over candidate pairs, the same order HF's
   * Word::merge_all produces: lowest rank first, then leftmost position.
   */
  private int[] merge(List<Integer> symbols) {
    int n = symbols.size();
    int[] id = new int[n];
    int[] next = new int[n];
    int[] prev = new int[n];
    boolean[] alive = new boolean[n];
    for (int i = 0; i < n; i++) {
      id[i] = symbols.get(i);
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
      alive[i] = true;
    }
    // candidate: {rank, pos, mergedId}
    PriorityQueue<int[]> queue =
        new PriorityQueue<>((x, y) -> x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]));
    for (int i = 0; i + 1 < n; i++) {
      offer(queue, i, id[i], id[i + 1]);
    }
    while (!queue.isEmpty()) {
      int[] top = queue.poll();
      int pos = top[1];
      if (!alive[pos] || next[pos] < 0) {
        continue;
      }
      int right = next[pos];
      int[] current = merges.get(key(id[pos], id[right]));
      if (current == null || current[1] != top[2]) {
        continue; // stale: one side changed since this pair was queued
      }
      id[pos] = top[2];
      alive[right] = false;
      next[pos] = next[right];
      if (next[right] >= 0) {
        prev[next[right]] = pos;
      }
      if (prev[pos] >= 0) {
        offer(queue, prev[pos], id[prev[pos]], id[pos]);
      }
      if (next[pos] >= 0) {
        offer(queue, pos, id[pos], id[next[pos]]);
      }
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i >= 0 && i < n; i = next[i]) {
      out.add(id[i]);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private void offer(PriorityQueue<int[]> queue, int pos, int left, int right) {
    int[] m = merges.get(key(left, right));
    if (m != null) {
      queue.add(new int[] {m[0], pos, m[1]});
    }
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | (b & 0xFFFFFFFFL);
  }
}
