package dev.kafkadr.config;

import dev.kafkadr.tenant.Durations;
import dev.kafkadr.tenant.Problem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's automatic failover ({@code failover:} in its entry; off unless {@code automatic:
 * true}): the controller's leader starts the unplanned failover once the tenant's cluster has been
 * unreachable for {@code after} from enough vantage points outside its region, unless a guard rail
 * holds it back (the rules are in the controller's {@code AutoFailoverDecision}). Failback is never
 * automatic.
 *
 * @param tenant the tenant's id
 * @param automatic whether the controller may start the failover on its own
 * @param after how long the cluster must have been unreachable, continuously (30 s by default)
 * @param maxDataAtRisk the most data at risk, in time (the age of the oldest record not yet copied
 *     when the cluster became unreachable, an upper bound), with which it still starts; empty: the
 *     tenant's RPO
 * @param coolDown the least time between two automatic failovers of the tenant (1 h by default)
 * @param fenceOnStoreLoss whether a controller replica in the region of the cluster the tenant is
 *     on fences the tenant's producers there once it has lost the state store for longer than the
 *     leader lease's TTL (Patroni's demotion of a primary cut from its store): the other regions
 *     may be failing the tenant over, and its clients must not go on writing to the old cluster
 */
public record AutoFailover(
    String tenant,
    boolean automatic,
    Duration after,
    Optional<Duration> maxDataAtRisk,
    Duration coolDown,
    boolean fenceOnStoreLoss) {

  /** {@code after} when the file does not say. */
  public static final Duration DEFAULT_AFTER = Duration.ofSeconds(30);

  /** {@code coolDown} when the file does not say. */
  public static final Duration DEFAULT_COOL_DOWN = Duration.ofHours(1);

  private static final Set<String> KEYS =
      Set.of("automatic", "after", "maxDataAtRisk", "coolDown", "fenceOnStoreLoss");

  /** Off: what a tenant without a {@code failover} entry has. */
  public static AutoFailover off(String tenant) {
    return new AutoFailover(
        tenant, false, DEFAULT_AFTER, Optional.empty(), DEFAULT_COOL_DOWN, false);
  }

  /** The most data at risk allowed, in time: {@code maxDataAtRisk}, else {@code rpo}. */
  public Duration maxDataAtRisk(Duration rpo) {
    return maxDataAtRisk.orElse(rpo);
  }

  /**
   * Reads a tenant's {@code failover} mapping, adding a problem at its path for anything wrong: a
   * mapping expected, {@code automatic} a boolean, durations positive ({@code 30s}, {@code 5m},
   * ISO-8601), unknown keys named.
   *
   * @return the policy, or null when there were problems
   */
  static AutoFailover check(Object node, String at, String tenant, List<Problem> problems) {
    if (!(node instanceof Map<?, ?> map)) {
      problems.add(
          new Problem(
              at,
              "must be a mapping with automatic, after, maxDataAtRisk, coolDown,"
                  + " fenceOnStoreLoss"));
      return null;
    }
    int before = problems.size();
    TenantsFileParser.unknownKeys(map, KEYS, at, problems);
    Object automatic = map.get("automatic");
    if (!(automatic instanceof Boolean)) {
      problems.add(
          new Problem(
              at + ".automatic",
              automatic == null ? "is missing (true or false)" : "must be true or false"));
    }
    Duration after = duration(map.get("after"), at + ".after", problems);
    Duration max = duration(map.get("maxDataAtRisk"), at + ".maxDataAtRisk", problems);
    Duration coolDown = duration(map.get("coolDown"), at + ".coolDown", problems);
    Object fence = map.get("fenceOnStoreLoss");
    if (fence != null && !(fence instanceof Boolean)) {
      problems.add(new Problem(at + ".fenceOnStoreLoss", "must be true or false"));
    }
    if (problems.size() != before) {
      return null;
    }
    return new AutoFailover(
        tenant,
        (Boolean) automatic,
        after == null ? DEFAULT_AFTER : after,
        Optional.ofNullable(max),
        coolDown == null ? DEFAULT_COOL_DOWN : coolDown,
        Boolean.TRUE.equals(fence));
  }

  private static Duration duration(Object node, String at, List<Problem> problems) {
    if (node == null) {
      return null;
    }
    Optional<Duration> d = Durations.parse(String.valueOf(node));
    if (d.isEmpty() || d.get().isNegative() || d.get().isZero()) {
      problems.add(
          new Problem(at, "\"" + node + "\" is not a positive duration such as 30s, 5m or 1h"));
      return null;
    }
    return d.get();
  }
}
