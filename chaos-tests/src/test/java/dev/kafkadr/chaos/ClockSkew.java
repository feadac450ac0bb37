package dev.kafkadr.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.process.ControllerProcess;
import dev.kafkadr.sandbox.process.FakeClock;
import dev.kafkadr.sandbox.process.FreePorts;
import dev.kafkadr.testkit.controller.ControllerApi;
import dev.kafkadr.testkit.controller.ScanPoller;
import dev.kafkadr.testkit.history.Micros;
import dev.kafkadr.testkit.history.Truth;
import dev.kafkadr.testkit.history.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Row 15: skewed clocks. The tenant's producer stamps its records as a host whose clock runs {@link
 * #PRODUCER_AHEAD} ahead would (CreateTime, kept by the copy), and the packaged controller runs
 * with its wall clock {@link #CONTROLLER_BEHIND} behind (libfaketime, {@link FakeClock}); the
 * source connector is paused 12 s so that records wait. Every scan served is judged against the
 * history checker's truth at the real instant of its {@code measuredAt} (the controller's clock put
 * right): records at risk never under the truth, and the age of the oldest never under the truth's
 * by more than two scan intervals (the controller dates a record at the latest by the first scan
 * that saw it; its producer's stamp would make it 5 minutes younger than new).
 */
final class ClockSkew {

  static final Duration PRODUCER_AHEAD = Duration.ofMinutes(5);
  static final Duration CONTROLLER_BEHIND = Duration.ofMinutes(3);

  /** Two of the sandbox controller's 1 s scan intervals: how late it may first see a record. */
  static final double SLACK_SECONDS = 2.0;

  private ClockSkew() {}

  /** Runs the scenario on {@code workers}' source connector; the controller's files go in dir. */
  static void run(Sandbox sandbox, ConnectGroup workers, Path dir) throws Exception {
    String password = UUID.randomUUID().toString();
    Map<String, String> config =
        ControllerProcess.sandboxConfig(sandbox, dir, Map.of(LinkCut.VIEWER, "viewer"), password);
    try (ControllerProcess controller =
        new ControllerProcess(
            ControllerProcess.inBuildTree(),
            FreePorts.allocate(1, false).get(0),
            config,
            dir.resolve("controller-skewed.log"),
            FakeClock.launcher(CONTROLLER_BEHIND.negated()))) {
      ControllerApi api =
          new ControllerApi(controller.url(), controller.tls(), LinkCut.VIEWER, password);
      LinkCut.awaitMeasured(api, ChaosMatrixIT.TENANT);
      ChaosLoad load = ChaosLoad.start(sandbox, Scenario.CLOCK_SKEW, PRODUCER_AHEAD);
      try (ScanPoller scans = new ScanPoller(api, ChaosMatrixIT.TENANT)) {
        load.runFor(Duration.ofSeconds(6));
        try {
          workers.client(1).pauseRunning(ChaosMatrixIT.SOURCE, Duration.ofSeconds(30));
          load.runFor(Duration.ofSeconds(12));
        } finally {
          workers.client(1).resume(ChaosMatrixIT.SOURCE);
        }
        load.runFor(Duration.ofSeconds(10));
        load.finish();
        judge(load, scans.served());
      }
    }
  }

  private static void judge(ChaosLoad load, List<ScanPoller.Served> served) {
    Truth truth = load.truth();
    List<String> under = new ArrayList<>();
    int judged = 0;
    double oldestTruth = 0;
    double oldestReported = 0;
    for (ScanPoller.Served s : served) {
      if (s.lagRecords() < 0) {
        continue;
      }
      Instant real = s.measuredAt().plus(CONTROLLER_BEHIND);
      Truth.Low low;
      try {
        low = truth.at(Micros.of(real));
      } catch (IllegalStateException afterTheLastSample) {
        continue;
      }
      judged++;
      oldestTruth = Math.max(oldestTruth, low.oldestSeconds());
      oldestReported = Math.max(oldestReported, s.lagSeconds());
      double slack = SLACK_SECONDS + low.epsilonMicros() / 1e6;
      if (s.lagRecords() < low.records() || s.lagSeconds() < low.oldestSeconds() - slack) {
        under.add(
            String.format(
                Locale.ROOT,
                "%s: %d records, %.1f s < %d records, %.1f s",
                real,
                s.lagRecords(),
                s.lagSeconds(),
                low.records(),
                low.oldestSeconds()));
      }
    }
    Verdict v = load.verdict();
    System.out.printf(
        Locale.ROOT,
        "clock skew: %d scans served, %d judged, %d under the truth %s; oldest at risk: truth %.1f"
            + " s, reported %.1f s%n",
        served.size(),
        judged,
        under.size(),
        under.stream().limit(5).toList(),
        oldestTruth,
        oldestReported);
    assertThat(v.lost()).as(v.summary()).isZero();
    // 7 on a slow CI run whose scans took longer; 5 still judges most of the pause
    assertThat(judged).as("scans judged against the truth").isGreaterThanOrEqualTo(5);
    assertThat(oldestTruth).as("the pause held records back (truth, s)").isGreaterThan(8);
    assertThat(under).as("figures under the truth").isEmpty();
    assertThat(oldestReported)
        .as("the oldest age reported against the truth's, s: the floor dates the right record")
        .isLessThan(oldestTruth + 3 * SLACK_SECONDS);
    load.row(
        String.format(
            Locale.ROOT,
            "%d scans judged, 0 under the truth; the oldest record at risk: %.1f s by the checker,"
                + " %.1f s reported (its own timestamp put it 300 s in the future)",
            judged,
            oldestTruth,
            oldestReported));
  }
}
