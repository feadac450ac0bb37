package dev.kafkadr.controller.lag;

import dev.kafkadr.tenant.Provenance;
import java.util.HashMap;
import java.util.Map;
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
   * Moves each pending partition's first uncopied offset past records from {@code target} at its
   * front (reading at most {@code window} records), and returns the timestamp of the first record
   * really at risk per partition.
   *
   * @param pending per partition, [first uncopied, end)
   * @param firstUncopied updated where records from the target were skipped
   */
  static Map<TopicPartition, Long> oldest(
      PartitionReader reader,
      Map<TopicPartition, long[]> pending,
      String target,
      int window,
      Map<TopicPartition, Long> firstUncopied) {
    Map<TopicPartition, Long> oldest = new HashMap<>();
    Map<TopicPartition, long[]> fromTarget = new HashMap<>();
    reader
        .read(pending, 1)
        .forEach(
            (tp, records) ->
                records.forEach(
                    r -> {
                      if (cameFrom(r, target)) {
                        fromTarget.put(tp, pending.get(tp));
                      } else {
                        oldest.put(tp, r.timestamp());
                      }
                    }));
    reader
        .read(fromTarget, window)
        .forEach(
            (tp, records) -> {
              long next = fromTarget.get(tp)[1];
              for (ConsumerRecord<byte[], byte[]> r : records) {
                if (!cameFrom(r, target)) {
                  next = r.offset();
                  oldest.put(tp, r.timestamp());
                  break;
                }
              }
              if (next == fromTarget.get(tp)[1] && records.size() == window) {
                // the window ended among such records: what lies past it still counts
                next = records.get(records.size() - 1).offset() + 1;
              }
              firstUncopied.put(tp, next);
            });
    return oldest;
  }

  private static boolean cameFrom(ConsumerRecord<byte[], byte[]> r, String alias) {
    Header h = r.headers().lastHeader(Provenance.DEFAULT_HEADER);
    return h != null
        && Provenance.parse(h.value()).map(p -> p.originAlias().equals(alias)).orElse(false);
  }
}
