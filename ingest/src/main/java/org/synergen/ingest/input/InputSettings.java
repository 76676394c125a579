package org.synergen.ingest.input;

import com.typesafe.config.Config;
import java.io.Serializable;

/**
 * How to read the input.
 *
 * @param format      auto, parquet, csv, tsv, jsonl or images
 * @param urlCol      the column holding the image URL
 * @param captionCol  the column holding the caption (may be absent from the input)
 * @param clashPrefix prefix for kept input columns whose name clashes with an output column
 */
public record InputSettings(String format, String urlCol, String captionCol, String clashPrefix)
    implements Serializable {

  public static InputSettings from(Config c) {
    return new InputSettings(c.getString("format"), c.getString("url-col"),
        c.getString("caption-col"), c.getString("clash-prefix"));
  }
}
