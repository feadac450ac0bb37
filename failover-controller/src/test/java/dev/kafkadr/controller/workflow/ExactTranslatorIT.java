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

  @BeforeAll
  static void copies() throws Exception {
    sandbox = Sandbox.builder().dns(false).connectWorkers(0).start();
    target = new ClusterSpec("secondary", sandbox.secondary().bootstrapServers(), Map.of());
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
    }
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
    }
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
      assertThat(translator.translate(UNSTAMPED_FIRST, 3, 0, 10, () -> -1))
          .isEqualTo(translation(0, 5, false));
      // MM2's checkpoint, at or before the position, narrows it.
      assertThat(translator.translate(UNSTAMPED_FIRST, 3, 0, 10, () -> 2))
          .isEqualTo(translation(2, 3, true));
      // A checkpoint past the first stamped copy at or after the position is not believed.
      assertThat(translator.translate(UNSTAMPED_FIRST, 3, 0, 10, () -> 7))
          .isEqualTo(translation(0, 5, false));
      // Past the unstamped records, exact again.
      assertThat(translator.translate(UNSTAMPED_FIRST, 7, 0, 10, () -> -1))
          .isEqualTo(translation(7, 0, false));
    }
  }

  @Test
  void recordsProducedOnTheTargetBetweenCopiesAreNeverSkipped() {
    try (var translator = new ExactTranslator(target, "primary")) {
      assertThat(translator.translate(NATIVE_BETWEEN, 3, 0, 10, () -> -1))
          .isEqualTo(translation(3, 0, false));
      // Committed at 6 or 8 on the source: the copy cannot say how far into offsets 5..7 that is.
      assertThat(translator.translate(NATIVE_BETWEEN, 6, 0, 10, () -> -1))
          .isEqualTo(translation(5, 3, false));
      assertThat(translator.translate(NATIVE_BETWEEN, 8, 0, 10, () -> 8))
          .isEqualTo(translation(8, 0, true));
      assertThat(translator.translate(NATIVE_BETWEEN, 9, 0, 10, () -> -1))
          .isEqualTo(translation(9, 0, false));
    }
  }

  private static ExactTranslator.Translation translation(
      long offset, long mayReadAgain, boolean checkpoint) {
    return new ExactTranslator.Translation(offset, mayReadAgain, checkpoint);
  }
}
