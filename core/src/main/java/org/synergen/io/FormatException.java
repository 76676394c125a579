package org.synergen.io;

import java.io.IOException;

/**
 * A file exists but its content is not what its format promises (truncated, unknown dtype, shapes
 * that do not match the bytes, a config we cannot interpret). The message names the file and what
 * to do; command-line tools report it as a usage error (exit code 2).
 */
public class FormatException extends IOException {

  public FormatException(String message) {
    super(message);
  }

  public FormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
