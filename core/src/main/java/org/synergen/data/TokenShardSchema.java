package org.synergen.data;

import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BOOLEAN;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;

/**
 * The Parquet schema of a token shard. Id sequences are repeated primitive fields (Parquet's
 * unannotated list form), which Spark, pyarrow and pandas read as arrays.
 */
public final class TokenShardSchema {
  private TokenShardSchema() {}

  public static final MessageType SCHEMA = new MessageType("token_shard",
      string(TokenShard.KEY, true),
      string(TokenShard.TASK, true),
      string(TokenShard.STATUS, true),
      string(TokenShard.ERROR_MESSAGE, false),
      Types.repeated(INT32).named(TokenShard.INPUT_IDS),
      Types.repeated(BOOLEAN).named(TokenShard.TEXT_LOSS),
      Types.required(BOOLEAN).named(TokenShard.IMAGE_LOSS),
      Types.repeatedGroup()
          .required(INT32).named(TokenShard.TILE_ROWS)
          .required(INT32).named(TokenShard.TILE_COLS)
          .repeated(INT32).named(TokenShard.TILE_IDS)
          .named(TokenShard.TILES),
      Types.required(INT32).named(TokenShard.FOLD_ROWS),
      Types.required(INT32).named(TokenShard.FOLD_COLS),
      string(TokenShard.TEXT_TOKENIZER, false),
      string(TokenShard.VQ_MODEL, false));

  private static PrimitiveType string(String name, boolean required) {
    return (required ? Types.required(BINARY) : Types.optional(BINARY))
        .as(LogicalTypeAnnotation.stringType()).named(name);
  }
}
