package dev.kafkadr.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.net.WanLink;
import dev.kafkadr.sandbox.process.ControllerProcess;
import dev.kafkadr.testkit.controller.ControllerApi;
import dev.kafkadr.testkit.controller.ScanPoller;
import dev.kafkadr.testkit.history.Micros;
import dev.kafkadr.testkit.history.Truth;
import dev.kafkadr.testkit.history.Verdict;
import dev.kafkadr.testkit.prometheus.ScrapeRecorder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Row 5: the link between the regions cut for 25 s while the tenant writes, with the packaged
 * controller in the secondary's region (it reaches the primary through the same link, as the
 * tenants file says). Every scan the controller served is judged against the history checker's
 * truth at its {@code measuredAt} ({@link Truth}): a figure may be above the truth or UNKNOWN,
 * never below it; half-way through the cut the API answers UNKNOWN with the reason. The
 * controller's metrics are scraped throughout for the rule check ({@link CutAlertReplay}).
 */
final class LinkCut {

  static final String VIEWER = "chaos-viewer";
  static final Duration CUT = Duration.ofSeconds(25);

  private LinkCut() {}

  /**
   * Runs the scenario; {@code dir} holds the tenants file ({@code tenants.yaml}) the connectors
   * were rendered from, and receives the controller's log.
   */
  static void run(Sandbox sandbox, WanLink wan, Path dir) throws Exception {
    String password = UUID.randomUUID().toString();
    Map<String, String> config =
        ControllerProcess.sandboxConfig(sandbox, dir, Map.of(VIEWER, "viewer"), password);
    try (ControllerProcess controller =
        new ControllerProcess(
            ControllerProcess.inBuildTree(), config, dir.resolve("controller.log"))) {
      ControllerApi api = new ControllerApi(controller.url(), controller.tls(), VIEWER, password);
      awaitMeasured(api, "chaos");
      awaitMeasured(api, Scenario.EXACTLY_ONCE_TENANT);
      ChaosLoad load = ChaosLoad.start(sandbox, Scenario.LINK_CUT);
      long from = System.currentTimeMillis();
      try (ScanPoller scans = new ScanPoller(api, "chaos");
          ScrapeRecorder scrape =
              new ScrapeRecorder(
                  URI.create(controller.url() + "/q/metrics"),
                  controller.tls(),
                  VIEWER,
                  password,
                  CutAlertReplay.METRICS,
                  Duration.ofMillis(250))) {
        load.runFor(Duration.ofSeconds(10));
        long cutAt = System.currentTimeMillis();
        JsonNode duringCut;
        double heartbeatAge;
        wan.cut();
        try {
          load.runFor(CUT.dividedBy(2));
          duringCut = api.get("/api/tenants/chaos/lag").path("flows").path(0);
          heartbeatAge = heartbeatAgeOnTarget(sandbox);
          load.runFor(CUT.dividedBy(2));
        } finally {
          wan.heal();
        }
        long healedAt = System.currentTimeMillis();
        load.runFor(Duration.ofSeconds(20));
        load.finish();
        long until = System.currentTimeMillis();
        System.out.println("link cut: the API's answer half-way through the cut: " + duringCut);
        assertThat(duringCut.path("status").asText())
            .as("the figures half-way through the cut")
            .isEqualTo("UNKNOWN");
        assertThat(duringCut.path("problem").asText()).as("why it is UNKNOWN").isNotBlank();
        // MM2's heartbeat connector runs in the target's region and writes there: a cut between
        // the regions leaves its heartbeats fresh, so their age cannot tell of the cut
        System.out.printf(
            "link cut: the newest heartbeat on the target half-way through the cut is %.1f s old%n",
            heartbeatAge);
        assertThat(heartbeatAge).as("heartbeat age on the target during the cut, s").isLessThan(10);
        judge(load, scans.served(), cutAt, healedAt, heartbeatAge);
        CutAlertReplay.check(scrape, from, cutAt, healedAt, until);
      }
    }
  }

  /**
   * Waits until the new controller's figures for {@code tenant} are known and fresh (its first
   * scans, before its clients are warm, may be UNKNOWN for some seconds), so that the series the
   * rules are replayed over start from a measured state.
   */
  static void awaitMeasured(ControllerApi api, String tenant) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode f = api.get("/api/tenants/" + tenant + "/lag").path("flows").path(0);
              return !"UNKNOWN".equals(f.path("status").asText())
                  && f.path("measurementAgeSeconds").asDouble(99) < 2;
            });
  }

  /** Seconds since the newest record of the target's {@code heartbeats} topic was written. */
  private static double heartbeatAgeOnTarget(Sandbox sandbox) throws Exception {
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      var partitions =
          admin
              .describeTopics(List.of("heartbeats"))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get("heartbeats")
              .partitions()
              .stream()
              .collect(
                  Collectors.toMap(
                      p -> new TopicPartition("heartbeats", p.partition()),
                      p -> OffsetSpec.maxTimestamp()));
      long newest =
          admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS).values().stream()
              .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::timestamp)
              .max()
              .orElse(0);
      return (System.currentTimeMillis() - newest) / 1000.0;
    }
  }

  /** Every scan against the truth; the row. */
  private static void judge(
      ChaosLoad load,
      List<ScanPoller.Served> served,
      long cutAt,
      long healedAt,
      double heartbeatAge) {
    Truth truth = load.truth();
    Map<String, Integer> statusesDuringCut = new TreeMap<>();
    List<String> under = new ArrayList<>();
    long maxDuringCut = -1;
    int judged = 0;
    for (ScanPoller.Served s : served) {
      long at = s.measuredAt().toEpochMilli();
      Truth.Low low;
      try {
        low = truth.at(Micros.of(s.measuredAt()));
      } catch (IllegalStateException afterTheLastSample) {
        continue;
      }
      if (at >= cutAt && at < healedAt) {
        statusesDuringCut.merge(s.status(), 1, Integer::sum);
        maxDuringCut = Math.max(maxDuringCut, s.lagRecords());
      }
      if (s.lagRecords() >= 0) {
        judged++;
        if (s.lagRecords() < low.records()) {
          under.add(s.measuredAt() + ": " + s.lagRecords() + " < " + low.records());
        }
      }
    }
    Verdict v = load.verdict();
    System.out.printf(
        "link cut: %d scans served, %d with figures judged, %d under the truth %s; statuses during"
            + " the cut %s, most records at risk reported during it %,d%n",
        served.size(), judged, under.size(), under, statusesDuringCut, maxDuringCut);
    assertThat(v.lost()).as(v.summary()).isZero();
    assertThat(judged).as("scans with figures judged against the truth").isPositive();
    assertThat(under).as("figures under the truth").isEmpty();
    load.row(
        String.format(
            "%d scans, %d judged, 0 under the truth; scans measured during the cut %s; the"
                + " target's newest heartbeat %.1f s old half-way through it",
            served.size(), judged, statusesDuringCut, heartbeatAge));
  }
}
