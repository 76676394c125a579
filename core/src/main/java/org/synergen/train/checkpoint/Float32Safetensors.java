package org.synergen.train.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.synergen.train.distributed.TensorSet;

/**
 * The safetensors layout (8-byte little-endian header length, JSON header, raw little-endian
 * data) for float32 tensors, read and written as streams.
 *
 * <p>Streams because checkpoints go to Hadoop paths; float32 only because training state is
 * float32 (engine-notes.md). Reading a file with any other dtype fails with a message saying so.
 */
public final class Float32Safetensors implements TensorCodec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CHUNK = 1 << 16;

  @Override
  public void write(TensorSet tensors, Map<String, String> metadata, OutputStream out) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (String name : tensors.names()) {
      ObjectNode t = header.putObject(name);
      t.put("dtype", "F32");
      var shape = t.putArray("shape");
      for (long d : tensors.shape(name)) {
        shape.add(d);
      }
      long bytes = 4L * tensors.get(name).length;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    // pad the header with spaces so the data starts 8-byte aligned, as the reference writer does
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    out.write(head.array());
    ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    for (String name : tensors.names()) {
      for (float v : tensors.get(name)) {
        if (!buf.hasRemaining()) {
          out.write(buf.array(), 0, buf.position());
          buf.clear();
        }
        buf.putFloat(v);
      }
    }
    out.write(buf.array(), 0, buf.position());
  }

  @Override
  public TensorSet read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] lenBytes = new byte[8];
    readFully(data, lenBytes, "the header length");
    long headerLength = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLength <= 0 || headerLength > 100_000_000) {
      throw new IOException("not a safetensors stream: header length " + headerLength);
    }
    byte[] json = new byte[(int) headerLength];
    readFully(data, json, "the header");
    JsonNode header = JSON.readTree(new String(json, StandardCharsets.UTF_8).trim());

    record Entry(String name, long[] shape, long begin, long end) {}
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      JsonNode t = e.getValue();
      String dtype = t.path("dtype").asText();
      if (!dtype.equals("F32")) {
        throw new IOException("tensor '" + e.getKey() + "' has dtype " + dtype + "; training state must be F32");
      }
      long[] shape = new long[t.path("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = t.path("shape").get(i).asLong();
      }
      entries.add(new Entry(e.getKey(), shape, t.path("data_offsets").get(0).asLong(), t.path("data_offsets").get(1).asLong()));
    }
    entries.sort((a, b) -> Long.compare(a.begin(), b.begin()));

    TensorSet tensors = new TensorSet();
    long position = 0;
    byte[] chunk = new byte[CHUNK];
    for (Entry e : entries) {
      if (e.begin() != position || (e.end() - e.begin()) % 4 != 0) {
        throw new IOException("tensor '" + e.name() + "' has data offsets [" + e.begin() + ", " + e.end()
            + "] that leave a gap or overlap at byte " + position);
      }
      float[] values = new float[(int) ((e.end() - e.begin()) / 4)];
      int filled = 0;
      while (filled < values.length) {
        int n = Math.min(CHUNK / 4, values.length - filled);
        readFully(data, chunk, n * 4, "tensor '" + e.name() + "'");
        ByteBuffer.wrap(chunk, 0, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values, filled, n);
        filled += n;
      }
      tensors.put(e.name(), e.shape(), values);
      position = e.end();
    }
    return tensors;
  }

  private static void readFully(DataInputStream in, byte[] into, String what) throws IOException {
    readFully(in, into, into.length, what);
  }

  private static void readFully(DataInputStream in, byte[] into, int length, String what) throws IOException {
    try {
      in.readFully(into, 0, length);
    } catch (EOFException e) {
      throw new IOException("safetensors stream ends inside " + what + " (file truncated?)", e);
    }
  }
}
