package dev.kafkadr.tenant;

import dk.brics.automaton.Automaton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks across tenants: unique ids, and no topic or consumer group that two tenants could both
 * claim. Overlap is decided exactly on the patterns' languages (see {@link PatternOverlap}), and
 * reported on the later tenant's pattern with one name both select.
 */
public final class TenantValidator {

  private TenantValidator() {}

  /**
   * Every cross-tenant problem in {@code tenants}, listed at {@code path} (e.g. {@code tenants}).
   */
  public static List<Problem> validate(List<Tenant> tenants, String path) {
    List<Problem> problems = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < tenants.size(); i++) {
      Integer first = seen.putIfAbsent(tenants.get(i).id(), i);
      if (first != null) {
        problems.add(
            new Problem(
                path + "[" + i + "].id",
                "\""
                    + tenants.get(i).id()
                    + "\" is already the id of "
                    + path
                    + "["
                    + first
                    + "]"));
      }
    }
    Namespaces.check(tenants, path, problems);
    overlaps(
        tenants, path, "topics", Tenant::topics, PatternOverlap.TOPIC_NAMES, "topic", problems);
    overlaps(tenants, path, "groups", Tenant::groups, PatternOverlap.GROUP_IDS, "group", problems);
    return problems;
  }

  private static void overlaps(
      List<Tenant> tenants,
      String path,
      String field,
      Function<Tenant, Patterns> patterns,
      Automaton universe,
      String noun,
      List<Problem> problems) {
    List<Automaton> selections =
        tenants.stream().map(t -> PatternOverlap.selection(patterns.apply(t), universe)).toList();
    for (int j = 1; j < tenants.size(); j++) {
      Patterns mine = patterns.apply(tenants.get(j));
      for (int i = 0; i < j; i++) {
        Optional<String> example =
            PatternOverlap.commonExample(selections.get(i), selections.get(j));
        if (example.isEmpty()) {
          continue;
        }
        int k = culprit(mine, selections.get(i), universe);
        problems.add(
            new Problem(
                path + "[" + j + "]." + field + ".include[" + k + "]",
                "pattern \""
                    + mine.include().get(k)
                    + "\" overlaps tenant \""
                    + tenants.get(i).id()
                    + "\": both select "
                    + noun
                    + " \""
                    + example.get()
                    + "\""));
      }
    }
  }

  /** The first include pattern of {@code mine} that, after its excludes, meets {@code other}. */
  private static int culprit(Patterns mine, Automaton other, Automaton universe) {
    for (int k = 0; k < mine.include().size(); k++) {
      Patterns single = new Patterns(List.of(mine.include().get(k)), mine.exclude());
      if (PatternOverlap.commonExample(PatternOverlap.selection(single, universe), other)
          .isPresent()) {
        return k;
      }
    }
    return 0;
  }
}
