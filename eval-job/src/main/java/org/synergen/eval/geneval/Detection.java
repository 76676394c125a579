package org.synergen.eval.geneval;

/**
 * One detected object, as GenEval's Mask2Former gives it: class, confidence and box
 * (x1, y1, x2, y2 in pixels), all float32 there and kept float32 here so that thresholds and
 * positions compare exactly as in NumPy. The colour is what GenEval's CLIP colour classifier says
 * for the object's crop; it is only needed for prompts that ask for a colour.
 */
public record Detection(String className, float score, float x1, float y1, float x2, float y2, String color) {}
