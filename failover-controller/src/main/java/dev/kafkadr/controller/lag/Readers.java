package dev.kafkadr.controller.lag;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Single-record reads of one flow's source and copies, for deciding which incarnation a copied
 * record came from: each read bounded by {@code timeout}.
 *
 * @param sourceAlias the flow's source cluster alias (the provenance a copy must carry)
 * @param source reader of the source cluster (committed records)
 * @param target reader of the target cluster (committed records)
 * @param timeout the longest one read may take
 */
record Readers(
    String sourceAlias, PartitionReader source, PartitionReader target, Duration timeout) {

  /** How many records past a copy offset are searched for one copied from the flow's source. */
  static final int WINDOW = 50;

  /**
   * The first record at or after copy offset {@code from} (and before {@code end}) copied from the
   * flow's source; empty when there is none within {@link #WINDOW} records or the read timed out.
   */
  Optional<CopyTail> copyAt(TopicPartition copy, long from, long end) {
    if (from >= end) {
      return Optional.empty();
    }
    PartitionReader.Reads reads =
        target.read(Map.of(copy, new long[] {from, Math.min(end, from + WINDOW)}), WINDOW, timeout);
    for (ConsumerRecord<byte[], byte[]> r : reads.records().getOrDefault(copy, List.of())) {
      Optional<CopyTail> t = CopyTail.of(r, sourceAlias);
      if (t.isPresent()) {
        return t;
      }
    }
    return Optional.empty();
  }

  /** Whether source partition {@code tp} holds now the record {@code tail} was copied from. */
  boolean sourceHolds(TopicPartition tp, CopyTail tail) {
    long o = tail.sourceOffset();
    PartitionReader.Reads reads = source.read(Map.of(tp, new long[] {o, o + 1}), 1, timeout);
    List<ConsumerRecord<byte[], byte[]>> got = reads.records().getOrDefault(tp, List.of());
    return !got.isEmpty() && tail.copies(got.get(0));
  }
}
