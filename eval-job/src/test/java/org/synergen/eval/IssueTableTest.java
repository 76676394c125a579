package org.synergen.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.synergen.eval.anls.Anls;
import org.synergen.eval.chartqa.RelaxedAccuracy;
import org.synergen.eval.vqa.VqaAccuracy;
import org.synergen.eval.vqa.VqaNormalization;

/** The hand-computed table of issue 6's "Proof required". */
class IssueTableTest {
  @Test
  void normalisation() {
    assertEquals("2", VqaNormalization.OFFICIAL.normalize("Two."));
    assertEquals("dog", VqaNormalization.OFFICIAL.normalize("The dog!"));
    assertEquals("1000", VqaNormalization.OFFICIAL.normalize("1,000"));
    assertEquals("5", VqaNormalization.OFFICIAL.normalize("5."));
  }

  @Test
  void kMatchingAnswersOfTen() {
    double[] expected = {0, 0.3, 0.6, 0.9, 1, 1};
    for (VqaNormalization n : VqaNormalization.values()) {
      for (int k = 0; k <= 5; k++) {
        List<String> answers = new ArrayList<>(Collections.nCopies(k, "red"));
        answers.addAll(Collections.nCopies(10 - k, "blue"));
        assertEquals(expected[k], new VqaAccuracy(n).score("red", answers), 1e-15, n + " k=" + k);
      }
    }
  }

  @Test
  void anlsCocaCola() {
    // "cocacola" vs "coca cola": one insertion over 9 characters
    assertEquals(8.0 / 9.0, new Anls(Anls.Variant.RRC).score("CocaCola", List.of("Coca Cola", "Coca Cola Company")), 1e-15);
  }

  @Test
  void relaxedAccuracy() {
    RelaxedAccuracy r = new RelaxedAccuracy(RelaxedAccuracy.Variant.PIX2STRUCT);
    assertEquals(1.0, r.score("105", List.of("100")));   // 5% of the target 100
    assertEquals(0.0, r.score("0.0", List.of("0")));     // target 0 compares as a string
    assertTrue(RelaxedAccuracy.correct("100", "105"));
    assertFalse(RelaxedAccuracy.correct("0", "0.0"));
  }
}
