package dev.kafkadr.tenant;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.RegExp;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether two sets of patterns can select the same name, and shows one such name.
 *
 * <p>Each Java pattern is translated to a finite automaton (dk.brics.automaton), so the answer is
 * exact, not sampled: two tenants overlap if and only if the intersection of their selected
 * languages, restricted to legal names, is non-empty. Java features that are not regular or that
 * the translation does not support (look-around, back-references, {@code \b}, flags) are rejected
 * with a message naming the construct, rather than guessed at.
 */
public final class PatternOverlap {

  /** Legal Kafka topic names: 1 to 249 of {@code [a-zA-Z0-9._-]}. */
  public static final Automaton TOPIC_NAMES =
      new RegExp("[a-zA-Z0-9._\\-]{1,249}", RegExp.NONE).toAutomaton();

  /** Consumer group ids: any non-empty string. */
  public static final Automaton GROUP_IDS =
      BasicAutomata.makeAnyString().minus(BasicAutomata.makeEmptyString());

  private static final String BRICS_SPECIAL = "\"<>#@&~";

  private PatternOverlap() {}

  /** A Java pattern the overlap check cannot translate; the message names the construct. */
  public static final class UnsupportedPatternException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnsupportedPatternException(String message) {
      super(message);
    }
  }

  /** The names in {@code universe} that {@code patterns} selects. */
  public static Automaton selection(Patterns patterns, Automaton universe) {
    Automaton selected = union(patterns.include()).intersection(universe);
    return selected.minus(union(patterns.exclude()));
  }

  /** The names in {@code universe} that one pattern matches. */
  public static Automaton of(String javaPattern, Automaton universe) {
    return toAutomaton(javaPattern).intersection(universe);
  }

  /** A shortest name in both languages, or empty when they are disjoint. */
  public static Optional<String> commonExample(Automaton a, Automaton b) {
    Automaton both = a.intersection(b);
    return both.isEmpty() ? Optional.empty() : Optional.ofNullable(both.getShortestExample(true));
  }

  private static Automaton union(List<String> patterns) {
    Automaton all = BasicAutomata.makeEmpty();
    for (String p : patterns) {
      all = all.union(toAutomaton(p));
    }
    return all;
  }

  /**
   * Translates a Java pattern, as matched against a whole name, to an automaton.
   *
   * @throws UnsupportedPatternException for constructs outside the supported regular subset
   */
  public static Automaton toAutomaton(String javaPattern) {
    return new RegExp(translate(javaPattern), RegExp.NONE).toAutomaton();
  }

  static String translate(String p) {
    StringBuilder out = new StringBuilder();
    boolean inClass = false;
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      char next = i + 1 < p.length() ? p.charAt(i + 1) : 0;
      if (c == '\\') {
        i = escape(p, i, inClass, out);
      } else if (inClass) {
        if (c == '[' || (c == '&' && next == '&')) {
          throw unsupported("nested or intersected character classes");
        }
        inClass = c != ']';
        out.append(BRICS_SPECIAL.indexOf(c) >= 0 ? "\\" + c : String.valueOf(c));
      } else if (c == '[') {
        inClass = true;
        out.append('[');
        if (next == '^') {
          out.append('^');
          i++;
        }
      } else if (c == '(' && next == '?') {
        if (i + 2 < p.length() && p.charAt(i + 2) == ':') {
          out.append('(');
          i += 2;
        } else {
          throw unsupported("\"(?\" groups other than (?:...) (look-around, flags, named groups)");
        }
      } else if (c == '^' || c == '$') {
        if (!(c == '^' && i == 0) && !(c == '$' && i == p.length() - 1)) {
          throw unsupported("'" + c + "' inside the pattern");
        }
      } else if (BRICS_SPECIAL.indexOf(c) >= 0) {
        out.append('\\').append(c);
      } else {
        out.append(c);
      }
      i++;
    }
    return out.toString();
  }

  private static int escape(String p, int i, boolean inClass, StringBuilder out) {
    if (i + 1 >= p.length()) {
      throw unsupported("a trailing backslash");
    }
    char e = p.charAt(i + 1);
    switch (e) {
      case 'd' -> out.append(inClass ? "0-9" : "[0-9]");
      case 'w' -> out.append(inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]");
      case 'Q' -> {
        int end = p.indexOf("\\E", i + 2);
        String quoted = p.substring(i + 2, end < 0 ? p.length() : end);
        quoted.chars().forEach(ch -> out.append('\\').append((char) ch));
        return end < 0 ? p.length() : end + 1;
      }
      default -> {
        if (Character.isLetterOrDigit(e)) {
          throw unsupported("\\" + e);
        }
        out.append('\\').append(e);
      }
    }
    return i + 1;
  }

  private static UnsupportedPatternException unsupported(String what) {
    return new UnsupportedPatternException(
        "uses "
            + what
            + ", which the overlap check cannot analyse; use literals, '.', [classes], \\d, \\w,"
            + " *, +, ?, {n,m}, | and (groups)");
  }
}
