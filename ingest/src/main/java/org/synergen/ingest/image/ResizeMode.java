package org.synergen.ingest.image;

/** img2dataset's resize modes, for a target size S. */
public enum ResizeMode {
  /** keep the decoded size */
  NO,
  /** scale so that the shorter side is S */
  KEEP_RATIO,
  /** scale so that the longer side is S */
  KEEP_RATIO_LARGEST,
  /** scale the shorter side to S, then cut the centred S x S square */
  CENTER_CROP,
  /** scale the longer side to S, then pad with white to S x S */
  BORDER;
}
