package dev.kafkadr.controller.lag;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.ClusterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads ranges of many partitions of one cluster at once, with one consumer that fetches them
 * together (a fetch request carries every partition a broker leads), committed records only unless
 * made otherwise.
 */
final class PartitionReader implements AutoCloseable {

  private static final Duration DEADLINE = Duration.ofSeconds(15);

  private final KafkaConsumer<byte[], byte[]> consumer;

  PartitionReader(ClusterSpec cluster) {
    this(cluster, true);
  }

  /** A reader of committed records only, or with {@code committed} false of every record. */
  PartitionReader(ClusterSpec cluster, boolean committed) {
    Map<String, Object> config =
        ClusterClients.readerConfig(
            cluster,
            "kdr-controller-" + (committed ? "reader-" : "uncommitted-reader-") + cluster.alias());
    if (!committed) {
      config.put("isolation.level", "read_uncommitted");
    }
    config.put("max.partition.fetch.bytes", 262_144);
    // Ranges end where the data ends: no reason to wait for more.
    config.put("fetch.max.wait.ms", 50);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * What a read got: the records of each partition, and the partitions it could not finish before
   * its deadline (their records, if any, are partial).
   *
   * @param records per partition, in offset order
   * @param unfinished partitions not read to the end of their range
   */
  record Reads(
      Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records,
      Set<TopicPartition> unfinished) {

    /**
     * The records, all partitions finished.
     *
     * @throws IllegalStateException naming the partitions that were not
     */
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> all() {
      if (!unfinished.isEmpty()) {
        throw new IllegalStateException(
            "could not read " + unfinished.size() + " partition(s) in time: " + unfinished);
      }
      return records;
    }
  }

  /**
   * The records of each partition from {@code ranges[0]} (inclusive) until {@code ranges[1]}
   * (exclusive), at most {@code max} per partition, committed records only, within {@code
   * deadline}; a partition whose range holds only markers or compacted-away offsets yields none.
   */
  Reads read(Map<TopicPartition, long[]> ranges, int max, Duration deadline) {
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> out = new HashMap<>();
    if (ranges.isEmpty()) {
      return new Reads(out, Set.of());
    }
    consumer.assign(ranges.keySet());
    ranges.forEach((tp, range) -> consumer.seek(tp, range[0]));
    Set<TopicPartition> open = new HashSet<>(ranges.keySet());
    long until = System.nanoTime() + deadline.toNanos();
    while (!open.isEmpty() && System.nanoTime() < until) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        long[] range = ranges.get(tp);
        List<ConsumerRecord<byte[], byte[]>> list = out.computeIfAbsent(tp, k -> new ArrayList<>());
        if (open.contains(tp) && r.offset() < range[1] && list.size() < max) {
          list.add(r);
        }
      }
      List<TopicPartition> done = new ArrayList<>();
      for (TopicPartition tp : open) {
        List<ConsumerRecord<byte[], byte[]>> list = out.getOrDefault(tp, List.of());
        if (consumer.position(tp) >= ranges.get(tp)[1] || list.size() >= max) {
          done.add(tp);
        }
      }
      done.forEach(open::remove);
      consumer.pause(done);
    }
    consumer.unsubscribe();
    return new Reads(out, Set.copyOf(open));
  }

  /** The same with the default deadline of 15 s, every partition finished or an exception. */
  Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> read(
      Map<TopicPartition, long[]> ranges, int max) {
    return read(ranges, max, DEADLINE).all();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
