package dev.kafkadr.controller.lag;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersOptions;
import org.apache.kafka.clients.admin.DescribeProducersResult;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Who writes to source partitions, from {@code describeProducers} (one request per broker): which
 * partitions have transactional producers (their offsets hold markers, so offsets over-count
 * records) and the open transaction that holds each partition's last stable offset, with the
 * timestamp of its first record (read uncommitted).
 *
 * <p>The offsets are read before the producers are described, so a transaction that held a
 * partition's last stable offset may have ended in between (a Kafka Streams application commits
 * every 100 ms): its records were at risk when measured, and their age is that of the first record
 * at or after the last stable offset, read uncommitted (an aborted record there makes the age an
 * over-statement, never an under-statement).
 *
 * @param answered partitions whose producers were described
 * @param transactional partitions with an active transactional producer
 * @param open the earliest open transaction per partition
 * @param endedSince per partition whose records were held behind its last stable offset by a
 *     transaction that ended before it could be described, the timestamp of the first held record
 *     (epoch ms)
 */
record SourceProducers(
    Set<TopicPartition> answered,
    Set<TopicPartition> transactional,
    Map<TopicPartition, OpenTransaction> open,
    Map<TopicPartition, Long> endedSince) {

  /** Nothing known (no partition asked about). */
  static final SourceProducers NONE = new SourceProducers(Set.of(), Set.of(), Map.of(), Map.of());

  /** Whether {@code tp} has a transactional producer; null when it was not described. */
  Boolean transactional(TopicPartition tp) {
    return answered.contains(tp) ? transactional.contains(tp) || open.containsKey(tp) : null;
  }

  /**
   * Describes the producers of {@code partitions}; a partition whose answer failed is left out.
   *
   * @param stables each partition's last stable offset as the scan read it
   * @param highWatermarks each partition's high watermark, for the records a transaction holds
   */
  static SourceProducers describe(
      ClusterAccess clusters,
      Admin admin,
      PartitionReader uncommitted,
      Collection<TopicPartition> partitions,
      Map<TopicPartition, Long> stables,
      Map<TopicPartition, Long> highWatermarks)
      throws InterruptedException {
    if (partitions.isEmpty()) {
      return NONE;
    }
    DescribeProducersResult result =
        clusters.count(
            admin.describeProducers(
                partitions,
                new DescribeProducersOptions().timeoutMs((int) clusters.timeout().toMillis())));
    Set<TopicPartition> answered = new HashSet<>();
    Set<TopicPartition> transactional = new HashSet<>();
    Map<TopicPartition, ProducerState> earliest = new HashMap<>();
    long until = System.nanoTime() + clusters.timeout().plusSeconds(1).toNanos();
    for (TopicPartition tp : partitions) {
      List<ProducerState> states;
      try {
        states =
            result
                .partitionResult(tp)
                .get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)
                .activeProducers();
      } catch (ExecutionException | TimeoutException e) {
        continue;
      }
      answered.add(tp);
      for (ProducerState p : states) {
        if (p.coordinatorEpoch().isPresent()) {
          transactional.add(tp);
        }
        if (p.currentTransactionStartOffset().isPresent()
            && (earliest.get(tp) == null
                || p.currentTransactionStartOffset().getAsLong()
                    < earliest.get(tp).currentTransactionStartOffset().getAsLong())) {
          earliest.put(tp, p);
        }
      }
    }
    Map<TopicPartition, long[]> firsts = new HashMap<>();
    earliest.forEach(
        (tp, p) -> {
          long start = p.currentTransactionStartOffset().getAsLong();
          firsts.put(tp, new long[] {start, start + 1});
        });
    Set<TopicPartition> ended = new HashSet<>();
    for (TopicPartition tp : answered) {
      Long stable = stables.get(tp);
      Long hw = highWatermarks.get(tp);
      if (!earliest.containsKey(tp) && stable != null && hw != null && stable < hw) {
        ended.add(tp);
        firsts.put(tp, new long[] {stable, hw});
      }
    }
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> read =
        uncommitted.read(firsts, 1, clusters.timeout()).records();
    Map<TopicPartition, Long> endedSince = new HashMap<>();
    for (TopicPartition tp : ended) {
      List<ConsumerRecord<byte[], byte[]>> first = read.getOrDefault(tp, List.of());
      if (!first.isEmpty()) {
        endedSince.put(tp, first.get(0).timestamp());
      }
    }
    Map<TopicPartition, OpenTransaction> open = new HashMap<>();
    earliest.forEach(
        (tp, p) -> {
          long start = p.currentTransactionStartOffset().getAsLong();
          List<ConsumerRecord<byte[], byte[]>> first = read.getOrDefault(tp, List.of());
          long since = first.isEmpty() ? -1 : first.get(0).timestamp();
          long held = Math.max(0, highWatermarks.getOrDefault(tp, start) - start);
          open.put(tp, OpenTransaction.of(p.producerId(), start, since, p.lastTimestamp(), held));
        });
    return new SourceProducers(answered, transactional, open, endedSince);
  }
}
