package dev.kafkadr.controller.lag;

import dev.kafkadr.tenant.Provenance;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * The records of a flow's source that are really at risk. Records that came from the flow's own
 * target (copies made the other way, or records a reconcile published again) are never copied back:
 * the provenance filter drops them. When they sit right at the first uncopied offset (the tail of
 * an active-active topic, or a reconcile's records after a failover), they are no lag: the first
 * offset at risk moves past them.
 */
final class AtRisk {

  private AtRisk() {}

  /**
   * What was read of the pending records.
   *
   * @param oldest per partition, the timestamp of the first record really at risk
   * @param firstUncopied per partition whose front held records from the target, where the records
   *     at risk begin past them
   * @param unread partitions whose front could not be read in time
   * @param oldestOffset per partition, the offset of the first record really at risk (a committed
   *     record: past any transaction marker or aborted record at the first uncopied offset)
   */
  record Front(
      Map<TopicPartition, Long> oldest,
      Map<TopicPartition, Long> firstUncopied,
      Set<TopicPartition> unread,
      Map<TopicPartition, Long> oldestOffset) {

    /** A front without offsets of its first records (they are then taken as the first uncopied). */
    Front(
        Map<TopicPartition, Long> oldest,
        Map<TopicPartition, Long> firstUncopied,
        Set<TopicPartition> unread) {
      this(oldest, firstUncopied, unread, Map.of());
    }
  }

  /**
   * Reads the front of each pending partition: skips records from {@code target} there (reading at
   * most {@code window} records) and finds the timestamp of the first record really at risk.
   *
   * @param pending per partition, [first uncopied, end)
   */
  static Front front(
      PartitionReader reader,
      Map<TopicPartition, long[]> pending,
      String target,
      int window,
      Duration deadline) {
    Map<TopicPartition, Long> oldest = new HashMap<>();
    Map<TopicPartition, Long> oldestOffset = new HashMap<>();
    Map<TopicPartition, Long> moved = new HashMap<>();
    Set<TopicPartition> unread = new HashSet<>();
    Map<TopicPartition, long[]> fromTarget = new HashMap<>();
    PartitionReader.Reads first = reader.read(pending, 1, deadline);
    unread.addAll(first.unfinished());
    first
        .records()
        .forEach(
            (tp, records) ->
                records.forEach(
                    r -> {
                      if (cameFrom(r, target)) {
                        fromTarget.put(tp, pending.get(tp));
                      } else {
                        oldest.put(tp, r.timestamp());
                        oldestOffset.put(tp, r.offset());
                      }
                    }));
    PartitionReader.Reads more = reader.read(fromTarget, window, deadline);
    unread.addAll(more.unfinished());
    more.records()
        .forEach(
            (tp, records) -> {
              long next = fromTarget.get(tp)[1];
              for (ConsumerRecord<byte[], byte[]> r : records) {
                if (!cameFrom(r, target)) {
                  next = r.offset();
                  oldest.put(tp, r.timestamp());
                  oldestOffset.put(tp, r.offset());
                  break;
                }
              }
              if (next == fromTarget.get(tp)[1] && records.size() == window) {
                // the window ended among such records: what lies past it still counts
                next = records.get(records.size() - 1).offset() + 1;
              }
              moved.put(tp, next);
            });
    return new Front(oldest, moved, unread, oldestOffset);
  }

  private static boolean cameFrom(ConsumerRecord<byte[], byte[]> r, String alias) {
    Header h = r.headers().lastHeader(Provenance.DEFAULT_HEADER);
    return h != null
        && Provenance.parse(h.value()).map(p -> p.originAlias().equals(alias)).orElse(false);
  }
}
