package dev.kafkadr.tenant;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads tenants from a parsed document tree (the maps and lists a YAML or JSON parser produces),
 * collecting every problem, each with its path, before failing.
 *
 * <pre>
 * tenants:
 *   - id: payments
 *     topics: {include: ["payments\\..*"], exclude: ["payments\\.tmp\\..*"]}
 *     groups: {include: ["payments-.*"]}
 *     naming: prefixed          # or identical
 *     rpo: 30s
 *     rto: 5m
 * </pre>
 */
public final class TenantParser {

  /** Allowed tenant ids: lower-case letters, digits and '-', starting with a letter or digit. */
  public static final String ID_PATTERN = "[a-z0-9][a-z0-9-]{0,62}";

  private static final Set<String> TENANT_KEYS =
      Set.of("id", "topics", "groups", "naming", "rpo", "rto", "namespace", "platform");
  private static final Set<String> PATTERN_KEYS = Set.of("include", "exclude");

  private TenantParser() {}

  /**
   * Parses and validates the list of tenants at {@code path} (e.g. {@code tenants}), including the
   * checks across tenants of {@link TenantValidator}.
   *
   * @throws TenantConfigException listing every problem found
   */
  public static List<Tenant> parse(Object list, String path) {
    List<Problem> problems = new ArrayList<>();
    List<Tenant> tenants = new ArrayList<>();
    if (!(list instanceof List<?> items)) {
      problems.add(new Problem(path, "must be a list of tenants, was " + kind(list)));
      throw new TenantConfigException(problems);
    }
    for (int i = 0; i < items.size(); i++) {
      parseTenant(items.get(i), path + "[" + i + "]", problems).ifPresent(tenants::add);
    }
    if (problems.isEmpty()) {
      problems.addAll(TenantValidator.validate(tenants, path));
    }
    if (!problems.isEmpty()) {
      throw new TenantConfigException(problems);
    }
    return tenants;
  }

  private static Optional<Tenant> parseTenant(Object item, String at, List<Problem> problems) {
    if (!(item instanceof Map<?, ?> map)) {
      problems.add(
          new Problem(
              at,
              "must be a mapping with id, topics, groups, naming, rpo, rto; was " + kind(item)));
      return Optional.empty();
    }
    int before = problems.size();
    unknownKeys(map, TENANT_KEYS, at, problems);
    String id = string(map.get("id"), at + ".id", problems);
    if (id != null && !id.matches(ID_PATTERN)) {
      problems.add(new Problem(at + ".id", "\"" + id + "\" must match " + ID_PATTERN));
    }
    Patterns topics = patterns(map.get("topics"), at + ".topics", true, problems);
    Patterns groups =
        map.containsKey("groups")
            ? patterns(map.get("groups"), at + ".groups", false, problems)
            : Patterns.none();
    NamingMode naming = NamingMode.PREFIXED;
    if (map.containsKey("naming")) {
      String text = string(map.get("naming"), at + ".naming", problems);
      naming = NamingMode.parse(text).orElse(null);
      if (text != null && naming == null) {
        problems.add(new Problem(at + ".naming", "\"" + text + "\" must be prefixed or identical"));
      }
    }
    Duration rpo = duration(map.get("rpo"), at + ".rpo", problems);
    Duration rto = duration(map.get("rto"), at + ".rto", problems);
    String namespace = id;
    if (map.containsKey("namespace")) {
      namespace = string(map.get("namespace"), at + ".namespace", problems);
      if (namespace != null && !namespace.matches(Namespaces.NAMESPACE)) {
        problems.add(
            new Problem(
                at + ".namespace",
                "\""
                    + namespace
                    + "\" must be a literal name prefix matching "
                    + Namespaces.NAMESPACE
                    + " (no pattern)"));
      }
    }
    boolean platform = false;
    if (map.containsKey("platform")) {
      if (map.get("platform") instanceof Boolean b) {
        platform = b;
      } else {
        problems.add(new Problem(at + ".platform", "must be true or false"));
      }
    }
    return problems.size() == before
        ? Optional.of(new Tenant(id, topics, groups, naming, rpo, rto, namespace, platform))
        : Optional.empty();
  }

  private static Patterns patterns(
      Object node, String at, boolean required, List<Problem> problems) {
    if (!(node instanceof Map<?, ?> map)) {
      problems.add(
          new Problem(
              at,
              (node == null
                  ? "is missing"
                  : "must be a mapping with include and exclude, was " + kind(node))));
      return Patterns.none();
    }
    unknownKeys(map, PATTERN_KEYS, at, problems);
    List<String> include = strings(map.get("include"), at + ".include", problems);
    if (required && include.isEmpty() && !(map.get("include") instanceof String)) {
      problems.add(new Problem(at + ".include", "needs at least one pattern"));
    }
    List<String> exclude =
        map.containsKey("exclude")
            ? strings(map.get("exclude"), at + ".exclude", problems)
            : List.of();
    PatternChecks.check(include, at + ".include", problems);
    PatternChecks.check(exclude, at + ".exclude", problems);
    return new Patterns(include, exclude);
  }

  private static List<String> strings(Object node, String at, List<Problem> problems) {
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof List<?> list)) {
      problems.add(new Problem(at, "must be a list of patterns, was " + kind(node)));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String s = string(list.get(i), at + "[" + i + "]", problems);
      out.add(s == null ? "" : s);
    }
    return out;
  }

  private static Duration duration(Object node, String at, List<Problem> problems) {
    String text = node == null ? null : String.valueOf(node);
    if (text == null) {
      problems.add(new Problem(at, "is missing; write a duration such as 30s, 5m or 1h"));
      return null;
    }
    Optional<Duration> parsed = Durations.parse(text);
    if (parsed.isEmpty()) {
      problems.add(new Problem(at, "\"" + text + "\" is not a duration such as 30s, 5m or 1h"));
      return null;
    }
    if (parsed.get().isNegative() || parsed.get().isZero()) {
      problems.add(new Problem(at, "must be positive, was " + text));
      return null;
    }
    return parsed.get();
  }

  private static String string(Object node, String at, List<Problem> problems) {
    if (node instanceof String s) {
      return s;
    }
    problems.add(
        new Problem(at, node == null ? "is missing" : "must be a string, was " + kind(node)));
    return null;
  }

  private static void unknownKeys(
      Map<?, ?> map, Set<String> allowed, String at, List<Problem> problems) {
    for (Object key : map.keySet()) {
      if (!allowed.contains(String.valueOf(key))) {
        problems.add(
            new Problem(
                at + "." + key, "unknown key; allowed: " + allowed.stream().sorted().toList()));
      }
    }
  }

  private static String kind(Object node) {
    if (node == null) {
      return "nothing";
    }
    if (node instanceof List) {
      return "a list";
    }
    if (node instanceof Map) {
      return "a mapping";
    }
    return "\"" + node + "\"";
  }
}
