package org.synergen.eval.vqa;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.synergen.eval.text.PyStr;

/**
 * Answer normalisation of the VQA challenge (GT-Vision-Lab/VQA vqaEval.py), in the two forms that
 * published numbers were produced with. Both share the punctuation, number-word, article and
 * contraction rules; they differ in the comma regex, a first tokenising step, what "\d" means, and
 * when they are applied (see {@link VqaAccuracy}).
 */
public enum VqaNormalization {
  /**
   * GT-Vision-Lab/VQA vqaEval.py as of its last commit: a Python 2 script, so its byte-string
   * regexes compiled without re.UNICODE match ASCII digits only.
   */
  OFFICIAL(Pattern.compile("(\\d)(,)(\\d)"), Pattern.compile("(?!<=\\d)(\\.)(?!\\d)"), false),
  /**
   * EvalAI's answer processor (MMF, copied into LLaVA's m4c_evaluator and InternVL's
   * textvqa_eval.py): lower-cases and drops ',' and '?' first, runs on Python 3 (Unicode digits).
   */
  EVALAI(Pattern.compile("(?<=\\d)(,)+(?=\\d)", Pattern.UNICODE_CHARACTER_CLASS),
      Pattern.compile("(?!<=\\d)(\\.)(?!\\d)", Pattern.UNICODE_CHARACTER_CLASS), true);

  // Order matters: each is replaced in turn, and the choice between '' and ' ' looks at the input.
  private static final List<String> PUNCTUATION = List.of(
      ";", "/", "[", "]", "\"", "{", "}", "(", ")", "=", "+", "\\", "_", "-", ">", "<", "@", "`",
      ",", "?", "!");
  private static final Map<String, String> NUMBER_WORDS = Map.ofEntries(
      Map.entry("none", "0"), Map.entry("zero", "0"), Map.entry("one", "1"), Map.entry("two", "2"),
      Map.entry("three", "3"), Map.entry("four", "4"), Map.entry("five", "5"), Map.entry("six", "6"),
      Map.entry("seven", "7"), Map.entry("eight", "8"), Map.entry("nine", "9"), Map.entry("ten", "10"));
  private static final Set<String> ARTICLES = Set.of("a", "an", "the");
  /**
   * The contractions table (identical in both scripts). It is looked up after lower-casing, so the
   * scripts' four capitalised keys ("Im", "Ive", "Id've", "I'dve") can never match and are left out.
   * "somebody'd" really maps to "somebodyd" there.
   */
  private static final Map<String, String> CONTRACTIONS = pairs(
      "aint", "ain't", "arent", "aren't", "cant", "can't", "couldve", "could've",
      "couldnt", "couldn't", "couldn'tve", "couldn't've", "couldnt've", "couldn't've",
      "didnt", "didn't", "doesnt", "doesn't", "dont", "don't", "hadnt", "hadn't",
      "hadnt've", "hadn't've", "hadn'tve", "hadn't've", "hasnt", "hasn't", "havent", "haven't",
      "hed", "he'd", "hed've", "he'd've", "he'dve", "he'd've", "hes", "he's", "howd", "how'd",
      "howll", "how'll", "hows", "how's", "isnt", "isn't", "itd", "it'd", "itd've", "it'd've",
      "it'dve", "it'd've", "itll", "it'll", "let's", "let's", "maam", "ma'am",
      "mightnt", "mightn't", "mightnt've", "mightn't've", "mightn'tve", "mightn't've",
      "mightve", "might've", "mustnt", "mustn't", "mustve", "must've", "neednt", "needn't",
      "notve", "not've", "oclock", "o'clock", "oughtnt", "oughtn't", "ow's'at", "'ow's'at",
      "'ows'at", "'ow's'at", "'ow'sat", "'ow's'at", "shant", "shan't", "shed've", "she'd've",
      "she'dve", "she'd've", "she's", "she's", "shouldve", "should've", "shouldnt", "shouldn't",
      "shouldnt've", "shouldn't've", "shouldn'tve", "shouldn't've", "somebody'd", "somebodyd",
      "somebodyd've", "somebody'd've", "somebody'dve", "somebody'd've",
      "somebodyll", "somebody'll", "somebodys", "somebody's", "someoned", "someone'd",
      "someoned've", "someone'd've", "someone'dve", "someone'd've", "someonell", "someone'll",
      "someones", "someone's", "somethingd", "something'd", "somethingd've", "something'd've",
      "something'dve", "something'd've", "somethingll", "something'll", "thats", "that's",
      "thered", "there'd", "thered've", "there'd've", "there'dve", "there'd've",
      "therere", "there're", "theres", "there's", "theyd", "they'd", "theyd've", "they'd've",
      "they'dve", "they'd've", "theyll", "they'll", "theyre", "they're", "theyve", "they've",
      "twas", "'twas", "wasnt", "wasn't", "wed've", "we'd've", "we'dve", "we'd've",
      "weve", "we've", "werent", "weren't", "whatll", "what'll", "whatre", "what're",
      "whats", "what's", "whatve", "what've", "whens", "when's", "whered", "where'd",
      "wheres", "where's", "whereve", "where've", "whod", "who'd", "whod've", "who'd've",
      "who'dve", "who'd've", "wholl", "who'll", "whos", "who's", "whove", "who've",
      "whyll", "why'll", "whyre", "why're", "whys", "why's", "wont", "won't",
      "wouldve", "would've", "wouldnt", "wouldn't", "wouldnt've", "wouldn't've",
      "wouldn'tve", "wouldn't've", "yall", "y'all", "yall'll", "y'all'll", "y'allll", "y'all'll",
      "yall'd've", "y'all'd've", "y'alld've", "y'all'd've", "y'all'dve", "y'all'd've",
      "youd", "you'd", "youd've", "you'd've", "you'dve", "you'd've", "youll", "you'll",
      "youre", "you're", "youve", "you've"
  );
  /**
   * The period regex is passed {@code re.UNICODE} where {@code sub} expects its count, so at most
   * 32 periods are removed; its "(?!<=\d)" is a look-ahead for the text "<=digit", not a
   * look-behind, so a period is removed whenever no digit follows it.
   */
  private static final int PERIOD_SUB_COUNT = 32;

  private final Pattern commaStrip;
  private final Pattern periodStrip;
  private final boolean tokenizeFirst;

  VqaNormalization(Pattern commaStrip, Pattern periodStrip, boolean tokenizeFirst) {
    this.commaStrip = commaStrip;
    this.periodStrip = periodStrip;
    this.tokenizeFirst = tokenizeFirst;
  }

  /** The full normalisation of one answer string. */
  public String normalize(String answer) {
    String text = answer;
    if (tokenizeFirst) {
      text = PyStr.strip(PyStr.lower(text).replace(",", "").replace("?", "").replace("'s", " 's"));
    }
    return digitsAndArticles(punctuation(clean(text)));
  }

  /** The clean-up every answer gets before anything else: newlines and tabs to spaces, stripped. */
  public static String clean(String answer) {
    return PyStr.strip(answer.replace('\n', ' ').replace('\t', ' '));
  }

  /** processPunctuation: drop or space out punctuation, then strip periods not before a digit. */
  String punctuation(String in) {
    boolean digitComma = commaStrip.matcher(in).find();
    String out = in;
    for (String p : PUNCTUATION) {
      boolean dropped = in.contains(p + " ") || in.contains(" " + p) || digitComma;
      out = out.replace(p, dropped ? "" : " ");
    }
    Matcher m = periodStrip.matcher(out);
    StringBuilder b = new StringBuilder();
    int removed = 0;
    while (removed < PERIOD_SUB_COUNT && m.find()) {
      m.appendReplacement(b, "");
      removed++;
    }
    m.appendTail(b);
    return b.toString();
  }

  /** processDigitArticle: number words to digits, articles dropped, contractions restored. */
  static String digitsAndArticles(String in) {
    StringBuilder out = new StringBuilder();
    for (String word : PyStr.split(PyStr.lower(in))) {
      String w = NUMBER_WORDS.getOrDefault(word, word);
      if (ARTICLES.contains(w)) {
        continue;
      }
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(CONTRACTIONS.getOrDefault(w, w));
    }
    return out.toString();
  }

  private static Map<String, String> pairs(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return Map.copyOf(m);
  }
}
