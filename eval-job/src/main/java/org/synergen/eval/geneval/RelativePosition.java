package org.synergen.eval.geneval;

import java.util.EnumSet;
import java.util.Set;

/**
 * GenEval's relative_position: where object A lies relative to B. The centre offset is shrunk on
 * each axis by 0.1 x the sum of both objects' sizes on that axis (never below 0), then divided by
 * the length of the unshrunk offset; a component beyond 0.5 names the relation. In float32, as
 * NumPy computes it on the detector's float32 boxes.
 */
public final class RelativePosition {
  public static final float MARGIN = 0.1f;

  /** The relations GenEval names, with their prompt spelling. */
  public enum Relation {
    LEFT_OF("left of"), RIGHT_OF("right of"), ABOVE("above"), BELOW("below");

    private final String words;

    Relation(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }

    public static Relation parse(String words) {
      for (Relation r : values()) {
        if (r.words.equals(words)) {
          return r;
        }
      }
      return null;
    }
  }

  private RelativePosition() {}

  public static Set<Relation> of(Detection a, Detection b) {
    float offsetX = (a.x1() + a.x2()) / 2f - (b.x1() + b.x2()) / 2f;
    float offsetY = (a.y1() + a.y2()) / 2f - (b.y1() + b.y2()) / 2f;
    float revisedX = shrink(offsetX, Math.abs(a.x2() - a.x1()) + Math.abs(b.x2() - b.x1()));
    float revisedY = shrink(offsetY, Math.abs(a.y2() - a.y1()) + Math.abs(b.y2() - b.y1()));
    Set<Relation> relations = EnumSet.noneOf(Relation.class);
    if (Math.abs(revisedX) < 1e-3f && Math.abs(revisedY) < 1e-3f) {
      return relations;
    }
    float norm = (float) Math.sqrt(offsetX * offsetX + offsetY * offsetY);
    float dx = revisedX / norm;
    float dy = revisedY / norm;
    if (dx < -0.5f) {
      relations.add(Relation.LEFT_OF);
    }
    if (dx > 0.5f) {
      relations.add(Relation.RIGHT_OF);
    }
    if (dy < -0.5f) {
      relations.add(Relation.ABOVE);
    }
    if (dy > 0.5f) {
      relations.add(Relation.BELOW);
    }
    return relations;
  }

  private static float shrink(float offset, float sizes) {
    return Math.max(Math.abs(offset) - MARGIN * sizes, 0f) * Math.signum(offset);
  }
}
