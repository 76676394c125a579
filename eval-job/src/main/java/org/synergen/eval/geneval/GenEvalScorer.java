package org.synergen.eval.geneval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GenEval's per-image rule (evaluate_images.py, default options): keep a class's detections above
 * the confidence threshold (0.9 for "counting" prompts, 0.3 otherwise), most confident first, at
 * most 16; the image is correct when every include clause finds its count (of its colour, in its
 * position relative to the objects an earlier clause matched) and no exclude clause finds its count.
 */
public final class GenEvalScorer {
  public static final float THRESHOLD = 0.3f;
  public static final float COUNTING_THRESHOLD = 0.9f;
  public static final int MAX_OBJECTS = 16;

  private GenEvalScorer() {}

  /** Whether one image satisfies its prompt, and why not. */
  public record Verdict(boolean correct, List<String> reasons) {}

  /** The thresholded, sorted, capped detections per class, as evaluate_image keeps them. */
  public static Map<String, List<Detection>> kept(GenEvalPrompt prompt, List<Detection> detections) {
    float threshold = prompt.tag().equals("counting") ? COUNTING_THRESHOLD : THRESHOLD;
    Map<String, List<Integer>> byClass = new HashMap<>();
    for (int i = 0; i < detections.size(); i++) {
      byClass.computeIfAbsent(detections.get(i).className(), k -> new ArrayList<>()).add(i);
    }
    Map<String, List<Detection>> kept = new HashMap<>();
    byClass.forEach((cls, indices) -> {
      // np.argsort(scores)[::-1]: descending, ties with the later detection first
      List<Integer> order = new ArrayList<>(indices);
      order.sort(Comparator.<Integer>comparingDouble(i -> detections.get(i).score()).reversed()
          .thenComparing(Comparator.<Integer>reverseOrder()));
      List<Detection> list = new ArrayList<>();
      for (int i : order) {
        if (detections.get(i).score() > threshold && list.size() < MAX_OBJECTS) {
          list.add(detections.get(i));
        }
      }
      if (!list.isEmpty()) {
        kept.put(cls, list);
      }
    });
    return kept;
  }

  public static Verdict evaluate(GenEvalPrompt prompt, List<Detection> detections) {
    Map<String, List<Detection>> objects = kept(prompt, detections);
    boolean correct = true;
    List<String> reasons = new ArrayList<>();
    List<List<Detection>> matchedGroups = new ArrayList<>();
    for (GenEvalPrompt.Clause req : prompt.include()) {
      List<Detection> all = objects.getOrDefault(req.className(), List.of());
      List<Detection> found = all.subList(0, Math.min(req.count(), all.size()));
      boolean matched = true;
      if (found.size() < req.count()) {
        correct = matched = false;
        reasons.add("expected " + req.className() + ">=" + req.count() + ", found " + found.size());
      } else {
        if (req.hasColor()) {
          // colours are judged on the most confident `count` objects only
          long right = found.stream().filter(d -> req.color().equals(d.color())).count();
          if (right < req.count()) {
            correct = matched = false;
            reasons.add("expected " + req.color() + " " + req.className() + ">=" + req.count() + ", found " + right);
          }
        }
        if (req.hasPosition() && matched) {
          List<Detection> targets = matchedGroups.get(req.targetClause());
          RelativePosition.Relation expected = RelativePosition.Relation.parse(req.relation());
          if (targets == null) {
            correct = matched = false;
            reasons.add("no target for " + req.className() + " to be " + req.relation());
          } else {
            outer:
            for (Detection obj : found) {
              for (Detection target : targets) {
                Set<RelativePosition.Relation> rels = RelativePosition.of(obj, target);
                if (expected == null || !rels.contains(expected)) {
                  correct = matched = false;
                  reasons.add("expected " + req.className() + " " + req.relation() + " target, found " + rels);
                  break outer;
                }
              }
            }
          }
        }
      }
      matchedGroups.add(matched ? found : null);
    }
    for (GenEvalPrompt.Clause req : prompt.exclude()) {
      int n = objects.getOrDefault(req.className(), List.of()).size();
      if (n >= req.count()) {
        correct = false;
        reasons.add("expected " + req.className() + "<" + req.count() + ", found " + n);
      }
    }
    return new Verdict(correct, reasons);
  }
}
