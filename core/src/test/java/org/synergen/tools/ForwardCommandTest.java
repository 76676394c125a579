package org.synergen.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.io.Npy;
import org.synergen.io.Safetensors;
import org.synergen.io.hf.HfFixtures;

/**
 * Parity: {@code forward}'s logits against transformers' for the committed HF fixtures (Qwen2 from
 * transformers itself, InternLM2 from its hub modelling code), and its errors for bad input.
 */
class ForwardCommandTest {

  @TempDir Path tmp;

  private String err;

  private int forward(String... args) {
    StringWriter w = new StringWriter();
    int code = ForwardCommand.run(new PrintWriter(w, true), args);
    err = w.toString();
    return code;
  }

  private static String tokensOf(Path fixture) throws IOException {
    return Arrays.stream(Npy.read(fixture.resolve("tokens.npy")).toLongVector())
        .mapToObj(Long::toString).collect(Collectors.joining(","));
  }

  private void assertParity(String name) throws IOException {
    Path fixture = HfFixtures.of(name);
    Path out = tmp.resolve(name + ".npy");
    assertEquals(0, forward("--checkpoint", fixture.toString(), "--tokens", tokensOf(fixture),
        "--out", out.toString()), err);
    INDArray ours = Npy.read(out);
    INDArray theirs = Npy.read(fixture.resolve("logits.npy"));
    assertArrayEquals(theirs.shape(), ours.shape(), name);
    double maxAbs = Nd4j.math.abs(ours.sub(theirs)).maxNumber().doubleValue();
    assertTrue(maxAbs <= 1e-4, name + ": max |ours - transformers| = " + maxAbs);
  }

  @Test
  void qwen2LogitsEqualTransformers() throws IOException {
    for (String name : HfFixtures.QWEN2) {
      assertParity(name);
    }
  }

  @Test
  void internLM2LogitsEqualItsReferenceCode() throws IOException {
    for (String name : HfFixtures.INTERNLM2) {
      assertParity(name);
    }
  }

  @Test
  void badInputIsAUsageError() throws IOException {
    Path out = tmp.resolve("x.npy");
    String good = HfFixtures.of("qwen2-gqa-f32").toString();

    assertEquals(2, forward("--checkpoint", tmp.resolve("absent").toString(), "--tokens", "1", "--out", out.toString()));
    assertTrue(err.contains("no such checkpoint directory"), err);

    assertEquals(2, forward("--checkpoint", good, "--tokens", "1,101", "--out", out.toString()));
    assertTrue(err.contains("token 1 is 101, outside the vocabulary [0, 101)"), err);
    assertEquals(2, forward("--checkpoint", good, "--tokens", "-1", "--out", out.toString()));
    assertEquals(2, forward("--checkpoint", good, "--tokens", "1,x", "--out", out.toString()));
    assertEquals(2, forward("--checkpoint", good, "--out", out.toString()));

    Path llama = tmp.resolve("llama");
    Files.createDirectories(llama);
    Files.writeString(llama.resolve("config.json"), Files.readString(Path.of(good, "config.json"))
        .replace("Qwen2ForCausalLM", "LlamaForCausalLM"));
    assertEquals(2, forward("--checkpoint", llama.toString(), "--tokens", "1", "--out", out.toString()));
    assertTrue(err.contains("LlamaForCausalLM"), err);

    Path int8 = tmp.resolve("int8");
    Files.createDirectories(int8);
    Files.copy(Path.of(good, "config.json"), int8.resolve("config.json"));
    Safetensors.write(int8.resolve("model.safetensors"), Map.of(), Map.of(), Safetensors.DType.F32);
    Files.copy(Path.of("src/test/resources/fixtures/formats/int8.safetensors"),
        int8.resolve("model.safetensors"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(2, forward("--checkpoint", int8.toString(), "--tokens", "1", "--out", out.toString()));
    assertTrue(err.contains("dtype I8"), err);
    assertTrue(Files.notExists(out));

    assertEquals(0, forward("--help"));
  }
}
