package dev.kafkadr.tenant;

import com.google.re2j.Pattern;
import java.util.List;

/**
 * Include and exclude regular expressions (matched against the whole name, as MirrorMaker 2's
 * {@code topics} and {@code topics.exclude} are): a name is selected when an include pattern
 * matches it and no exclude pattern does. Matched with RE2/J, in time linear in the name whatever
 * the pattern: a tenant's pattern runs against every topic name of a shared cluster, in the
 * controller and in shared Connect workers, and Java's backtracking engine can take seconds on one
 * name for patterns such as {@code (.*a){12}}. The syntax is the part of Java's that RE2 and the
 * overlap check ({@link PatternOverlap}) both accept ({@link PatternChecks}).
 *
 * <p>Kafka Streams' repartition topics ({@code <application.id>-...-repartition}) are left out
 * unless an include pattern itself ends in {@code -repartition}: Streams purges them with {@code
 * deleteRecords} as soon as it has read them, so a copy of them is useless after a failover (the
 * application re-creates them) and a replication behind the purge would show as lost records.
 * Changelog topics ({@code -changelog}) are ordinary topics: include them to keep state stores.
 */
public record Patterns(List<String> include, List<String> exclude) {

  /** Copies the lists so the record stays immutable. */
  public Patterns {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
  }

  /** Patterns selecting nothing. */
  public static Patterns none() {
    return new Patterns(List.of(), List.of());
  }

  /** The suffix of Kafka Streams' repartition topics. */
  public static final String REPARTITION_SUFFIX = "-repartition";

  /** Compiles the patterns; they must have been validated. */
  public Compiled compile() {
    return new Compiled(
        include.stream().map(Pattern::compile).toList(),
        exclude.stream().map(Pattern::compile).toList(),
        include.stream().anyMatch(p -> p.endsWith(REPARTITION_SUFFIX)));
  }

  /**
   * Compiled patterns, for matching many names.
   *
   * @param include the include patterns
   * @param exclude the exclude patterns
   * @param repartition whether Streams repartition topics are asked for explicitly
   */
  public record Compiled(List<Pattern> include, List<Pattern> exclude, boolean repartition) {

    /** Whether {@code name} is selected. */
    public boolean matches(String name) {
      return (repartition || !name.endsWith(REPARTITION_SUFFIX))
          && include.stream().anyMatch(p -> p.matcher(name).matches())
          && exclude.stream().noneMatch(p -> p.matcher(name).matches());
    }
  }
}
