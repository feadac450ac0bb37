package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.config.cli.KdrCli;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.testkit.history.CheckedProducer;
import dev.kafkadr.testkit.history.CopyReader;
import dev.kafkadr.testkit.history.History;
import dev.kafkadr.testkit.history.Sender;
import dev.kafkadr.testkit.history.Verdict;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once replication (KIP-618) against at-least-once, each proven by a Connect worker killed
 * with SIGKILL in the middle of a backlog copy and started again, judged by the history checker
 * through a {@code read_committed} consumer of the copy. The sandbox runs two Connect groups: the
 * default one and one with {@code exactly.once.source.support=enabled}. Offsets are flushed every
 * 10 minutes, so an at-least-once task killed mid-copy has committed none of what it copied.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactlyOnceIT {

  private static final int PARTITIONS = 3;
  private static final int BACKLOG = 150_000;
  private static final int BEFORE_MOVE = 20_000;
  private static final Duration COPIED = Duration.ofSeconds(120);

  private Sandbox sandbox;
  @TempDir Path dir;

  @BeforeAll
  void start() {
    sandbox =
        Sandbox.builder()
            .dns(false)
            .exactlyOnceWorkers(1)
            .connectProperty("offset.flush.interval.ms", "600000")
            .pluginPath(Path.of(System.getProperty("kdr.plugin.dir")))
            .start();
    sandbox
        .primary()
        .createTopics(
            new NewTopic("plain.events", PARTITIONS, (short) 1),
            new NewTopic("ledger.events", PARTITIONS, (short) 1));
    System.out.println(sandbox.summary());
  }

  @AfterAll
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void atLeastOnceCopiesRecordsAgainAfterAWorkerIsKilledMidCopy() throws Exception {
    History history = History.create();
    produce(history, 0, "plain.events", BACKLOG);
    try (CopyReader copy = reader(history, "plain.events", true)) {
      assertThat(kdr(file("plain", false)).text()).contains("applied;");

      long atKill = killMidCopy("connect-1", "plain.events");
      Verdict v = awaitCopied(history, "copy");

      System.out.printf(
          "at-least-once: worker killed with %,d of %,d records copied; %s%n",
          atKill, BACKLOG, v.summary());
      assertThat(v.lost()).as("lost").isZero();
      assertThat(v.readButFailed()).isZero();
      // The detector works: what was copied before the kill, never committed, is copied again.
      assertThat(v.readTwice()).as("records read twice").isPositive();
    }
  }

  @Test
  void exactlyOnceCopiesEveryRecordOnceThroughAMoveAndAWorkerKilledMidCopy() throws Exception {
    History history = History.create();
    produce(history, 0, "ledger.events", BEFORE_MOVE);
    try (CopyReader copy = reader(history, "ledger.events", true);
        CopyReader everything = reader(history, "ledger.events", false)) {
      // At least once on the default Connect cluster first, as a tenant is before its rollout.
      assertThat(kdr(file("ledger", false)).text()).contains("applied;");
      assertThat(awaitCopied(history, "copy").lost()).isZero();
      // A backlog builds up while its replication is paused...
      sandbox.connect().pause("ledger.primary-to-secondary.source");
      produce(history, 1, "ledger.events", BACKLOG);

      // ...then exactly once: its connectors move to the exactly-once cluster, offsets and all.
      String moved = kdr(file("ledger", true)).text();
      assertThat(moved)
          .contains(
              "> move   ledger.primary-to-secondary.source from Connect cluster default to eos",
              "moved ledger.primary-to-secondary.source from Connect cluster default to eos with"
                  + " the source offsets of "
                  + PARTITIONS
                  + " partition(s)",
              "applied;");
      long atKill = killMidCopy("connect-eos-1", "ledger.events");
      Verdict v = awaitCopied(history, "copy");
      Verdict raw = history.verdict("uncommitted");

      System.out.printf(
          "exactly-once: worker killed with %,d of %,d records copied; %s; a read_uncommitted"
              + " reader of the same copy read %,d records twice (what the killed task had written"
              + " in its open transaction)%n",
          atKill, BEFORE_MOVE + BACKLOG, v.summary(), raw.readTwice());
      assertThat(v.lost()).as("lost").isZero();
      assertThat(v.readTwice()).as("records read twice").isZero();
      assertThat(v.outOfOrder()).as("records out of order").isZero();
      assertThat(v.readButFailed()).isZero();
      assertThat(v.others()).isZero();
    }
  }

  /** Kills {@code role} once its copy holds a third of the backlog, then starts it again. */
  private long killMidCopy(String role, String topic) throws Exception {
    long start = copied(topic);
    try {
      org.awaitility.Awaitility.await()
          .atMost(COPIED)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> copied(topic) - start >= BACKLOG / 3);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // killed all the same; the assertion below says how far the copy got
    }
    sandbox.kill(role);
    long atKill = copied(topic);
    assertThat(atKill - start)
        .as("records of the backlog copied when " + role + " was killed")
        .isBetween((long) BACKLOG / 3, (long) BACKLOG - 1);
    sandbox.restart(role);
    return atKill;
  }

  /** Records in the copy of {@code topic}, every record written (committed or not, or aborted). */
  private long copied(String topic) {
    return sandbox.secondary().endOffsetSum(topic);
  }

  private Verdict awaitCopied(History history, String reader) {
    try {
      return org.awaitility.Awaitility.await()
          .atMost(COPIED)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> history.verdict(reader), v -> v.lost() == 0);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return history.verdict(reader); // the caller's assertions say what is missing
    }
  }

  /** Writes {@code count} records to {@code topic} as fast as the primary takes them. */
  private void produce(History history, int index, String topic, int count) throws Exception {
    Map<String, Object> c = new HashMap<>(sandbox.primary().adminConfig());
    c.put("acks", "all");
    c.put("linger.ms", 5);
    CheckedProducer producer =
        new CheckedProducer(
            history,
            index,
            Sender.of(
                new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer()),
                Sandbox.PRIMARY),
            List.of(topic),
            PARTITIONS * 4,
            0,
            100);
    try (producer) {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> producer.sent() >= count || producer.failure() != null);
      producer.stop(Duration.ofSeconds(30));
      assertThat(producer.failure()).isNull();
      System.out.printf(
          "produced %,d records to %s at %,.0f records/s%n",
          producer.acked(), topic, producer.achievedRate());
    }
  }

  private CopyReader reader(History history, String topic, boolean committedOnly) {
    return new CopyReader(
        history,
        committedOnly ? "copy" : "uncommitted",
        Sandbox.SECONDARY,
        sandbox.secondary().adminConfig(),
        List.of(topic),
        Duration.ofSeconds(1),
        committedOnly);
  }

  /** A tenants file with one tenant, on the default Connect cluster or exactly once on eos. */
  private Path file(String tenant, boolean exactlyOnce) throws Exception {
    String yaml =
        sandbox.tenantsFileClusters()
            + sandbox.tenantsFileConnectClusters()
            + "flows: [{source: primary, target: secondary, tenants: ["
            + tenant
            + "]}]\n"
            + "tenants:\n"
            + "  - id: "
            + tenant
            + "\n    topics: {include: [\""
            + tenant
            + "\\\\..*\"]}\n"
            + "    groups: {include: [\""
            + tenant
            + "-.*\"]}\n"
            + "    naming: identical\n"
            + "    rpo: 30s\n"
            + "    rto: 5m\n"
            + "    overrides: {replication.factor: 1}\n"
            + (exactlyOnce ? "    delivery: exactly-once\n    connectCluster: eos\n" : "");
    Path file = dir.resolve(tenant + (exactlyOnce ? "-eos" : "") + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private record Result(int code, String text) {}

  private Result kdr(Path file) {
    StringWriter out = new StringWriter();
    int code =
        KdrCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(out))
            .execute(
                "config",
                "apply",
                "--file",
                file.toString(),
                "--connect",
                sandbox.connectRestUrl(),
                "--timeout",
                "90");
    System.out.println("kdr config apply -> " + code + "\n" + out);
    assertThat(code).as("kdr config apply exit code; output:\n" + out).isZero();
    return new Result(code, out.toString());
  }
}
