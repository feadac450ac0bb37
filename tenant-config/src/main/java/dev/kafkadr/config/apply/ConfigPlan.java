package dev.kafkadr.config.apply;

import dev.kafkadr.config.apply.ConnectorChange.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The difference between the connectors a tenants file renders and those running on a Connect
 * cluster. Decided here, carried out by {@link ConfigApplier}. Only connectors named as kafka-dr
 * names them ({@code <tenant>.<source>-to-<target>.source|checkpoint|heartbeat}) are ever deleted,
 * and never the reverse of a flow the file declares ({@code <tenant>.<target>-to-<source>.*}): the
 * controller starts those on a switchover (or a reconcile after a failover), and a failback stops
 * them.
 */
public record ConfigPlan(List<ConnectorChange> changes) {

  /** Names of the connectors kafka-dr renders and so may delete. */
  public static final Pattern MANAGED =
      Pattern.compile(
          "[a-z0-9][a-z0-9-]*\\.[A-Za-z0-9_-]+-to-[A-Za-z0-9_-]+\\.(source|checkpoint|heartbeat)");

  private static final Pattern FLOW =
      Pattern.compile(
          "([a-z0-9][a-z0-9-]*)\\.([A-Za-z0-9_-]+)-to-([A-Za-z0-9_-]+)\\.(source|checkpoint|heartbeat)");

  private static final Pattern SECRET_KEY =
      Pattern.compile(".*(password|secret|token|credentials|jaas\\.config).*");
  private static final Pattern REFERENCE_ONLY =
      Pattern.compile("\\$\\{[A-Za-z][A-Za-z0-9_-]*:[^}]+}");

  /**
   * Compares {@code desired} with {@code current} (connector name to config, as Connect returns
   * it).
   */
  public static ConfigPlan of(
      Map<String, Map<String, String>> desired, Map<String, Map<String, String>> current) {
    List<ConnectorChange> changes = new ArrayList<>();
    desired.forEach(
        (name, config) -> {
          Map<String, String> existing = current.get(name);
          if (existing == null) {
            changes.add(new ConnectorChange(name, Action.CREATE, Map.of(), config));
            return;
          }
          Map<String, ConnectorChange.KeyChange> keys = new TreeMap<>();
          Set<String> all = new TreeSet<>(config.keySet());
          all.addAll(existing.keySet());
          all.remove("name");
          for (String key : all) {
            String before = existing.get(key);
            String after = config.get(key);
            if (before == null ? after != null : !before.equals(after)) {
              keys.put(key, new ConnectorChange.KeyChange(before, after));
            }
          }
          changes.add(
              new ConnectorChange(
                  name, keys.isEmpty() ? Action.UNCHANGED : Action.UPDATE, keys, config));
        });
    Set<String> reverses = new TreeSet<>();
    desired.keySet().forEach(name -> reverse(name).ifPresent(reverses::add));
    new TreeSet<>(current.keySet())
        .stream()
            .filter(name -> !desired.containsKey(name) && MANAGED.matcher(name).matches())
            .forEach(
                name ->
                    changes.add(
                        new ConnectorChange(
                            name,
                            reverses.contains(name) ? Action.KEPT : Action.DELETE,
                            Map.of(),
                            null)));
    return new ConfigPlan(List.copyOf(changes));
  }

  /** {@code t.b-to-a.kind} for {@code t.a-to-b.kind}; empty for a name kafka-dr does not make. */
  static java.util.Optional<String> reverse(String name) {
    var m = FLOW.matcher(name);
    if (!m.matches()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        m.group(1) + "." + m.group(3) + "-to-" + m.group(2) + "." + m.group(4));
  }

  /** Whether applying changes nothing. */
  public boolean isEmpty() {
    return changes.stream()
        .allMatch(c -> c.action() == Action.UNCHANGED || c.action() == Action.KEPT);
  }

  /** The changes of one kind. */
  public List<ConnectorChange> of(Action action) {
    return changes.stream().filter(c -> c.action() == action).toList();
  }

  /** The plan as a person reads it; secret values are never shown, only that they change. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    for (ConnectorChange c : changes) {
      if (c.action() == Action.UNCHANGED) {
        continue;
      }
      out.append(
              switch (c.action()) {
                case CREATE -> "+ create ";
                case UPDATE -> "~ update ";
                case DELETE -> "- delete ";
                case KEPT -> "= keep   ";
                default -> "  ";
              })
          .append(c.name())
          .append(
              c.action() == Action.KEPT
                  ? " (not in the file: the way back a switchover or a reconcile started;"
                      + " a failback stops it)"
                  : "")
          .append('\n');
      c.keys()
          .forEach(
              (key, k) ->
                  out.append("    ")
                      .append(key)
                      .append(": ")
                      .append(show(key, k.before()))
                      .append(" -> ")
                      .append(show(key, k.after()))
                      .append('\n'));
    }
    long unchanged = changes.stream().filter(c -> c.action() == Action.UNCHANGED).count();
    out.append(
        String.format(
            "%d to create, %d to update, %d to delete, %d unchanged%n",
            of(Action.CREATE).size(),
            of(Action.UPDATE).size(),
            of(Action.DELETE).size(),
            unchanged));
    if (!of(Action.KEPT).isEmpty()) {
      out.append(of(Action.KEPT).size()).append(" reverse flow connector(s) kept\n");
    }
    return out.toString();
  }

  /** A value for display: absent, a reference (safe), or a masked secret. */
  static String show(String key, String value) {
    if (value == null) {
      return "(absent)";
    }
    if (SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches()
        && !REFERENCE_ONLY.matcher(value).matches()) {
      return "(secret, " + value.length() + " chars)";
    }
    return "\"" + value + "\"";
  }
}
