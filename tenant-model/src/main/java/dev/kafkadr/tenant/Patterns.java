package dev.kafkadr.tenant;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Include and exclude regular expressions (Java syntax, matched against the whole name, as
 * MirrorMaker 2's {@code topics} and {@code topics.exclude} are): a name is selected when an
 * include pattern matches it and no exclude pattern does.
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

  /** Compiles the patterns; they must have been validated. */
  public Compiled compile() {
    return new Compiled(
        include.stream().map(Pattern::compile).toList(),
        exclude.stream().map(Pattern::compile).toList());
  }

  /** Compiled patterns, for matching many names. */
  public record Compiled(List<Pattern> include, List<Pattern> exclude) {

    /** Whether {@code name} is selected. */
    public boolean matches(String name) {
      return include.stream().anyMatch(p -> p.matcher(name).matches())
          && exclude.stream().noneMatch(p -> p.matcher(name).matches());
    }
  }
}
