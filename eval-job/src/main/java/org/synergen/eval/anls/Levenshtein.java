package org.synergen.eval.anls;

/** Edit distance (insert, delete, substitute; cost 1 each) over Unicode code points. */
public final class Levenshtein {
  private Levenshtein() {}

  public static int distance(String a, String b) {
    int[] s = a.codePoints().toArray();
    int[] t = b.codePoints().toArray();
    int[] prev = new int[t.length + 1];
    int[] cur = new int[t.length + 1];
    for (int j = 0; j <= t.length; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= s.length; i++) {
      cur[0] = i;
      for (int j = 1; j <= t.length; j++) {
        int substitute = prev[j - 1] + (s[i - 1] == t[j - 1] ? 0 : 1);
        cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[t.length];
  }
}
