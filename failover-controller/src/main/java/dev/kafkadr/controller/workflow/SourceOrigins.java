package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.tenant.Provenance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a group stands on the target, told by the source's own records: after a round trip (a
 * failback), the source's partitions begin with copies of the target's records, each stamped with
 * its offset there. A group whose position lies among them resumes on the target right after the
 * original of the last one it read, exactly, although the target holds no copy from the source
 * before that position.
 */
final class SourceOrigins implements AutoCloseable {

  private static final Duration READ_DEADLINE = Duration.ofSeconds(15);

  private final String targetAlias;
  private final KafkaConsumer<byte[], byte[]> consumer;

  /** Reads {@code source}'s records, looking for copies of {@code targetAlias}'s. */
  SourceOrigins(ClusterSpec source, String targetAlias) {
    this.targetAlias = targetAlias;
    Map<String, Object> config =
        ClusterClients.readerConfig(source, "kdr-controller-origins-" + source.alias());
    config.put("max.poll.records", 1);
    config.put("fetch.max.wait.ms", 50);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * The target offset a group committed at {@code committed} on the source resumes from, when the
   * record before its position (or else the one at it) is a copy of a target record; -1 when not.
   */
  long targetPosition(TopicPartition tp, long committed) {
    if (committed > 0) {
      Optional<ConsumerRecord<byte[], byte[]>> before = first(tp, committed - 1);
      if (before.isPresent() && before.get().offset() == committed - 1) {
        Optional<Long> origin = origin(before.get());
        if (origin.isPresent()) {
          return origin.get() + 1;
        }
      }
    }
    return first(tp, committed).flatMap(this::origin).orElse(-1L);
  }

  private Optional<ConsumerRecord<byte[], byte[]>> first(TopicPartition tp, long from) {
    consumer.assign(List.of(tp));
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    if (from >= end) {
      return Optional.empty();
    }
    consumer.seek(tp, from);
    long deadline = System.nanoTime() + READ_DEADLINE.toNanos();
    while (System.nanoTime() < deadline && consumer.position(tp) < end) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  private Optional<Long> origin(ConsumerRecord<byte[], byte[]> r) {
    Header h = r.headers().lastHeader(Provenance.DEFAULT_HEADER);
    return Provenance.copiedFrom(h == null ? null : h.value(), targetAlias);
  }

  @Override
  public void close() {
    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
