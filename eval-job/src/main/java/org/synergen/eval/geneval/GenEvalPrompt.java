package org.synergen.eval.geneval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One line of GenEval's evaluation_metadata.jsonl: a prompt, its tag, and the objects the image
 * must (include) and must not (exclude) contain.
 *
 * @param index the line number from 0, which is also the output folder name (%05d)
 * @param metadata the line as read, written back unchanged into the folder layout
 */
public record GenEvalPrompt(int index, String tag, String prompt, List<Clause> include,
    List<Clause> exclude, JsonNode metadata) {

  /**
   * "count" objects of "class"; optionally of a colour, or placed relative to the objects an
   * earlier include clause matched ({@code position = [relation, clause index]}).
   */
  public record Clause(String className, int count, String color, String relation, int targetClause) {
    public boolean hasColor() {
      return color != null;
    }

    public boolean hasPosition() {
      return relation != null;
    }
  }
}
