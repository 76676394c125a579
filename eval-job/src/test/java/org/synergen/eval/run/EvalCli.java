package org.synergen.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.synergen.eval.EvalJob;

/** `synergen eval` in-process for tests: the exit code and what it printed; fixtures under /run. */
public final class EvalCli {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The exit code and what was printed. */
  public record Result(int exit, String out, String err) {}

  private EvalCli() {}

  /** Runs with the stand-in colour-naming model. */
  public static Result withColourNamer(String... args) {
    return run(ColourNamer::open, args);
  }

  public static synchronized Result run(GeneratorFactory generators, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = EvalJob.run(generators, args);
      return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  public static Path resource(String name) {
    try {
      return Path.of(EvalCli.class.getResource(name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource " + name, e);
    }
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> jsonLines(Path file) {
    try {
      List<JsonNode> out = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A report without its "inputs" (the file names differ between runs). */
  static JsonNode withoutInputs(JsonNode report) {
    ObjectNode copy = report.deepCopy();
    copy.remove("inputs");
    return copy;
  }
}
