package dev.kafkadr.controller.lag;

import dev.kafkadr.controller.lag.CopyIncarnations.Verified;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Finds where MirrorMaker 2 went on past records the source had discarded. Its consumer, finding
 * its position below the source's log start (retention or a deletion got there first), resets to
 * the log start and copies on: the copy then holds a record whose source offset lies past the one
 * before it. Walking the records copied since the last scan's newest, in copy order, every such
 * step names a range lost for certain; a step back is a re-copy (at-least-once duplicates) and
 * skips nothing. Only ranges below the source's log start count: past it, the source still holds
 * the records, and MirrorMaker 2 skipped only transaction markers and aborted records there. Below
 * it they cannot be read any more: on a transactional topic a step over a purged commit marker or
 * aborted records counts as lost offsets too (an over-report, the only direction an unreadable
 * range allows). State is in memory: after a restart the controller walks only what is copied from
 * its first scan on.
 *
 * <p>Asked only when the source's log start lies past the last record seen copied (the source
 * discarded something the last scan had not seen copied), so a copy that keeps ahead of retention
 * costs no read.
 */
final class CopySkips {

  private static final Logger LOG = Logger.getLogger(CopySkips.class);

  /** The most records one scan walks per partition; the rest is walked by the next scans. */
  static final int MAX_WALK = 20_000;

  private CopySkips() {}

  /**
   * Walks copy partition {@code copy} from the record after {@code from} up to {@code tail},
   * recording each range it skipped below {@code sourceStart} as a gap of {@code scene}'s flow.
   *
   * @return where the next walk starts: the last record walked, with the highest source offset
   *     copied up to it ({@code from} again when nothing could be read in time)
   */
  static Verified walk(
      CopyIncarnations.Scene scene,
      TopicPartition tp,
      TopicPartition copy,
      Verified from,
      CopyTail tail,
      long sourceStart) {
    Readers readers = scene.readers();
    long endExclusive = Math.min(tail.copyOffset() + 1, from.copyOffset() + 1 + MAX_WALK);
    PartitionReader.Reads reads =
        readers
            .target()
            .read(
                Map.of(copy, new long[] {from.copyOffset() + 1, endExclusive}),
                MAX_WALK,
                readers.timeout());
    List<ConsumerRecord<byte[], byte[]>> records = reads.records().getOrDefault(copy, List.of());
    LOG.debugf(
        "walk %s from copy offset %d (source %d) to %d, start %d: %d records, unfinished %s",
        copy,
        from.copyOffset(),
        from.sourceOffset(),
        endExclusive,
        sourceStart,
        records.size(),
        reads.unfinished());
    long expected = from.sourceOffset() + 1;
    long walked = from.copyOffset();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Optional<CopyTail> copied = CopyTail.of(r, readers.sourceAlias());
      walked = r.offset();
      if (copied.isEmpty()) {
        continue; // produced on the target, or copied from elsewhere
      }
      long s = copied.get().sourceOffset();
      if (s > expected && expected < sourceStart) {
        LOG.warnf(
            "%s -> %s: %s offsets [%d, %d) were discarded by the source before they were copied:"
                + " the copy %s went on from offset %d at copy offset %d",
            scene.flow().source(),
            scene.flow().target(),
            tp,
            expected,
            Math.min(s, sourceStart),
            copy,
            s,
            r.offset());
        scene
            .gaps()
            .record(
                scene.flow(),
                scene.layout().tenantOf().get(tp),
                tp,
                expected,
                Math.min(s, sourceStart),
                scene.now());
      }
      expected = Math.max(expected, s + 1);
    }
    if (records.isEmpty()) {
      if (reads.unfinished().contains(copy)) {
        return from; // not read in time: the next scan walks again
      }
      // The range ends at a copied record, so it is not empty: the copy no longer holds it (its
      // own retention got there first). What MirrorMaker 2 did there cannot be told; an
      // unconfirmed range stays unconfirmed, and the walk starts again from the newest record.
      LOG.infof(
          "%s: the copy no longer holds offsets [%d, %d) to tell whether records were skipped",
          copy, from.copyOffset() + 1, endExclusive);
      return new Verified(
          from.topicId(), tail.copyOffset(), Math.max(from.sourceOffset(), tail.sourceOffset()));
    }
    scene.gaps().walked(scene.flow(), scene.layout().tenantOf().get(tp), tp, expected);
    if (!reads.unfinished().contains(copy) && endExclusive == tail.copyOffset() + 1) {
      walked = tail.copyOffset(); // read to the tail (the last offsets may be markers)
    }
    return new Verified(from.topicId(), walked, expected - 1);
  }
}
