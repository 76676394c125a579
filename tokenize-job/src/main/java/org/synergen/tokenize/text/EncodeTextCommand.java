package org.synergen.tokenize.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.synergen.text.ChatMessage;
import org.synergen.text.ChatTemplate;
import org.synergen.text.TextTokenizer;
import org.synergen.text.TokenSequence;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "encode-text",
    mixinStandardHelpOptions = true,
    description = {
        "Text -> token ids as one JSON line {\"ids\": [...]} (no special tokens added; special tokens",
        "written in the text are recognised, as HF tokenizers does).",
        "--chat FILE.json: a conversation templated as instruction tuning templates it",
        "(InternLM2-chat, InternVL's loss mask): {\"ids\", \"text_loss\" (0/1), \"image_loss\"}; image",
        "placeholders are -1. FILE holds [{\"role\": \"system\"|\"user\"|\"assistant\", \"content\": S,",
        "\"images\": [folded tokens per <image> tag]}, ...] ({\"from\", \"value\"} also read);",
        "{\"role\": \"assistant\", \"image\": N} is an image answer of N folded tokens."})
public final class EncodeTextCommand implements Callable<Integer> {
  @Option(names = "--tokenizer", paramLabel = "FILE",
      description = "HF tokenizer.json (missing SynerGen-VL special tokens are appended); default: byte-level")
  Path tokenizer;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--text", paramLabel = "S", description = "the text to encode") String text;

    @Option(names = "--chat", paramLabel = "FILE.json", description = "a conversation to template") Path chat;
  }

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    TextTokenizer tok = TextTools.tokenizer(tokenizer);
    ObjectMapper json = new ObjectMapper();
    ObjectNode out = json.createObjectNode();
    if (input.text != null) {
      ArrayNode ids = out.putArray("ids");
      for (int id : tok.encode(input.text)) {
        ids.add(id);
      }
    } else {
      TokenSequence s = new ChatTemplate(tok).conversation(ChatMessage.listFromJson(json.readTree(input.chat.toFile())));
      ArrayNode ids = out.putArray("ids");
      ArrayNode loss = out.putArray("text_loss");
      for (int i = 0; i < s.length(); i++) {
        ids.add(s.ids()[i]);
        loss.add(s.textLoss()[i] ? 1 : 0);
      }
      out.put("image_loss", s.imageLoss());
    }
    spec.commandLine().getOut().println(json.writeValueAsString(out));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
