package org.synergen.eval.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One benchmark question as read from its annotation file, in the terms `eval score` uses.
 *
 * @param fields the ground-truth line's other fields (breakdown categories, MME's image)
 * @param origin "FILE:ROW" for errors
 */
public record VqaItem(String questionId, String question, List<ImageRef> images, List<String> answers,
    ObjectNode fields, String origin) {}
