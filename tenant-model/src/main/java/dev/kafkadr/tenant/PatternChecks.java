package dev.kafkadr.tenant;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.List;

/** Checks of single patterns, shared by the tenants file and the Connect plugins' configs. */
public final class PatternChecks {

  private PatternChecks() {}

  /**
   * Adds a problem to {@code problems} for each pattern that RE2 does not accept (look-around,
   * back-references, possessive quantifiers: what cannot be matched in linear time) or that the
   * overlap check cannot analyse; {@code path} names the list, e.g. {@code
   * tenants[0].topics.include}.
   */
  public static void check(List<String> patterns, String path, List<Problem> problems) {
    for (int i = 0; i < patterns.size(); i++) {
      String pattern = patterns.get(i);
      String at = path + "[" + i + "]";
      if (pattern == null || pattern.isBlank()) {
        problems.add(new Problem(at, "pattern is empty"));
        continue;
      }
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        problems.add(
            new Problem(
                at,
                "pattern \""
                    + pattern
                    + "\" is not accepted by RE2, which matches in linear time: "
                    + e.getDescription()));
        continue;
      }
      try {
        PatternOverlap.toAutomaton(pattern);
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(at, "pattern \"" + pattern + "\" " + e.getMessage()));
      }
    }
  }
}
