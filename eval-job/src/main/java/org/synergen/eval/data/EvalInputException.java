package org.synergen.eval.data;

import java.nio.file.Path;

/** Bad input data: says which file and line, what is wrong, and (in the message) what to do. */
public final class EvalInputException extends RuntimeException {
  public EvalInputException(Path file, long line, String message) {
    super(file + ":" + line + ": " + message);
  }

  public EvalInputException(Path file, String message) {
    super(file + ": " + message);
  }

  public EvalInputException(String message) {
    super(message);
  }
}
