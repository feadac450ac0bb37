package dev.kafkadr.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The demo's measure of replication lag for topics MM2 copies from offset 0 (copies named with
 * {@code copyPrefix}, empty for identical names): per partition, source log-end offset minus target
 * log-end offset, and the age of the oldest source record not yet on the target (its timestamp,
 * read from the source).
 *
 * <p>That subtraction is exact only because the demo's target topics start empty and MM2 copies
 * every record from offset 0 with no gaps and no filtering; the controller's lag monitor will use
 * MM2's offset syncs instead.
 */
final class LagProbe implements AutoCloseable {

  /** Lag of one partition. */
  record PartitionLag(TopicPartition source, long sourceEnd, long targetEnd, long ageMillis) {
    long records() {
      return Math.max(0, sourceEnd - targetEnd);
    }
  }

  private final Admin source;
  private final Admin target;
  private final KafkaConsumer<byte[], byte[]> reader;
  private final KafkaConsumer<byte[], byte[]> targetReader;
  private final String copyPrefix;

  /**
   * A probe of the copies (named {@code copyPrefix} + source name) of source partitions, with each
   * cluster's connection settings ({@code bootstrap.servers} and security).
   */
  LagProbe(Map<String, Object> source, Map<String, Object> target, String copyPrefix) {
    this.source = Admin.create(source);
    this.target = Admin.create(target);
    this.reader = singleRecordReader(source);
    this.targetReader = singleRecordReader(target);
    this.copyPrefix = copyPrefix;
  }

  private static KafkaConsumer<byte[], byte[]> singleRecordReader(Map<String, Object> cluster) {
    Map<String, Object> config = new java.util.HashMap<>(cluster);
    config.put("enable.auto.commit", "false");
    config.put("max.poll.records", "1");
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The first record of partition 0 of {@code topic} on the target, with its headers, if any. */
  Optional<String> describeFirstReplicated(String topic) {
    TopicPartition tp = new TopicPartition(topic, 0);
    targetReader.assign(Set.of(tp));
    targetReader.seekToBeginning(Set.of(tp));
    for (ConsumerRecord<byte[], byte[]> r : targetReader.poll(Duration.ofMillis(500))) {
      StringBuilder headers = new StringBuilder();
      r.headers()
          .forEach(
              h ->
                  headers
                      .append(' ')
                      .append(h.key())
                      .append('=')
                      .append(new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
      return Optional.of(
          r.topic()
              + "-"
              + r.partition()
              + "@"
              + r.offset()
              + " key="
              + new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)
              + " headers:"
              + headers);
    }
    return Optional.empty();
  }

  /** Whether {@code topic} exists on the target. */
  boolean targetHasTopic(String topic) throws InterruptedException {
    try {
      return target.listTopics().names().get().contains(topic);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list the target's topics: " + e.getCause(), e);
    }
  }

  /** Measures every partition of {@code partitions} now. */
  List<PartitionLag> measure(Collection<TopicPartition> partitions) throws InterruptedException {
    Map<TopicPartition, Long> sourceEnds = ends(source, partitions);
    Map<TopicPartition, TopicPartition> remote =
        partitions.stream()
            .collect(
                Collectors.toMap(
                    tp -> tp, tp -> new TopicPartition(copyPrefix + tp.topic(), tp.partition())));
    Map<TopicPartition, Long> targetEnds = ends(target, remote.values());
    long now = System.currentTimeMillis();
    List<PartitionLag> out = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      long sourceEnd = sourceEnds.getOrDefault(tp, 0L);
      long targetEnd = targetEnds.getOrDefault(remote.get(tp), 0L);
      long age = targetEnd < sourceEnd ? now - timestampAt(tp, targetEnd) : 0;
      out.add(new PartitionLag(tp, sourceEnd, targetEnd, Math.max(0, age)));
    }
    return out;
  }

  private long timestampAt(TopicPartition tp, long offset) {
    reader.assign(Set.of(tp));
    reader.seek(tp, offset);
    for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(500))) {
      return record.timestamp();
    }
    return System.currentTimeMillis();
  }

  /** Log-end offsets; a partition that does not exist (yet) is left out. */
  private static Map<TopicPartition, Long> ends(Admin admin, Collection<TopicPartition> partitions)
      throws InterruptedException {
    Map<TopicPartition, OffsetSpec> request =
        partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
    var result = admin.listOffsets(request);
    Map<TopicPartition, Long> out = new java.util.HashMap<>();
    for (TopicPartition tp : partitions) {
      try {
        out.put(tp, result.partitionResult(tp).get().offset());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new IllegalStateException("cannot list offsets of " + tp + ": " + e.getCause(), e);
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    reader.close();
    targetReader.close();
    source.close();
    target.close();
  }
}
