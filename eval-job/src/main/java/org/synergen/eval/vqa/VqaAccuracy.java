package org.synergen.eval.vqa;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * VQA accuracy of one prediction against the human answers: for each answer left out in turn,
 * min(1, matches among the others / 3), averaged. With 10 answers, k matches score 0, .3, .6, .9
 * and 1 for k = 0..4+.
 */
public final class VqaAccuracy {
  private final VqaNormalization normalization;

  public VqaAccuracy(VqaNormalization normalization) {
    this.normalization = normalization;
  }

  public VqaNormalization normalization() {
    return normalization;
  }

  /** The score in [0, 1]. */
  public double score(String prediction, List<String> humanAnswers) {
    if (humanAnswers.isEmpty()) {
      throw new IllegalArgumentException("no human answers to score against");
    }
    String pred;
    List<String> answers = new ArrayList<>(humanAnswers.size());
    if (normalization == VqaNormalization.OFFICIAL) {
      // vqaEval.py normalises only when the cleaned human answers are not all identical: a
      // prediction differing from a unanimous answer in case or punctuation scores 0 there.
      pred = VqaNormalization.clean(prediction);
      for (String a : humanAnswers) {
        answers.add(VqaNormalization.clean(a));
      }
      if (new HashSet<>(answers).size() > 1) {
        answers.replaceAll(normalization::normalize);
        pred = normalization.normalize(pred);
      }
    } else {
      pred = normalization.normalize(prediction);
      for (String a : humanAnswers) {
        answers.add(normalization.normalize(a));
      }
    }
    int matches = 0;
    for (String a : answers) {
      if (a.equals(pred)) {
        matches++;
      }
    }
    // Summed in answer order like the scripts, so the result is bit-identical to theirs. Leaving
    // out a matching answer leaves matches-1 among the others, any other leaves matches.
    double sum = 0;
    for (String a : answers) {
      int others = a.equals(pred) ? matches - 1 : matches;
      sum += Math.min(1.0, others / 3.0);
    }
    return sum / answers.size();
  }
}
