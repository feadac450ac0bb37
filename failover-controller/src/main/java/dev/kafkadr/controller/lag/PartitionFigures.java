package dev.kafkadr.controller.lag;

import dev.kafkadr.controller.lag.measure.AtRiskBound;
import dev.kafkadr.controller.lag.measure.AtRiskBound.Measure;
import dev.kafkadr.controller.lag.measure.CopyPosition;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;

/**
 * One partition's figures from what a scan read of it: the bound ({@link AtRiskBound}) over the
 * high watermark; reduced to what an open transaction holds when the committed range left to copy
 * holds no committed record (only markers and aborted records); the age of the oldest record at
 * risk, the committed one at the front or the open transaction's first, whichever is older, and
 * never younger than the time since this controller first saw it ({@link UncopiedSince}).
 */
final class PartitionFigures {

  private PartitionFigures() {}

  /**
   * What the scan read of one source partition.
   *
   * @param start log start
   * @param stable last stable offset
   * @param highWatermark high watermark
   */
  record Source(long start, long stable, long highWatermark) {}

  static PartitionLag of(
      TopicPartition tp,
      TopicPartition copy,
      Measure m,
      CopyPosition position,
      Source source,
      AtRisk.Front front,
      SourceProducers producers,
      UncopiedSince.Partition seen,
      Instant measuredAt) {
    long copyEnd = position == null ? -1 : position.copyEnd();
    String copyTopic = copy == null ? null : copy.topic();
    Boolean transactional = producers.transactional(tp);
    OpenTransaction open = producers.open().get(tp);
    if (!m.known()) {
      return new PartitionLag(
          tp.topic(),
          tp.partition(),
          copyTopic,
          source.start(),
          source.stable(),
          source.highWatermark(),
          copyEnd,
          -1,
          m.measuredBy(),
          -1,
          -1,
          -1,
          m.unknownReason(),
          transactional,
          open,
          null);
    }
    long from = Math.max(front.firstUncopied().getOrDefault(tp, m.firstUncopied()), source.start());
    boolean committedPending = from < source.stable();
    Long ts = front.oldest().get(tp);
    boolean unread = committedPending && front.unread().contains(tp);
    long lag;
    long replicatedUpTo = from;
    if (committedPending && ts == null && !unread) {
      // The range read holds no committed record: markers and aborted records only.
      lag = AtRiskBound.heldOnly(source.stable(), source.highWatermark());
      replicatedUpTo = source.stable();
    } else {
      lag = Math.max(0, source.highWatermark() - from);
    }
    long oldest = lag == 0 ? -1 : ts == null ? -1 : ts;
    // the offset the floor dates: the first committed record at risk, never a marker before it
    long dated = front.oldestOffset().getOrDefault(tp, replicatedUpTo);
    if (lag > 0 && open != null && open.since() >= 0 && (oldest < 0 || open.since() < oldest)) {
      oldest = open.since();
      dated = open.startOffset();
    }
    Long ended = producers.endedSince().get(tp);
    if (lag > 0 && open == null && ended != null && (oldest < 0 || ended < oldest)) {
      oldest = ended;
    }
    double age =
        age(lag, oldest, seen.since(dated, source.highWatermark(), measuredAt), measuredAt);
    String unknown =
        unread
            ? "the oldest record not copied could not be read in time (kdr.scan.read-timeout)"
            : lag > 0 && oldest < 0
                ? open != null
                    ? "the open transaction's first record could not be read: its age is unknown"
                    : "records were held behind the last stable offset by a transaction that"
                        + " ended before it could be described, and the first of them could not"
                        + " be read in time: their age is unknown"
                : null;
    return new PartitionLag(
        tp.topic(),
        tp.partition(),
        copyTopic,
        source.start(),
        source.stable(),
        source.highWatermark(),
        copyEnd,
        replicatedUpTo,
        m.measuredBy(),
        lag,
        unknown != null ? -1 : age,
        unknown != null ? -1 : oldest,
        unknown,
        transactional,
        open,
        position != null && position.kind() == CopyPosition.Kind.CONNECTOR_OFFSETS
            ? position.reason()
            : null);
  }

  /**
   * The age in seconds of the oldest record at risk, stamped {@code oldest}, and never under the
   * time since this controller first saw it ({@code since}, its own clock; {@link UncopiedSince}),
   * whatever its producer's clock said: 0 with nothing at risk.
   */
  private static double age(long lag, long oldest, long since, Instant measuredAt) {
    double age = oldest < 0 ? 0 : Math.max(0, (measuredAt.toEpochMilli() - oldest) / 1000.0);
    if (lag > 0 && oldest >= 0 && since >= 0) {
      age = Math.max(age, (measuredAt.toEpochMilli() - since) / 1000.0);
    }
    return age;
  }
}
