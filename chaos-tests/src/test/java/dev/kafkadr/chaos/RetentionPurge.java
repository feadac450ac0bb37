package dev.kafkadr.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.net.WanLink;
import dev.kafkadr.sandbox.process.ControllerProcess;
import dev.kafkadr.testkit.controller.ControllerApi;
import dev.kafkadr.testkit.history.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Row 17: records purged by real retention on the primary before MirrorMaker 2 copied them. The
 * scenario's topic keeps records 6 s ({@link #SOURCE_TOPIC_CONFIG}; the brokers check retention
 * every second), and the link between the regions is cut for 20 s while the tenant writes, so the
 * records of the cut's first seconds are deleted before the link heals; MirrorMaker 2's consumer,
 * finding its position below the log start, resets to it and copies on. The packaged controller, in
 * the secondary's region, is blind to the source during the cut; after the heal its gaps must name
 * exactly the records the history checker finds lost (acknowledged, never on the copy).
 *
 * <p>The copy's own retention is removed before the load: MirrorMaker 2 copies the topic's configs,
 * and a copy keeping records 6 s by their (preserved) timestamps would delete the cut's backlog as
 * it arrives, before the checker's reader saw it, making copied records look lost.
 */
final class RetentionPurge {

  /** The scenario topic's retention on the primary: records kept 6 s, segments rolled every 1 s. */
  static final Map<String, String> SOURCE_TOPIC_CONFIG =
      Map.of("retention.ms", "6000", "segment.ms", "1000");

  static final Duration CUT = Duration.ofSeconds(20);

  private RetentionPurge() {}

  /**
   * Runs the scenario; {@code dir} holds the tenants file ({@code tenants.yaml}) the connectors
   * were rendered from, and receives the controller's log.
   */
  static void run(Sandbox sandbox, WanLink wan, Path dir) throws Exception {
    String topic = ChaosLoad.topic(Scenario.RETENTION_PURGE);
    keepTheCopy(sandbox, topic);
    String password = UUID.randomUUID().toString();
    Map<String, String> config =
        ControllerProcess.sandboxConfig(sandbox, dir, Map.of(LinkCut.VIEWER, "viewer"), password);
    try (ControllerProcess controller =
        new ControllerProcess(
            ControllerProcess.inBuildTree(), config, dir.resolve("controller-retention.log"))) {
      ControllerApi api =
          new ControllerApi(controller.url(), controller.tls(), LinkCut.VIEWER, password);
      LinkCut.awaitMeasured(api, ChaosMatrixIT.TENANT);
      ChaosLoad load = ChaosLoad.start(sandbox, Scenario.RETENTION_PURGE);
      load.expectLoss();
      load.runFor(Duration.ofSeconds(6));
      wan.cut();
      try {
        load.runFor(CUT);
      } finally {
        wan.heal();
      }
      load.runFor(Duration.ofSeconds(10));
      load.finish();
      Instant finished = Instant.now();
      JsonNode lag = awaitScannedAfter(api, finished);
      Map<Integer, List<String>> ranges = new TreeMap<>();
      Map<Integer, TreeSet<Long>> named = new TreeMap<>();
      long reported = 0;
      int unconfirmed = 0;
      for (JsonNode g : lag.path("flows").path(0).path("gaps")) {
        if (topic.equals(g.path("topic").asText())) {
          int partition = g.path("partition").asInt();
          long from = g.path("fromOffset").asLong();
          long to = g.path("toOffset").asLong();
          ranges
              .computeIfAbsent(partition, p -> new java.util.ArrayList<>())
              .add("[" + from + ", " + to + ")" + (g.path("confirmed").asBoolean() ? "" : "?"));
          for (long o = from; o < to; o++) {
            named.computeIfAbsent(partition, p -> new TreeSet<>()).add(o);
          }
          reported += to - from;
          unconfirmed += g.path("confirmed").asBoolean() ? 0 : 1;
        }
      }
      Map<Integer, List<Long>> lost = load.lostOffsets();
      Verdict v = load.verdict();
      System.out.printf(
          "retention purge: the checker finds %,d lost (%s); the controller's gaps on %s: %s, %,d"
              + " records (? unconfirmed); status %s%n",
          v.lost(), v.summary(), topic, ranges, reported, lag.path("status").asText());
      assertThat(v.lost()).as("records purged before they were copied (the fault)").isPositive();
      assertThat(unconfirmed).as("gaps still unconfirmed once the copy caught up").isZero();
      assertThat(reported)
          .as("records the controller's gaps name, against " + v)
          .isEqualTo(v.lost());
      for (int p = 0; p < Scenario.RETENTION_PURGE.partitions(); p++) {
        TreeSet<Long> byController = named.getOrDefault(p, new TreeSet<>());
        TreeSet<Long> byChecker = new TreeSet<>(lost.getOrDefault(p, List.of()));
        TreeSet<Long> onlyController = new TreeSet<>(byController);
        onlyController.removeAll(byChecker);
        TreeSet<Long> onlyChecker = new TreeSet<>(byChecker);
        onlyChecker.removeAll(byController);
        assertThat(onlyController.size() + onlyChecker.size())
            .as(
                "partition %d: offsets named lost by the controller only (first %s) or by the"
                    + " checker only (first %s)",
                p,
                onlyController.stream().limit(5).toList(),
                onlyChecker.stream().limit(5).toList())
            .isZero();
      }
      assertThat(lag.path("status").asText()).as("the tenant's status").isEqualTo("BREACH");
      assertCopyKeptItsRecords(sandbox, topic);
      load.row(
          String.format(
              "the controller's gaps name %,d records on %d partitions, the checker finds %,d lost",
              reported, ranges.size(), v.lost()));
    }
  }

  /** The tenant's lag as the first scan measured after {@code instant} served it. */
  private static JsonNode awaitScannedAfter(ControllerApi api, Instant instant) {
    JsonNode[] lag = new JsonNode[1];
    await("a scan of the controller measured after the copy caught up")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              lag[0] = api.get("/api/tenants/" + ChaosMatrixIT.TENANT + "/lag");
              JsonNode at = lag[0].path("flows").path(0).path("measuredAt");
              return !at.isMissingNode() && Instant.parse(at.asText()).isAfter(instant);
            });
    return lag[0];
  }

  /** Removes the retention MirrorMaker 2 copied onto the copy when it created it. */
  private static void keepTheCopy(Sandbox sandbox, String topic) throws Exception {
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      await(topic + " copied to the secondary")
          .atMost(Duration.ofSeconds(60))
          .until(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic));
      ConfigResource copy = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      List<AlterConfigOp> ops =
          SOURCE_TOPIC_CONFIG.keySet().stream()
              .map(k -> new AlterConfigOp(new ConfigEntry(k, ""), AlterConfigOp.OpType.DELETE))
              .toList();
      admin.incrementalAlterConfigs(Map.of(copy, ops)).all().get(10, TimeUnit.SECONDS);
    }
    assertCopyKeptItsRecords(sandbox, topic);
  }

  /** The copy has no retention of its own: MirrorMaker 2's config sync did not put it back. */
  private static void assertCopyKeptItsRecords(Sandbox sandbox, String topic) throws Exception {
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      ConfigResource copy = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      var entry =
          admin
              .describeConfigs(List.of(copy))
              .all()
              .get(10, TimeUnit.SECONDS)
              .get(copy)
              .get("retention.ms");
      assertThat(entry.source())
          .as("the copy's retention.ms (%s) set on the topic", entry.value())
          .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }
  }
}
