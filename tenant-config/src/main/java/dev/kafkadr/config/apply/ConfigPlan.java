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
 * The difference between the connectors a tenants file renders and those running on its Connect
 * clusters (the default one and those declared under {@code connectClusters}). Decided here,
 * carried out by {@link ConfigApplier}. Only connectors named as kafka-dr names them ({@code
 * <tenant>.<source>-to-<target>.source|checkpoint|heartbeat}) are ever deleted, and never the
 * reverse of a flow the file declares ({@code <tenant>.<target>-to-<source>.*}): the controller
 * starts those on a switchover (or a reconcile after a failover), and a failback stops them.
 */
public record ConfigPlan(List<ConnectorChange> changes) {

  /** The name of the default Connect cluster in plans. */
  private static final String DEFAULT = dev.kafkadr.config.ConnectPlacement.DEFAULT_CLUSTER;

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
   * Compares {@code desired} with {@code current} (connector name to config, as Connect returns it)
   * on one Connect cluster, the default one.
   */
  public static ConfigPlan of(
      Map<String, Map<String, String>> desired, Map<String, Map<String, String>> current) {
    return across(Map.of(DEFAULT, desired), Map.of(DEFAULT, current));
  }

  /**
   * Compares what the file puts on each Connect cluster with what runs there (cluster name to
   * connector name to config). A connector wanted on one cluster and found on another is moved, not
   * created afresh: created afresh, a source connector would copy its topics again from the start.
   */
  public static ConfigPlan across(
      Map<String, Map<String, Map<String, String>>> desired,
      Map<String, Map<String, Map<String, String>>> current) {
    List<ConnectorChange> changes = new ArrayList<>();
    Map<String, String> wantedOn = new TreeMap<>();
    desired.forEach(
        (cluster, connectors) -> connectors.keySet().forEach(n -> wantedOn.put(n, cluster)));
    Map<String, String> foundOn = new TreeMap<>();
    current.forEach(
        (cluster, connectors) -> connectors.keySet().forEach(n -> foundOn.putIfAbsent(n, cluster)));
    desired.forEach(
        (cluster, connectors) ->
            connectors.forEach(
                (name, config) -> {
                  Map<String, String> here = current.getOrDefault(cluster, Map.of()).get(name);
                  String elsewhere = foundOn.get(name);
                  if (here != null) {
                    Map<String, ConnectorChange.KeyChange> keys = diff(here, config);
                    changes.add(
                        new ConnectorChange(
                            name,
                            keys.isEmpty() ? Action.UNCHANGED : Action.UPDATE,
                            keys,
                            config,
                            cluster,
                            null));
                  } else if (elsewhere != null) {
                    changes.add(
                        new ConnectorChange(
                            name,
                            Action.MOVE,
                            diff(current.get(elsewhere).get(name), config),
                            config,
                            cluster,
                            elsewhere));
                  } else {
                    changes.add(
                        new ConnectorChange(name, Action.CREATE, Map.of(), config, cluster, null));
                  }
                }));
    Set<String> reverses = new TreeSet<>();
    wantedOn.keySet().forEach(name -> reverse(name).ifPresent(reverses::add));
    current.forEach(
        (cluster, connectors) ->
            new TreeSet<>(connectors.keySet())
                .stream()
                    .filter(name -> !wantedOn.containsKey(name) && MANAGED.matcher(name).matches())
                    .forEach(
                        name ->
                            changes.add(
                                new ConnectorChange(
                                    name,
                                    reverses.contains(name) ? Action.KEPT : Action.DELETE,
                                    Map.of(),
                                    null,
                                    cluster,
                                    null))));
    return new ConfigPlan(List.copyOf(changes));
  }

  private static Map<String, ConnectorChange.KeyChange> diff(
      Map<String, String> existing, Map<String, String> config) {
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
    return keys;
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
    boolean clusters = changes.stream().anyMatch(c -> !DEFAULT.equals(c.cluster()));
    StringBuilder out = new StringBuilder();
    for (ConnectorChange c : changes) {
      if (c.action() == Action.UNCHANGED) {
        continue;
      }
      out.append(
              switch (c.action()) {
                case CREATE -> "+ create ";
                case UPDATE -> "~ update ";
                case MOVE -> "> move   ";
                case DELETE -> "- delete ";
                case KEPT -> "= keep   ";
                default -> "  ";
              })
          .append(c.name());
      if (c.action() == Action.MOVE) {
        out.append(" from Connect cluster ")
            .append(c.from())
            .append(" to ")
            .append(c.cluster())
            .append(
                c.name().endsWith(".source")
                    ? " (stopped there, its source offsets carried over, resumed here)"
                    : "");
      } else if (clusters) {
        out.append(" on Connect cluster ").append(c.cluster());
      }
      out.append(
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
    if (!of(Action.MOVE).isEmpty()) {
      out.append(of(Action.MOVE).size()).append(" to move between Connect clusters\n");
    }
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
