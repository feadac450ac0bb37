package dev.kafkadr.controller.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.config.AutoFailover;
import dev.kafkadr.controller.failover.AutoFailoverDecision.State;
import dev.kafkadr.controller.lag.FlowHealth;
import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.LastGood;
import dev.kafkadr.controller.lag.RpoStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link AutoFailoverDecision} on its own: the primary ({@code primary}, region {@code
 * r1}) lost at {@code LOST}, two vantage points outside r1, a scan every 1 s, {@code after} 30 s,
 * RPO 30 s.
 */
class AutoFailoverDecisionTest {

  private static final Instant LOST = Instant.parse("2026-11-30T04:00:00Z");
  private static final Instant DUE = LOST.plusSeconds(31);
  private static final Duration SCAN = Duration.ofSeconds(1);
  private static final AutoFailover ON =
      new AutoFailover(
          "shop", true, Duration.ofSeconds(30), Optional.empty(), Duration.ofHours(1), false);

  @Test
  void startsOnceTwoVantagePointsOutsideTheRegionSawTheClusterLostForAfter() {
    var o = decide(facts(lostFrom("b", "r2", "w", "r3")), DUE);
    assertThat(o.state()).as(o.reason()).isEqualTo(State.START);
    assertThat(o.reason()).contains("primary unreachable from 2 vantage points");
    assertThat(o.evidence())
        .containsEntry("unreachableSince", LOST.toString())
        .containsEntry("dataAtRiskSecondsAtMost", 2.5)
        .containsKey("vantagePoints");
  }

  @Test
  void countsUntilAfterHasPassedSinceTheSecondVantagePointLostIt() {
    List<Observation> seen =
        List.of(obs("b", "r2", DUE, false, LOST), obs("w", "r3", DUE, false, LOST.plusSeconds(5)));
    var o = decide(facts(seen), DUE);
    assertThat(o.state()).as(o.reason()).isEqualTo(State.COUNTING);
    assertThat(o.reason()).contains("for 26 s of the 30 s required");
    assertThat(decide(facts(seen), LOST.plusSeconds(36)).state()).isEqualTo(State.START);
  }

  @Test
  void aReplicaInTheClustersOwnRegionOrWithoutOneIsNoWitness() {
    var sameRegion = decide(facts(lostFrom("b", "r2", "a", "r1")), DUE);
    assertThat(sameRegion.state()).isEqualTo(State.WATCHING);
    assertThat(sameRegion.reason()).contains("unreachable from 1 vantage point(s)", "2 needed");
    assertThat(decide(facts(lostFrom("b", "r2", "w", null)), DUE).state())
        .isEqualTo(State.WATCHING);
  }

  @Test
  void oneVantagePointThatStillReachesTheClusterStopsIt() {
    List<Observation> seen =
        List.of(
            obs("b", "r2", DUE, false, LOST),
            obs("w", "r3", DUE, false, LOST),
            obs("x", "r4", DUE, true, LOST.minusSeconds(600)));
    var o = decide(facts(seen), DUE);
    assertThat(o.state()).isEqualTo(State.WATCHING);
    assertThat(o.reason()).isEqualTo("primary is reachable from x in r4");
  }

  @Test
  void anObservationOlderThanThreeOfItsIntervalsDoesNotCount() {
    List<Observation> seen =
        List.of(obs("b", "r2", DUE, false, LOST), obs("w", "r3", DUE.minusSeconds(7), false, LOST));
    assertThat(decide(facts(seen), DUE).state()).isEqualTo(State.WATCHING);
  }

  @Test
  void heldWhenTheLastScanWasMoreThanThreeScanIntervalsOldWhenTheClusterWasLost() {
    var f = facts(lostFrom("b", "r2", "w", "r3"), scan(LOST.minusMillis(3_100), 0.0));
    var o = decide(f, DUE);
    assertThat(o.state()).isEqualTo(State.HELD);
    assertThat(o.reason())
        .isEqualTo(
            "the last complete scan was 3.1 s old when primary became unreachable, more than 3"
                + " scan intervals (3 s): its data at risk is unknown");
  }

  @Test
  void heldWhenTheDataAtRiskBoundExceedsMaxDataAtRiskOrTheRpo() {
    var overRpo =
        decide(facts(lostFrom("b", "r2", "w", "r3"), scan(LOST.minusSeconds(2), 28.5)), DUE);
    assertThat(overRpo.state()).isEqualTo(State.HELD);
    assertThat(overRpo.reason())
        .isEqualTo(
            "data at risk up to 30.5 s (the last scan's 28.5 s plus 2 s until primary was lost)"
                + " exceeds maxDataAtRisk 30 s");
    AutoFailover tight =
        new AutoFailover(
            "shop", true, ON.after(), Optional.of(Duration.ofSeconds(2)), ON.coolDown(), false);
    var scan = facts(lostFrom("b", "r2", "w", "r3")).lastGood();
    assertThat(decide(variant(tight, true, scan, null, null, null), DUE).state())
        .isEqualTo(State.HELD);
  }

  @Test
  void heldWithoutAScanAndWithinTheCoolDown() {
    var scan = facts(lostFrom("b", "r2", "w", "r3")).lastGood();
    var noScan = variant(ON, true, Optional.empty(), null, null, null);
    assertThat(decide(noScan, DUE).reason()).contains("no complete scan");
    var cooling = variant(ON, true, scan, DUE.minusSeconds(3599), null, null);
    assertThat(decide(cooling, DUE).state()).isEqualTo(State.HELD);
    assertThat(decide(cooling, DUE).reason()).contains("less than its cool-down of 3600 s ago");
  }

  @Test
  void neverFromAwayWhileBusyWhenDisabledOrOff() {
    var scan = facts(lostFrom("b", "r2", "w", "r3")).lastGood();
    assertThat(decide(variant(ON, false, scan, null, null, null), DUE).state())
        .isEqualTo(State.AWAY);
    assertThat(decide(variant(ON, true, scan, null, "disabled by olu", null), DUE).state())
        .isEqualTo(State.DISABLED);
    assertThat(decide(variant(AutoFailover.off("shop"), true, scan, null, null, null), DUE).state())
        .isEqualTo(State.OFF);
    assertThat(decide(variant(ON, true, scan, null, null, "wf-1"), DUE).reason())
        .isEqualTo("workflow wf-1 holds the tenant");
  }

  /** The primary lost as in {@link #lostFrom}, with the rest as given (null: none). */
  private static AutoFailoverDecision.Facts variant(
      AutoFailover policy,
      boolean home,
      Optional<LastGood> scan,
      Instant lastAutomatic,
      String disabled,
      String running) {
    return new AutoFailoverDecision.Facts(
        policy,
        Duration.ofSeconds(30),
        home ? "primary" : "secondary",
        home ? "r1" : "r2",
        home,
        lostFrom("b", "r2", "w", "r3"),
        scan,
        Optional.ofNullable(lastAutomatic),
        Optional.ofNullable(disabled),
        Optional.ofNullable(running));
  }

  private static AutoFailoverDecision.Outcome decide(AutoFailoverDecision.Facts f, Instant now) {
    return AutoFailoverDecision.decide(f, now, 2, SCAN);
  }

  private static AutoFailoverDecision.Facts facts(List<Observation> seen) {
    return facts(seen, scan(LOST.minusMillis(500), 2.0));
  }

  private static AutoFailoverDecision.Facts facts(List<Observation> seen, LastGood scan) {
    return new AutoFailoverDecision.Facts(
        ON,
        Duration.ofSeconds(30),
        "primary",
        "r1",
        true,
        seen,
        Optional.of(scan),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static List<Observation> lostFrom(String a, String regionA, String b, String regionB) {
    return List.of(obs(a, regionA, DUE, false, LOST), obs(b, regionB, DUE, false, LOST));
  }

  private static Observation obs(
      String replica, String region, Instant at, boolean reachable, Instant since) {
    return new Observation(
        replica,
        region,
        at.toEpochMilli(),
        2000,
        Map.of(
            "primary",
            new Observation.Probe(
                reachable, since.toEpochMilli(), reachable ? null : "TimeoutException")));
  }

  private static LastGood scan(Instant measuredAt, double lagSeconds) {
    FlowLag f =
        new FlowLag(
            "shop",
            "primary",
            "secondary",
            Duration.ofSeconds(30),
            0,
            lagSeconds,
            RpoStatus.OK,
            List.of(),
            List.of(),
            List.of(),
            new FlowHealth("RUNNING", List.of(), 0, null, "at-least-once", "default", List.of()),
            null,
            measuredAt,
            measuredAt);
    return new LastGood(f, null, null);
  }
}
