package dev.weft.node.train.data;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The default training text: English-like prose generated from a small grammar with a fixed seed,
 * so every machine has the same corpus with no download and no licence question. It has the
 * structure a byte-level model can learn step by step: a vocabulary, spelling, capitalisation and
 * punctuation, agreement between a subject and a pronoun that refers back to it, and simple
 * arithmetic facts whose answers follow from the question ("three and four make seven.").
 */
public final class SyntheticCorpus {
  /** Size of the default corpus: big enough that a small GPT does not memorise it in minutes. */
  public static final int DEFAULT_BYTES = 400 * 1024;
  public static final long DEFAULT_SEED = 20261125L;

  private static final String[] PEOPLE = {"miller", "weaver", "farmer", "baker", "sailor", "teacher", "smith",
      "shepherd", "painter", "doctor", "fisher", "potter", "carpenter", "merchant", "gardener", "scholar"};
  private static final String[] THINGS = {"basket", "lantern", "letter", "boat", "cart", "bell", "loaf", "kettle",
      "map", "rope", "clock", "book", "coat", "jar", "ladder", "drum"};
  private static final String[] PLACES = {"market", "river", "mill", "harbour", "village", "forest", "bridge",
      "garden", "school", "tower", "valley", "square"};
  private static final String[] ADJECTIVES = {"old", "young", "quiet", "tall", "clever", "tired", "cheerful",
      "careful", "small", "brave", "patient", "busy"};
  private static final String[] THING_ADJ = {"heavy", "red", "broken", "new", "wooden", "little", "shiny",
      "empty", "green", "round"};
  private static final String[] CARRY_VERBS = {"carried", "mended", "found", "painted", "sold", "lost", "cleaned",
      "borrowed", "opened", "washed"};
  private static final String[] MOVE_VERBS = {"walked", "rode", "hurried", "wandered", "ran", "sailed"};
  private static final String[] TIMES = {"In the morning", "At noon", "In the evening", "After the rain",
      "Before dawn", "On market day", "Late at night", "In the spring"};
  private static final String[] FEELINGS = {"happy", "worried", "proud", "sleepy", "hungry", "surprised"};
  private static final String[] NUMBERS = {"zero", "one", "two", "three", "four", "five", "six", "seven",
      "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
      "eighteen"};

  private SyntheticCorpus() {}

  public static byte[] defaultCorpus() {
    return generate(DEFAULT_SEED, DEFAULT_BYTES);
  }

  /** About {@code bytes} bytes (cut at a sentence end) of text for {@code seed}; ASCII, so valid UTF-8. */
  public static byte[] generate(long seed, int bytes) {
    if (bytes < 1) throw new IllegalArgumentException("bytes must be positive");
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder(bytes + 256);
    while (sb.length() < bytes) {
      paragraph(sb, r);
      sb.append("\n\n");
    }
    String text = sb.substring(0, Math.min(sb.length(), bytes));
    int cut = text.lastIndexOf('.');
    if (cut > bytes / 2) text = text.substring(0, cut + 1) + "\n";
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static void paragraph(StringBuilder sb, SplittableRandom r) {
    boolean she = r.nextBoolean();
    String person = pick(PEOPLE, r), adj = pick(ADJECTIVES, r);
    String pronoun = she ? "she" : "he", possessive = she ? "her" : "his";
    sb.append(pick(TIMES, r)).append(", the ").append(adj).append(' ').append(person).append(' ')
        .append(pick(MOVE_VERBS, r)).append(" to the ").append(pick(PLACES, r)).append('.');
    int sentences = 2 + r.nextInt(4);
    for (int i = 0; i < sentences; i++) {
      sb.append(' ');
      switch (r.nextInt(5)) {
        case 0 -> sb.append(cap(pronoun)).append(' ').append(pick(CARRY_VERBS, r)).append(" a ")
            .append(pick(THING_ADJ, r)).append(' ').append(pick(THINGS, r)).append(" near the ")
            .append(pick(PLACES, r)).append('.');
        case 1 -> {
          int a = r.nextInt(10), b = r.nextInt(9);
          sb.append(cap(pronoun)).append(" counted ").append(NUMBERS[a]).append(" and ").append(NUMBERS[b])
              .append(", and ").append(NUMBERS[a]).append(" and ").append(NUMBERS[b]).append(" make ")
              .append(NUMBERS[a + b]).append('.');
        }
        case 2 -> sb.append("The ").append(person).append(" was ").append(pick(FEELINGS, r)).append(", because ")
            .append(possessive).append(' ').append(pick(THINGS, r)).append(" was ").append(pick(THING_ADJ, r))
            .append('.');
        case 3 -> sb.append("\"Where is my ").append(pick(THINGS, r)).append("?\" asked the ").append(person)
            .append(". \"It is by the ").append(pick(PLACES, r)).append(",\" said the ").append(pick(PEOPLE, r))
            .append('.');
        default -> sb.append("Then ").append(pronoun).append(' ').append(pick(MOVE_VERBS, r))
            .append(" home with ").append(possessive).append(' ').append(pick(THINGS, r)).append('.');
      }
    }
  }

  private static String pick(String[] words, SplittableRandom r) {
    return words[r.nextInt(words.length)];
  }

  private static String cap(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
