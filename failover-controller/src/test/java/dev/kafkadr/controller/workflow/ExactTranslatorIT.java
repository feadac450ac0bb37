package dev.kafkadr.controller.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.tenant.Provenance;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offset translation against copies on a real broker: exact where every copy carries provenance,
 * and never past the group's position where some do not (a stock-MM2 history, or records produced
 * on the target while it was the primary), with the records it may read again counted and MM2's
 * checkpoint used only inside the range provenance allows.
 */
class ExactTranslatorIT {

  private static final String TOPIC = "copies";
  private static final String HOME = "home";
  private static Sandbox sandbox;
  private static ClusterSpec target;

  /** Partition 0: copies of source offsets 100..109, every one stamped. */
  private static final TopicPartition STAMPED = new TopicPartition(TOPIC, 0);

  /** Partition 1: 5 records without provenance, then copies of source offsets 5..9. */
  private static final TopicPartition UNSTAMPED_FIRST = new TopicPartition(TOPIC, 1);

  /**
   * Partition 2: copies of 0..4, 3 records produced on the target itself, copies of 8..9 (the
   * source's 5..7 were copies of those 3, which carry the target's alias there).
   */
  private static final TopicPartition NATIVE_BETWEEN = new TopicPartition(TOPIC, 2);

  /**
   * The copy of a transactional source partition: committed 0..9 (commit marker 10), aborted 11..15
   * (abort marker 16), committed 17..19 (marker 20). A read-committed flow copies the 13 committed
   * records only: copy offsets 0..9 name 0..9, 10..12 name 17..19.
   */
  private static final TopicPartition TRANSACTIONAL = new TopicPartition("txcopies", 0);

  @BeforeAll
  static void copies() throws Exception {
    sandbox = Sandbox.builder().dns(false).connectWorkers(0).start();
    target = new ClusterSpec("secondary", sandbox.secondary().bootstrapServers(), Map.of());
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(TOPIC, 3, (short) 1),
                  new NewTopic(HOME, 2, (short) 1),
                  new NewTopic(TRANSACTIONAL.topic(), 1, (short) 1)))
          .all()
          .get();
    }
    try (Admin admin = Admin.create(sandbox.primary().adminConfig())) {
      admin.createTopics(List.of(new NewTopic(HOME, 2, (short) 1))).all().get();
    }
    roundTrip();
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                "bootstrap.servers", sandbox.secondary().bootstrapServers(), "acks", "all"),
            new StringSerializer(),
            new StringSerializer())) {
      for (long o = 100; o < 110; o++) {
        producer.send(copy(STAMPED, o, "primary")).get();
      }
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord<>(TOPIC, 1, "k", "no provenance " + i)).get();
      }
      for (long o = 5; o < 10; o++) {
        producer.send(copy(UNSTAMPED_FIRST, o, "primary")).get();
      }
      for (long o = 0; o < 5; o++) {
        producer.send(copy(NATIVE_BETWEEN, o, "primary")).get();
      }
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>(TOPIC, 2, "k", "produced on the target " + i)).get();
      }
      for (long o = 8; o < 10; o++) {
        producer.send(copy(NATIVE_BETWEEN, o, "primary")).get();
      }
      for (long o : new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 17, 18, 19}) {
        producer.send(copy(TRANSACTIONAL, o, "primary")).get();
      }
    }
  }

  /**
   * Topic {@code home} after a round trip, the tenant now going home to secondary. Partition 0: on
   * secondary 6 records of its own, then copies of primary's 6 and 7; on primary copies of
   * secondary's 0..5, then 2 records of its own. Partition 1 (idle while away): 4 records of its
   * own on secondary, their 4 copies on primary.
   */
  private static void roundTrip() throws Exception {
    try (var secondary = producer(sandbox.secondary().bootstrapServers());
        var primary = producer(sandbox.primary().bootstrapServers())) {
      for (int p = 0; p < 2; p++) {
        int own = p == 0 ? 6 : 4;
        for (long o = 0; o < own; o++) {
          secondary.send(new ProducerRecord<>(HOME, p, "k", "own " + o)).get();
          primary.send(copy(new TopicPartition(HOME, p), o, "secondary")).get();
        }
      }
      for (long o = 6; o < 8; o++) {
        primary.send(new ProducerRecord<>(HOME, 0, "k", "own on primary " + o)).get();
        secondary.send(copy(new TopicPartition(HOME, 0), o, "primary")).get();
      }
    }
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
        new StringSerializer(),
        new StringSerializer());
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private static ProducerRecord<String, String> copy(TopicPartition tp, long origin, String alias) {
    var r = new ProducerRecord<>(tp.topic(), tp.partition(), "k", "copy of " + origin);
    r.headers().add(Provenance.DEFAULT_HEADER, new Provenance(1, origin, 0L, alias).toBytes());
    return r;
  }

  @Test
  void everyCopyStampedTranslatesExactlyWithoutAskingForACheckpoint() {
    AtomicInteger asked = new AtomicInteger();
    try (var translator = new ExactTranslator(target, "primary")) {
      for (long committed : new long[] {0, 100, 105, 109, 110, 500}) {
        var t =
            translator.translate(
                STAMPED,
                committed,
                0,
                10,
                () -> {
                  asked.incrementAndGet();
                  return 3;
                },
                () -> {
                  asked.incrementAndGet();
                  return 3;
                });
        long expected = Math.min(10, Math.max(0, committed - 100));
        assertThat(t).as("committed " + committed).isEqualTo(translation(expected, 0, false));
      }
      assertThat(asked).as("checkpoints asked").hasValue(0);
      // a binary search, not a scan: 6 translations of a 10-record copy
      assertThat(translator.reads()).isLessThan(6 * 10);
    }
  }

  @Test
  void recordsWithoutProvenanceBeforeThePositionAreReadAgainRatherThanSkipped() {
    try (var translator = new ExactTranslator(target, "primary")) {
      // Source offset 3 lies among the unstamped records 0..4: resume at 0, up to 5 read again.
      assertThat(translator.translate(UNSTAMPED_FIRST, 3, 0, 10, () -> -1, () -> -1))
          .isEqualTo(translation(0, 5, false));
      // MM2's checkpoint, at or before the position, narrows it.
      assertThat(translator.translate(UNSTAMPED_FIRST, 3, 0, 10, () -> 2, () -> -1))
          .isEqualTo(translation(2, 3, true));
      // A checkpoint past the first stamped copy at or after the position is not believed.
      assertThat(translator.translate(UNSTAMPED_FIRST, 3, 0, 10, () -> 7, () -> -1))
          .isEqualTo(translation(0, 5, false));
      // Past the unstamped records, exact again.
      assertThat(translator.translate(UNSTAMPED_FIRST, 7, 0, 10, () -> -1, () -> -1))
          .isEqualTo(translation(7, 0, false));
    }
  }

  @Test
  void recordsProducedOnTheTargetBetweenCopiesAreNeverSkipped() {
    try (var translator = new ExactTranslator(target, "primary")) {
      assertThat(translator.translate(NATIVE_BETWEEN, 3, 0, 10, () -> -1, () -> -1))
          .isEqualTo(translation(3, 0, false));
      // Committed at 6 or 8 on the source: the copy cannot say how far into offsets 5..7 that is.
      assertThat(translator.translate(NATIVE_BETWEEN, 6, 0, 10, () -> -1, () -> -1))
          .isEqualTo(translation(5, 3, false));
      assertThat(translator.translate(NATIVE_BETWEEN, 8, 0, 10, () -> 8, () -> -1))
          .isEqualTo(translation(8, 0, true));
      assertThat(translator.translate(NATIVE_BETWEEN, 9, 0, 10, () -> -1, () -> -1))
          .isEqualTo(translation(9, 0, false));
    }
  }

  @Test
  void goingHomeTheSourcesCopiesOfTheTargetsRecordsPlaceTheGroupExactly() {
    ClusterSpec primary =
        new ClusterSpec("primary", sandbox.primary().bootstrapServers(), Map.of());
    TopicPartition busy = new TopicPartition(HOME, 0);
    TopicPartition idle = new TopicPartition(HOME, 1);
    try (var translator = new ExactTranslator(target, "primary");
        var origins = new SourceOrigins(primary, "secondary")) {
      // Without the source's word, only a range: everything before the first copy may be re-read.
      assertThat(translator.translate(busy, 6, 0, 8, () -> -1, () -> -1))
          .isEqualTo(translation(0, 6, false));
      for (long committed : new long[] {0, 3, 6}) {
        assertThat(
                translator.translate(
                    busy, committed, 0, 8, () -> -1, () -> origins.targetPosition(busy, committed)))
            .as("committed " + committed)
            .isEqualTo(translation(committed, 0, false));
      }
      // past the records of its own on primary: exact from the copies alone
      assertThat(translator.translate(busy, 7, 0, 8, () -> -1, () -> -1))
          .isEqualTo(translation(7, 0, false));
      // a partition nobody wrote while away: the group read everything, it re-reads nothing
      assertThat(
              translator.translate(idle, 4, 0, 4, () -> -1, () -> origins.targetPosition(idle, 4)))
          .isEqualTo(translation(4, 0, false));
      assertThat(origins.targetPosition(busy, 8))
          .as("after a record of primary's own")
          .isEqualTo(-1);
    }
  }

  /**
   * A group of a transactional source committed just past a commit marker, inside a run of aborted
   * records, at the abort marker, or further: it resumes exactly at the copy of the first committed
   * record at or after its position, reading nothing twice and skipping nothing.
   */
  @Test
  void positionsAmongMarkersAndAbortedRecordsTranslateExactly() {
    Map<Long, Long> expected = Map.of(9L, 9L, 10L, 10L, 13L, 10L, 16L, 10L, 17L, 10L, 18L, 11L);
    try (var translator = new ExactTranslator(target, "primary")) {
      expected.forEach(
          (committed, copyOffset) ->
              assertThat(translator.translate(TRANSACTIONAL, committed, 0, 13, () -> -1, () -> -1))
                  .as("committed at source offset " + committed)
                  .isEqualTo(translation(copyOffset, 0, false)));
      assertThat(translator.translate(TRANSACTIONAL, 21, 0, 13, () -> -1, () -> -1))
          .as("committed at the end")
          .isEqualTo(translation(13, 0, false));
    }
  }

  private static ExactTranslator.Translation translation(
      long offset, long mayReadAgain, boolean checkpoint) {
    return new ExactTranslator.Translation(offset, mayReadAgain, checkpoint);
  }
}
