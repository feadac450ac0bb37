package dev.kafkadr.tenant;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Checks of single patterns, shared by the tenants file and the Connect plugins' configs. */
public final class PatternChecks {

  private PatternChecks() {}

  /**
   * Adds a problem to {@code problems} for each pattern that does not compile or that the overlap
   * check cannot analyse; {@code path} names the list, e.g. {@code tenants[0].topics.include}.
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
            new Problem(at, "pattern \"" + pattern + "\" does not compile: " + e.getDescription()));
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
