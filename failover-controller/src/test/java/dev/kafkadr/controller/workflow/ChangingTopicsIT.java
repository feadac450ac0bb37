package dev.kafkadr.controller.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.TenantsFileParser;
import dev.kafkadr.config.apply.ConfigApplier;
import dev.kafkadr.config.apply.ConfigPlan;
import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.config.connect.ConnectorStatus;
import dev.kafkadr.controller.lag.CopyIncarnations;
import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.Gap;
import dev.kafkadr.controller.lag.LagScanner;
import dev.kafkadr.controller.lag.PartitionLag;
import dev.kafkadr.controller.lag.RefusedRecord;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.tenant.Provenance;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Source topics that change while they replicate, on the sandbox with real MirrorMaker 2 connectors
 * (topics refreshed every second) and the controller's lag scanner: a topic deleted and created
 * again (the copy then holds two incarnations whose offsets overlap), and the same source offsets
 * copied twice (connector offsets reset). Every figure is compared with what the copy and the
 * source really hold.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangingTopicsIT {

  private static final String SOURCE_CONNECTOR = "chg.primary-to-secondary.source";
  private static final Duration COPIED = Duration.ofSeconds(60);
  private static final int BIG_LIMIT = 2_097_152;
  private static final int HUGE_LIMIT = 8_388_608;

  private Sandbox sandbox;
  private LagScanner scanner;
  private FlowSpec flow;
  private ClusterSpec target;
  private Path dir;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("kdr-changing-topics");
    sandbox =
        Sandbox.builder()
            .dns(false)
            .pluginPath(Path.of(System.getProperty("sandbox.plugin.dir")))
            // The log cleaner looks for work every half second (Kafka's default: 15 s).
            .brokerProperty("log.cleaner.backoff.ms", "500")
            // Retention is applied every second (Kafka's default: every 5 minutes).
            .brokerProperty("log.retention.check.interval.ms", "1000")
            .start();
    sandbox
        .primary()
        .createTopics(
            new NewTopic("chg.recreated", 1, (short) 1),
            new NewTopic("chg.skipped", 1, (short) 1),
            new NewTopic("chg.recopy", 1, (short) 1),
            new NewTopic("chg.grow", 1, (short) 1),
            new NewTopic("chg.stamped", 1, (short) 1)
                .configs(Map.of("message.timestamp.before.max.ms", "3000")),
            new NewTopic("chg.backfill", 1, (short) 1),
            new NewTopic("chg.compact", 1, (short) 1)
                .configs(
                    Map.of(
                        "cleanup.policy", "compact",
                        "segment.ms", "100",
                        "min.cleanable.dirty.ratio", "0.01",
                        "delete.retention.ms", "100")),
            new NewTopic("chg.big", 1, (short) 1)
                .configs(Map.of("max.message.bytes", Integer.toString(BIG_LIMIT))),
            new NewTopic("chg.aged", 1, (short) 1).configs(Map.of("retention.ms", "-1")),
            new NewTopic("chg.huge", 1, (short) 1)
                .configs(Map.of("max.message.bytes", Integer.toString(HUGE_LIMIT))),
            new NewTopic("slow.grow", 1, (short) 1));
    TenantsFile tenants = apply(3_145_728);
    flow = tenants.flows().get(0);
    target = tenants.cluster(Sandbox.SECONDARY);
    scanner =
        new LagScanner(
            tenants,
            0.5,
            500,
            dev.kafkadr.config.connect.ConnectEndpoints.open(
                Map.of(Sandbox.SECONDARY, sandbox.connectRestUrl())),
            Duration.ofSeconds(10),
            Clock.systemUTC(),
            dir.resolve("copy-runs.json"));
  }

  /** Whatever an earlier test left, replication runs. */
  @org.junit.jupiter.api.BeforeEach
  void running() {
    ConnectRestClient connect = sandbox.connect();
    if (!"RUNNING".equals(connect.status(SOURCE_CONNECTOR).state())) {
      connect.resume(SOURCE_CONNECTOR);
      connect.awaitRunning(SOURCE_CONNECTOR, Duration.ofSeconds(60));
    }
  }

  @AfterAll
  void stop() {
    if (scanner != null) {
      scanner.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  /**
   * Deleted and created again with fewer records than were copied: while replication is paused the
   * copy's newest record is of the old topic, and every record of the new one is at risk (not the 0
   * or the negative a comparison of offsets would give); once resumed, MM2 starts the new topic
   * from its first offset, the scan finds where its copies begin, and a group translates to the new
   * incarnation's copies, exactly.
   */
  @Test
  @Order(1)
  void aTopicCreatedAgainIsMeasuredAndTranslatedOnItsOwnCopies() throws Exception {
    TopicPartition tp = new TopicPartition("chg.recreated", 0);
    // The copy's newest source offset (99) lies past the new topic's end (30).
    recreatedWhilePaused(tp, 30, "source-recreated");
    List<long[]> copies = copies(tp);
    assertThat(copies).hasSize(130);
    List<CopyIncarnations.Segment> runs = runs(tp);
    assertThat(runs)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.kind()).isEqualTo("incarnation");
              assertThat(r.copyOffset()).isEqualTo(100);
              assertThat(r.firstSourceOffset()).isZero();
            });
    assertThat(gaps(tp)).isEmpty();
    try (ExactTranslator t = new ExactTranslator(target, Sandbox.PRIMARY)) {
      ExactTranslator.Translation exact = t.translate(tp, 10, 0, 130, runs, () -> -1, () -> -1);
      long naive = t.translate(tp, 10, 0, 130, () -> -1, () -> -1).offset();
      System.out.printf(
          "group at new offset 10: translated to copy offset %d (read again %d); without the"
              + " incarnations %d, a copy of the old topic's offset 10%n",
          exact.offset(), exact.mayReadAgain(), naive);
      assertThat(exact.offset()).isEqualTo(110);
      assertThat(exact.mayReadAgain()).isZero();
      assertThat(naive).isEqualTo(10);
    }
  }

  /**
   * Created again with more records than were copied: MM2 may go on at its old position and skip
   * the new topic's first records. Whatever it does, the scan reports exactly the source offsets of
   * the new topic never copied, as a gap, and measures the rest.
   */
  @Test
  @Order(2)
  void recordsOfATopicCreatedAgainThatMirrorMakerSkippedAreAGap() throws Exception {
    TopicPartition tp = new TopicPartition("chg.skipped", 0);
    // The new topic holds another record at the copy's newest source offset (99).
    recreatedWhilePaused(tp, 150, "older-incarnation");
    long firstNew =
        copies(tp).stream().filter(c -> c[2] == 1).mapToLong(c -> c[1]).min().orElseThrow();
    List<Gap> gaps = gaps(tp);
    System.out.printf(
        "MirrorMaker 2 resumed the new topic at its offset %d; gaps reported: %s%n",
        firstNew, gaps);
    if (firstNew == 0) {
      assertThat(gaps).isEmpty();
    } else {
      assertThat(gaps)
          .singleElement()
          .satisfies(
              g -> {
                assertThat(g.fromOffset()).isZero();
                assertThat(g.toOffset()).isEqualTo(firstNew);
              });
    }
    assertThat(partition(scan(), tp).lagRecords()).isZero();
  }

  /**
   * The connector's offsets reset: MM2 copies the topic again from its first offset, so the copy
   * holds every source offset twice. The scan finds where the second run begins; a group resumes in
   * it, exactly, where a search assuming offsets only rise would place it in the first run and read
   * 50 records twice more.
   */
  @Test
  @Order(3)
  void aTopicCopiedTwicePlacesAGroupInTheNewestRun() throws Exception {
    TopicPartition tp = new TopicPartition("chg.recopy", 0);
    produce(tp, "once-", 100);
    awaitCopied(tp);
    ConnectRestClient connect = sandbox.connect();
    connect.stop(SOURCE_CONNECTOR);
    connect.awaitStopped(SOURCE_CONNECTOR, Duration.ofSeconds(30));
    connect.resetOffsets(SOURCE_CONNECTOR);
    connect.resume(SOURCE_CONNECTOR);
    await().atMost(COPIED).until(() -> sandbox.secondary().endOffsetSum(tp.topic()) >= 200);
    assertThat(partition(scan(), tp).lagRecords()).isZero();

    List<CopyIncarnations.Segment> runs = runs(tp);
    assertThat(runs)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.kind()).isEqualTo("re-copy");
              assertThat(r.copyOffset()).isEqualTo(100);
              assertThat(r.firstSourceOffset()).isZero();
            });
    try (ExactTranslator t = new ExactTranslator(target, Sandbox.PRIMARY)) {
      ExactTranslator.Translation exact = t.translate(tp, 50, 0, 200, runs, () -> -1, () -> -1);
      long naive = t.translate(tp, 50, 0, 200, () -> -1, () -> -1).offset();
      System.out.printf(
          "group at 50 over a copy made twice: copy offset %d (read again %d); naive %d%n",
          exact.offset(), exact.mayReadAgain(), naive);
      assertThat(exact.offset()).isEqualTo(150);
      assertThat(exact.mayReadAgain()).isZero();
    }
  }

  /**
   * Partitions added on the source: with a 1 s topic refresh MM2 copies them within seconds; with
   * its default 10 minutes their records stay at risk, exactly counted (no copy partition yet), and
   * a drain that times out names them.
   */
  @Test
  @Order(4)
  void partitionsAddedOnTheSourceAreAtRiskUntilCopied() throws Exception {
    for (String topic : List.of("chg.grow", "slow.grow")) {
      TopicPartition first = new TopicPartition(topic, 0);
      produce(first, "before-", 20);
      String tenant = topic.substring(0, topic.indexOf('.'));
      await()
          .atMost(COPIED)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> partition(scan(tenant), first).lagRecords() == 0);
      try (Admin admin = Admin.create(sandbox.primary().adminConfig())) {
        admin
            .createPartitions(
                Map.of(topic, org.apache.kafka.clients.admin.NewPartitions.increaseTo(3)))
            .all()
            .get();
      }
      for (int p = 1; p < 3; p++) {
        produce(new TopicPartition(topic, p), "added-", 7);
      }
    }
    // Default refresh: nothing creates the copies' new partitions for 10 minutes.
    FlowLag slow = scan("slow");
    for (int p = 1; p < 3; p++) {
      PartitionLag added = partition(slow, new TopicPartition("slow.grow", p));
      assertThat(added.measuredBy()).isEqualTo("no-copy");
      assertThat(added.lagRecords()).isEqualTo(7);
    }
    assertThat(slow.lagRecords()).isEqualTo(14);
    String refusal = Moves.Drain.undrained(slow, Sandbox.SECONDARY);
    System.out.println("a drain timing out would say: " + refusal);
    assertThat(refusal)
        .contains("slow.grow-1 has no copy on secondary yet, 7 records")
        .contains("slow.grow-2 has no copy on secondary yet, 7 records");
    // A 1 s refresh: copied within seconds.
    long t0 = System.nanoTime();
    await()
        .atMost(COPIED)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              FlowLag chg = scan();
              return partition(chg, new TopicPartition("chg.grow", 2)).lagRecords() == 0
                  && partition(chg, new TopicPartition("chg.grow", 1)).lagRecords() == 0;
            });
    System.out.printf(
        "partitions added with a 1 s topic refresh: copied %.1f s later%n",
        (System.nanoTime() - t0) / 1e9);
    assertThat(sandbox.secondary().endOffsetSum("chg.grow")).isEqualTo(34);
  }

  /**
   * Records with old timestamps: a source that accepts records at most 3 s old at append time does
   * not make its copy refuse them when they are copied later (MM2 would sync the bound, and the
   * flow would stop on the first record copied late); a backfilled record a week old is copied and
   * measured like any other.
   */
  @Test
  @Order(5)
  void recordsWithOldTimestampsAreCopied() throws Exception {
    TopicPartition stamped = new TopicPartition("chg.stamped", 0);
    TopicPartition backfill = new TopicPartition("chg.backfill", 0);
    ConnectRestClient connect = sandbox.connect();
    connect.pause(SOURCE_CONNECTOR);
    long now = System.currentTimeMillis();
    produceAt(stamped, now - 1_000);
    produceAt(backfill, now - java.util.concurrent.TimeUnit.DAYS.toMillis(7));
    // until the stamped record is older than its source accepts (3 s), with a second to spare
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> System.currentTimeMillis() - (now - 1_000) >= 4_000);
    connect.resume(SOURCE_CONNECTOR);
    awaitCopied(stamped);
    awaitCopied(backfill);
    assertThat(sandbox.secondary().endOffsetSum(stamped.topic())).isEqualTo(1);
    assertThat(sandbox.secondary().endOffsetSum(backfill.topic())).isEqualTo(1);
    assertThat(gaps(backfill)).isEmpty();
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      var copy =
          new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.TOPIC, stamped.topic());
      String bound =
          admin
              .describeConfigs(List.of(copy))
              .all()
              .get()
              .get(copy)
              .get("message.timestamp.before.max.ms")
              .value();
      assertThat(bound).isEqualTo(Long.toString(Long.MAX_VALUE));
    }
  }

  /**
   * A record exactly as large as its source topic accepts (max.message.bytes 2 MiB): stamped with
   * its provenance header it is larger still, and the copy takes it, because the durability guard
   * raised the copy's max.message.bytes to the source's plus room for the header (MM2 created the
   * copy with the target's default, 1 MiB), and the tenant raised its replication producer's
   * max.request.size (rendered at 2 MiB, above Kafka's 1 MiB default, unless overridden).
   */
  @Test
  @Order(6)
  void aRecordAsLargeAsTheSourceAcceptsIsCopied() throws Exception {
    TopicPartition big = new TopicPartition("chg.big", 0);
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      var copy =
          new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.TOPIC, big.topic());
      await()
          .atMost(COPIED)
          .ignoreExceptions()
          .until(
              () ->
                  admin
                      .describeConfigs(List.of(copy))
                      .all()
                      .get()
                      .get(copy)
                      .get("max.message.bytes")
                      .value()
                      .equals(Integer.toString(BIG_LIMIT + 1024)));
    }
    int size = largestAccepted(big);
    System.out.printf("the largest value %s takes in one record: %,d bytes%n", big, size);
    awaitCopied(big);
    assertThat(sandbox.secondary().endOffsetSum(big.topic()))
        .isEqualTo(sandbox.primary().endOffsetSum(big.topic()));
    assertThat(sandbox.connect().status(SOURCE_CONNECTOR).isRunning()).isTrue();
  }

  /**
   * A compacted topic, its copy compacted too (MM2 syncs the cleanup policy): a group translates to
   * the first record the copy still holds at or after its position, and every record the copy holds
   * before that is one the group had read: exact for what the copy holds.
   */
  @Test
  @Order(7)
  void aGroupTranslatesExactlyOverACompactedCopy() throws Exception {
    TopicPartition tp = new TopicPartition("chg.compact", 0);
    try (var producer = primaryProducer()) {
      for (int round = 0; round < 10; round++) {
        long rolled = System.currentTimeMillis() + 150; // segment.ms is 100
        for (int key = 0; key < 10; key++) {
          producer.send(new ProducerRecord<>(tp.topic(), 0, "key-" + key, "v" + round)).get();
        }
        // a segment per round, so that the cleaner has closed ones to compact
        await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() >= rolled);
      }
    }
    awaitCopied(tp);
    await().atMost(COPIED).pollInterval(Duration.ofSeconds(1)).until(() -> copies(tp).size() < 100);
    List<long[]> held = copies(tp);
    System.out.printf(
        "compacted copy: %d of 100 records left, at copy offsets %s%n",
        held.size(), held.stream().map(c -> c[0]).toList());
    long end = sandbox.secondary().endOffsetSum(tp.topic());
    List<Long> positions = new ArrayList<>(List.of(0L, 100L));
    held.forEach(c -> positions.addAll(List.of(c[1], c[1] + 1)));
    for (long position : positions) {
      long at;
      try (ExactTranslator t = new ExactTranslator(target, Sandbox.PRIMARY)) {
        ExactTranslator.Translation tr =
            t.translate(tp, position, 0, end, runs(tp), () -> -1, () -> -1);
        assertThat(tr.mayReadAgain()).isZero();
        at = tr.offset();
      }
      for (long[] c : held) {
        if (c[0] < at) {
          assertThat(c[1])
              .as("copy offset %d, before the position of %d", c[0], position)
              .isLessThan(position);
        } else {
          assertThat(c[1])
              .as("copy offset %d, at or after the position of %d", c[0], position)
              .isGreaterThanOrEqualTo(position);
        }
      }
    }
    assertThat(partition(scan(), tp).lagRecords()).isZero();
  }

  /**
   * A record the source topic accepts (8 MiB limit) but the tenant's replication producer does not
   * (max.request.size 3 MiB): the source task fails and MirrorMaker 2 does not skip it (nothing of
   * the topic is copied past it); the scan names the record (partition, offset, size once stamped,
   * the limit), its size the one the producer's own error gives; once the tenant raises its limit
   * and applies, the task runs again and copies it.
   */
  @Test
  @Order(8)
  void aRecordLargerThanTheCopyAcceptsIsNamedAndNeverSkipped() throws Exception {
    TopicPartition huge = new TopicPartition("chg.huge", 0);
    awaitCopied(new TopicPartition("chg.big", 0)); // the flow runs before the record comes
    try (var producer = bytesProducer(HUGE_LIMIT)) {
      producer.send(new ProducerRecord<>(huge.topic(), 0, null, new byte[3_500_000])).get();
      producer.send(new ProducerRecord<>(huge.topic(), 0, null, new byte[10])).get();
    }
    await().atMost(COPIED).until(() -> !sandbox.connect().status(SOURCE_CONNECTOR).isRunning());
    String trace =
        sandbox.connect().status(SOURCE_CONNECTOR).tasks().stream()
            .map(ConnectorStatus.Task::trace)
            .filter(t -> t != null && t.contains("RecordTooLargeException"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no task failed on a record too large"));
    java.util.regex.Matcher said =
        java.util.regex.Pattern.compile("The message is (\\d+) bytes").matcher(trace);
    assertThat(said.find()).as(trace).isTrue();
    FlowLag lag = scan();
    System.out.printf("refused: %s%nConnect said: %s%n", lag.health().refused(), said.group());
    assertThat(lag.health().refused())
        .containsExactly(
            new RefusedRecord(
                huge.topic(),
                0,
                0,
                Integer.parseInt(said.group(1)),
                "max.request.size",
                3_145_728,
                "raise producer.override.max.request.size in the tenant's overrides and apply"));
    assertThat(partition(lag, huge).lagRecords()).isEqualTo(2);
    assertThat(sandbox.secondary().endOffsetSum(huge.topic())).isZero();

    apply(HUGE_LIMIT);
    awaitCopied(huge);
    assertThat(sandbox.secondary().endOffsetSum(huge.topic())).isEqualTo(2);
    assertThat(scan().health().refused()).isEmpty();
  }

  /**
   * A source keeping records forever, its copy keeping them a day (the target's own setting, as on
   * a topic created there before the migration): a backfilled record two days old is copied and the
   * target deletes the copy at once. The scan says so, measures from the source connector's
   * committed offset (lag 0), and reports neither a gap nor an empty copy.
   */
  @Test
  @Order(9)
  void aCopyOfARecordOlderThanTheCopysRetentionIsReportedAsDeleted() throws Exception {
    TopicPartition aged = new TopicPartition("chg.aged", 0);
    var copy =
        new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, aged.topic());
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      await()
          .atMost(COPIED)
          .ignoreExceptions()
          .until(() -> admin.describeConfigs(List.of(copy)).all().get().containsKey(copy));
      dev.kafkadr.testkit.kafka.TopicConfigs.set(
          admin, copy.name(), "retention.ms", Long.toString(Duration.ofDays(1).toMillis()));
    }
    produceAt(aged, System.currentTimeMillis() - Duration.ofDays(2).toMillis());
    await()
        .atMost(COPIED)
        .until(() -> sandbox.secondary().endOffsetSum(aged.topic()) == 1 && copies(aged).isEmpty());
    await()
        .atMost(COPIED)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> "connector-offsets".equals(partition(scan(), aged).measuredBy()));
    PartitionLag p = partition(scan(), aged);
    System.out.printf("a copy deleted by the target's retention: %s%n", p);
    assertThat(p.lagRecords()).isZero();
    assertThat(p.replicatedUpTo()).isEqualTo(1);
    assertThat(p.note())
        .contains("deleted every record of copy chg.aged-0 before offset 1")
        .contains("retention.ms is 86400000");
    assertThat(gaps(aged)).isEmpty();
    assertThat(sandbox.primary().endOffsetSum(aged.topic())).isEqualTo(1);
  }

  // --- helpers ------------------------------------------------------------------------------

  /**
   * Writes the tenants file, the tenant chg's replication producer allowed {@code maxRequestSize}
   * bytes, and applies it to the sandbox's Connect cluster.
   */
  private TenantsFile apply(long maxRequestSize) throws Exception {
    Path file = dir.resolve("tenants.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            sandbox.tenantsFileClusters().stripTrailing(),
            "flows: [{source: primary, target: secondary, tenants: [chg, slow]}]",
            "tenants:",
            "  - id: chg",
            "    topics: {include: [\"chg\\\\..*\"]}",
            "    naming: identical",
            "    rpo: 30s",
            "    rto: 5m",
            // chg.big takes 2 MiB records: the tenant raises its replication producer's limit.
            "    overrides: {replication.factor: 1, refresh.topics.interval.seconds: 1,",
            "                producer.override.max.request.size: " + maxRequestSize + "}",
            // MirrorMaker 2's default topic refresh: 10 minutes.
            "  - id: slow",
            "    topics: {include: [\"slow\\\\..*\"]}",
            "    naming: identical",
            "    rpo: 30s",
            "    rto: 5m",
            "    overrides: {replication.factor: 1}",
            ""));
    TenantsFile tenants = TenantsFileParser.parse(file);
    StringWriter progress = new StringWriter();
    ConfigApplier applier = new ConfigApplier(sandbox.connect(), new PrintWriter(progress, true));
    List<String> failures =
        applier.apply(
            ConfigPlan.of(ConnectConfigs.render(tenants), applier.current()),
            Duration.ofSeconds(90));
    assertThat(failures).as(progress.toString()).isEmpty();
    return tenants;
  }

  /** A producer of uncompressed byte records to the primary, of at most {@code maxRequestSize}. */
  private KafkaProducer<byte[], byte[]> bytesProducer(int maxRequestSize) {
    return new KafkaProducer<>(
        Map.<String, Object>of(
            "bootstrap.servers",
            sandbox.primary().bootstrapServers(),
            "acks",
            "all",
            "max.request.size",
            maxRequestSize,
            "compression.type",
            "none"),
        new org.apache.kafka.common.serialization.ByteArraySerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer());
  }

  /** Writes the largest record {@code tp} accepts (binary search on the broker's answers). */
  private int largestAccepted(TopicPartition tp) throws Exception {
    int lo = BIG_LIMIT - 4096;
    int hi = BIG_LIMIT;
    try (var producer = bytesProducer(3 * BIG_LIMIT)) {
      while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        try {
          producer
              .send(new ProducerRecord<>(tp.topic(), tp.partition(), null, new byte[mid]))
              .get();
          lo = mid;
        } catch (java.util.concurrent.ExecutionException e) {
          hi = mid - 1;
        }
      }
    }
    return lo;
  }

  private void produceAt(TopicPartition tp, long timestamp) throws Exception {
    try (var producer = primaryProducer()) {
      producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), timestamp, "k", "old")).get();
    }
  }

  private KafkaProducer<String, String> primaryProducer() {
    return new KafkaProducer<>(
        Map.<String, Object>of(
            "bootstrap.servers", sandbox.primary().bootstrapServers(), "acks", "all"),
        new StringSerializer(),
        new StringSerializer());
  }

  /**
   * 100 records copied; replication paused; the topic created again with {@code records} new ones:
   * the scan must say all of them are at risk, measured as {@code measuredBy}; then replication
   * resumes until the copy has everything.
   */
  private void recreatedWhilePaused(TopicPartition tp, int records, String measuredBy)
      throws Exception {
    produce(tp, "old-", 100);
    awaitCopied(tp);
    recreate(tp, "new-", records);
    PartitionLag paused = partition(scan(), tp);
    System.out.println("created again with " + records + " records, paused: " + paused);
    assertThat(paused.measuredBy()).isEqualTo(measuredBy);
    assertThat(paused.lagRecords()).isEqualTo(records);
    sandbox.connect().resume(SOURCE_CONNECTOR);
    awaitCopied(tp);
  }

  /** Pauses replication, deletes {@code tp}'s topic, creates it again and writes records to it. */
  private void recreate(TopicPartition tp, String prefix, int records) throws Exception {
    ConnectRestClient connect = sandbox.connect();
    connect.pauseRunning(SOURCE_CONNECTOR, Duration.ofSeconds(30));
    try (Admin admin = Admin.create(sandbox.primary().adminConfig())) {
      String before =
          admin
              .describeTopics(List.of(tp.topic()))
              .allTopicNames()
              .get()
              .get(tp.topic())
              .topicId()
              .toString();
      admin.deleteTopics(List.of(tp.topic())).all().get();
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> {
                admin.createTopics(List.of(new NewTopic(tp.topic(), 1, (short) 1))).all().get();
                return true;
              });
      String after =
          admin
              .describeTopics(List.of(tp.topic()))
              .allTopicNames()
              .get()
              .get(tp.topic())
              .topicId()
              .toString();
      assertThat(after).isNotEqualTo(before);
    }
    produce(tp, prefix, records);
  }

  private void produce(TopicPartition tp, String prefix, int records) throws Exception {
    try (var producer = primaryProducer()) {
      for (int i = 0; i < records; i++) {
        producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), "k" + i, prefix + i));
      }
      producer.flush();
    }
  }

  /** Scans until {@code tp}'s copy has everything, as the scanner measures it. */
  private void awaitCopied(TopicPartition tp) {
    await()
        .atMost(COPIED)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              PartitionLag p = partition(scan(), tp);
              return p.known() && p.lagRecords() == 0 && p.copyLogEnd() > 0;
            });
  }

  private FlowLag scan() {
    return scan("chg");
  }

  private FlowLag scan(String tenant) {
    return scanner.scan(List.of(flow)).flows().stream()
        .filter(f -> f.tenant().equals(tenant))
        .findFirst()
        .orElseThrow();
  }

  private static PartitionLag partition(FlowLag lag, TopicPartition tp) {
    return lag.partitions().stream()
        .filter(p -> p.topic().equals(tp.topic()) && p.partition() == tp.partition())
        .findFirst()
        .orElseThrow(() -> new AssertionError(tp + " not measured: " + lag));
  }

  private List<CopyIncarnations.Segment> runs(TopicPartition tp) {
    return scanner.incarnations().segments(Sandbox.PRIMARY, Sandbox.SECONDARY, tp);
  }

  private List<Gap> gaps(TopicPartition tp) {
    return scan().gaps().stream()
        .filter(g -> g.topic().equals(tp.topic()) && g.partition() == tp.partition())
        .toList();
  }

  /** The copy's records: {copy offset, source offset, 1 when its value starts "new-"}. */
  private List<long[]> copies(TopicPartition tp) {
    List<long[]> out = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of("bootstrap.servers", sandbox.secondary().bootstrapServers()),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          Header h = r.headers().lastHeader(Provenance.DEFAULT_HEADER);
          long source = Provenance.parse(h.value()).orElseThrow().originOffset();
          out.add(new long[] {r.offset(), source, r.value().startsWith("new-") ? 1 : 0});
        }
      }
    }
    return out;
  }
}
