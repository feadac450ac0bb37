package dev.kafkadr.controller.failover;

import dev.kafkadr.config.AutoFailover;
import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.LastGood;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the leader starts a tenant's unplanned failover on its own now, and why (or why not): a
 * pure function of the tenant's policy, the vantage points' observations, the newest complete scan
 * of the tenant's flow and the clock. The rules, in the order they are applied (issue 16, after
 * Patroni's {@code maximum_lag_on_failover}):
 *
 * <ol>
 *   <li>off unless the tenant's {@code failover.automatic} is true; nothing while an operator has
 *       disabled automatic failover everywhere, or while a workflow holds the tenant;
 *   <li>only from the tenant's home cluster (the source of its flow): failback is never automatic;
 *   <li>vantage points are the fresh observations (at most three of their own probe intervals old)
 *       of replicas whose region is not the cluster's; if any of them reaches the cluster, nothing;
 *       the cluster counts as lost once at least {@code needed} of them have seen it unreachable
 *       continuously for the tenant's {@code after};
 *   <li>held (an alert, an operator decides) when the tenant failed over automatically less than
 *       its {@code coolDown} ago; when this replica has no complete scan of the flow; when that
 *       scan was more than three scan intervals old at the moment the first vantage point lost the
 *       cluster; when its data at risk, bounded as the scan's lag in seconds plus the time from the
 *       scan to that moment, exceeds {@code maxDataAtRisk} (the RPO by default).
 * </ol>
 */
public final class AutoFailoverDecision {

  private AutoFailoverDecision() {}

  /** Where a tenant's automatic failover stands, exported as a gauge by its ordinal. */
  public enum State {
    /** The tenant's policy is off. */
    OFF,
    /** An operator disabled automatic failover everywhere. */
    DISABLED,
    /** The tenant is not on its home cluster: going back is an operator's failback. */
    AWAY,
    /** A workflow holds the tenant (a failover already under way, say). */
    BUSY,
    /** The cluster is reachable, or too few vantage points see it lost. */
    WATCHING,
    /** Enough vantage points see the cluster lost, for less than {@code after} so far. */
    COUNTING,
    /** The cluster is lost but a guard rail holds the failover back: an operator decides. */
    HELD,
    /** The failover starts now. */
    START
  }

  /**
   * The decision and its evidence.
   *
   * @param state where it stands
   * @param reason one sentence for the audit log, the API and the alert
   * @param evidence what it was decided on (JSON-ready: the vantage points counted, when the
   *     cluster was first seen unreachable, the scan's time and data at risk)
   */
  public record Outcome(State state, String reason, Map<String, Object> evidence) {}

  /**
   * What the leader sees of one tenant now.
   *
   * @param policy the tenant's policy
   * @param rpo the tenant's RPO (the default {@code maxDataAtRisk})
   * @param cluster the cluster the tenant's clients are on
   * @param region that cluster's region
   * @param home whether that cluster is the tenant's home (its flow's source)
   * @param observations every replica's newest observation
   * @param lastGood the newest complete scan of the flow from {@code cluster}, if any
   * @param lastAutomatic when the tenant last failed over automatically, if ever
   * @param disabled who disabled automatic failover everywhere and why, if anyone
   * @param running the workflow that holds the tenant now, if any
   */
  public record Facts(
      AutoFailover policy,
      Duration rpo,
      String cluster,
      String region,
      boolean home,
      List<Observation> observations,
      Optional<LastGood> lastGood,
      Optional<Instant> lastAutomatic,
      Optional<String> disabled,
      Optional<String> running) {}

  /**
   * Decides for one tenant.
   *
   * @param needed how many vantage points outside the cluster's region must agree (at least 1)
   * @param scanInterval the time between two lag scans
   */
  public static Outcome decide(Facts f, Instant now, int needed, Duration scanInterval) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    if (!f.policy().automatic()) {
      return new Outcome(State.OFF, "automatic failover is off for the tenant", evidence);
    }
    if (f.disabled().isPresent()) {
      return new Outcome(State.DISABLED, f.disabled().get(), evidence);
    }
    if (f.running().isPresent()) {
      return new Outcome(
          State.BUSY, "workflow " + f.running().get() + " holds the tenant", evidence);
    }
    if (!f.home()) {
      return new Outcome(
          State.AWAY,
          "the tenant is on " + f.cluster() + ", not its home cluster: failback is never automatic",
          evidence);
    }
    List<Observation.Probe> lost = new ArrayList<>();
    List<Map<String, Object>> seen = new ArrayList<>();
    for (Observation o : f.observations()) {
      Observation.Probe p = o.clusters().get(f.cluster());
      boolean fresh = now.toEpochMilli() - o.at() <= 3 * Math.max(1, o.intervalMillis());
      if (p == null || !fresh || o.region() == null || o.region().equals(f.region())) {
        continue;
      }
      seen.add(vantage(o, p));
      if (p.reachable()) {
        evidence.put("vantagePoints", seen);
        return new Outcome(
            State.WATCHING,
            f.cluster() + " is reachable from " + o.replica() + " in " + o.region(),
            evidence);
      }
      lost.add(p);
    }
    evidence.put("vantagePoints", seen);
    if (lost.size() < needed) {
      return new Outcome(
          State.WATCHING,
          f.cluster()
              + " is unreachable from "
              + lost.size()
              + " vantage point(s) outside region "
              + f.region()
              + "; "
              + needed
              + " needed",
          evidence);
    }
    lost.sort(Comparator.comparingLong(Observation.Probe::since));
    Instant firstLost = Instant.ofEpochMilli(lost.get(0).since());
    // From this moment on, `needed` vantage points have all seen the cluster unreachable.
    Instant agreed = Instant.ofEpochMilli(lost.get(needed - 1).since());
    evidence.put("unreachableSince", firstLost.toString());
    evidence.put("agreedSince", agreed.toString());
    Duration waited = Duration.between(agreed, now);
    if (waited.compareTo(f.policy().after()) < 0) {
      return new Outcome(
          State.COUNTING,
          f.cluster()
              + " unreachable from "
              + lost.size()
              + " vantage points for "
              + seconds(waited)
              + " of the "
              + seconds(f.policy().after())
              + " required",
          evidence);
    }
    return guardRails(f, firstLost, scanInterval, now, evidence);
  }

  private static Outcome guardRails(
      Facts f, Instant firstLost, Duration scanInterval, Instant now, Map<String, Object> e) {
    if (f.lastAutomatic().isPresent()
        && Duration.between(f.lastAutomatic().get(), now).compareTo(f.policy().coolDown()) < 0) {
      return held(
          "the tenant failed over automatically at "
              + f.lastAutomatic().get()
              + ", less than its cool-down of "
              + seconds(f.policy().coolDown())
              + " ago",
          e);
    }
    if (f.lastGood().isEmpty()) {
      return held(
          "this replica has no complete scan of the tenant's flow from "
              + f.cluster()
              + ": its data at risk is unknown",
          e);
    }
    FlowLag last = f.lastGood().get().last();
    Duration age = Duration.between(last.measuredAt(), firstLost);
    e.put("lastScanMeasuredAt", last.measuredAt().toString());
    e.put("lastScanLagSeconds", last.lagSeconds());
    Duration limit = scanInterval.multipliedBy(3);
    if (age.compareTo(limit) > 0) {
      return held(
          "the last complete scan was "
              + seconds(age)
              + " old when "
              + f.cluster()
              + " became unreachable, more than 3 scan intervals ("
              + seconds(limit)
              + "): its data at risk is unknown",
          e);
    }
    if (last.lagSeconds() < 0) {
      return held("the last complete scan has no data at risk in time", e);
    }
    double bound = last.lagSeconds() + Math.max(0, age.toMillis() / 1000.0);
    Duration max = f.policy().maxDataAtRisk(f.rpo());
    e.put("dataAtRiskSecondsAtMost", bound);
    e.put("maxDataAtRiskSeconds", max.toMillis() / 1000.0);
    if (bound * 1000 > max.toMillis()) {
      return held(
          String.format(
              java.util.Locale.ROOT,
              "data at risk up to %.1f s (the last scan's %.1f s plus %s until %s was lost)"
                  + " exceeds maxDataAtRisk %s",
              bound,
              last.lagSeconds(),
              seconds(age),
              f.cluster(),
              seconds(max)),
          e);
    }
    return new Outcome(
        State.START,
        String.format(
            java.util.Locale.ROOT,
            "%s unreachable from %s since %s; data at risk at most %.1f s of %s allowed",
            f.cluster(),
            ((List<?>) e.get("vantagePoints")).size() + " vantage points",
            e.get("agreedSince"),
            bound,
            seconds(max)),
        e);
  }

  private static Outcome held(String why, Map<String, Object> evidence) {
    return new Outcome(State.HELD, why, evidence);
  }

  private static Map<String, Object> vantage(Observation o, Observation.Probe p) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("replica", o.replica());
    v.put("region", o.region());
    v.put("observedAt", Instant.ofEpochMilli(o.at()).toString());
    v.put("reachable", p.reachable());
    v.put("since", Instant.ofEpochMilli(p.since()).toString());
    if (p.error() != null) {
      v.put("error", p.error());
    }
    return v;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0
        ? d.toSeconds() + " s"
        : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
