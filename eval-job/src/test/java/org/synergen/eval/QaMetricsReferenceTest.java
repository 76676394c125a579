package org.synergen.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.synergen.eval.anls.Anls;
import org.synergen.eval.chartqa.RelaxedAccuracy;
import org.synergen.eval.exact.ExactMatch;
import org.synergen.eval.mme.Mme;
import org.synergen.eval.pope.Pope;
import org.synergen.eval.vqa.VqaAccuracy;
import org.synergen.eval.vqa.VqaNormalization;

/** Every metric against the official scripts' own output on the same cases (qa_reference.json). */
class QaMetricsReferenceTest {
  private static final JsonNode REF = ReferenceFixtures.load("qa_reference.json");

  @Test
  void vqaNormalizationMatchesBothScripts() {
    for (JsonNode c : REF.get("vqa_normalize")) {
      String in = c.get("input").asText();
      // vqaEval.py normalises the already cleaned answer
      assertEquals(c.get("official").asText(), VqaNormalization.OFFICIAL.normalize(in), "official: " + in);
      assertEquals(c.get("evalai").asText(), VqaNormalization.EVALAI.normalize(in), "evalai: " + in);
    }
  }

  @Test
  void vqaAccuracyMatchesBothScripts() {
    VqaAccuracy official = new VqaAccuracy(VqaNormalization.OFFICIAL);
    VqaAccuracy evalai = new VqaAccuracy(VqaNormalization.EVALAI);
    for (JsonNode c : REF.get("vqa_accuracy")) {
      String pred = c.get("prediction").asText();
      List<String> answers = ReferenceFixtures.strings(c.get("answers"));
      assertEquals(c.get("official").asDouble(), official.score(pred, answers), 0.0, "official: " + c);
      if (!c.get("evalai").isNull()) {
        assertEquals(c.get("evalai").asDouble(), evalai.score(pred, answers), 0.0, "evalai: " + c);
      }
    }
  }

  @Test
  void anlsMatchesRrcScriptAndPix2struct() {
    Anls rrc = new Anls(Anls.Variant.RRC);
    Anls pix = new Anls(Anls.Variant.PIX2STRUCT);
    for (JsonNode c : REF.get("anls")) {
      String pred = c.get("prediction").asText();
      List<String> answers = ReferenceFixtures.strings(c.get("answers"));
      assertEquals(c.get("rrc").asDouble(), rrc.score(pred, answers), 0.0, "rrc: " + c);
      if (!c.get("pix2struct").isNull()) {
        // the fixture went through pix2struct's (100 * total) / n, hence the tolerance
        assertEquals(c.get("pix2struct").asDouble(), pix.score(pred, answers), 1e-12, "pix2struct: " + c);
      }
    }
  }

  @Test
  void relaxedAccuracyMatchesPix2structAndInternVl() {
    RelaxedAccuracy pix = new RelaxedAccuracy(RelaxedAccuracy.Variant.PIX2STRUCT);
    RelaxedAccuracy internvl = new RelaxedAccuracy(RelaxedAccuracy.Variant.INTERNVL);
    for (JsonNode c : REF.get("relaxed")) {
      String pred = c.get("prediction").asText();
      List<String> answers = ReferenceFixtures.strings(c.get("answers"));
      assertEquals(c.get("pix2struct").asDouble(), pix.score(pred, answers), 0.0, "pix2struct: " + c);
      assertEquals(c.get("internvl").asDouble(), internvl.score(pred, answers), 0.0, "internvl: " + c);
    }
  }

  @Test
  void exactMatchMatchesInternVlAndGqaConversion() {
    ExactMatch stripLower = new ExactMatch(ExactMatch.Variant.STRIP_LOWER);
    ExactMatch gqa = new ExactMatch(ExactMatch.Variant.GQA);
    for (JsonNode c : REF.get("exact")) {
      String pred = c.get("prediction").asText();
      List<String> answers = ReferenceFixtures.strings(c.get("answers"));
      assertEquals(c.get("strip_lower").asDouble(), stripLower.score(pred, answers), 0.0, c.toString());
      assertEquals(c.get("gqa").asDouble(), gqa.score(pred, answers), 0.0, c.toString());
    }
  }

  @Test
  void popeAnswerParsingMatchesLlava() {
    for (JsonNode item : REF.get("pope").get("items")) {
      String answer = item.get("answer").asText();
      assertEquals(item.get("parsed").asText().equals("yes"), Pope.saysYes(answer), answer);
    }
  }

  @Test
  void mmeAnswerParsingMatchesCalculationPy() {
    for (JsonNode item : REF.get("mme").get("items")) {
      String answer = item.get("answer").asText();
      assertEquals(item.get("parsed").asText(), Mme.parse(answer), answer);
    }
  }
}
