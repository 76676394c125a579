/**
 * The image tokenizer's own tools, subcommands of {@code synergen tokenize}: {@code encode-image},
 * {@code decode-image}, {@code train-vq}, {@code eval-vq} and the encoder benchmark {@code bench-vq}.
 * The tokenize job itself (image shards -> token shards) is the package above.
 */
package org.synergen.tokenize.vq;
