package dev.kafkadr.controller.lag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.controller.lag.measure.AtRiskBound;
import dev.kafkadr.controller.lag.measure.CopyPosition;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A partition whose records sit behind its last stable offset: everything up to the stable offset
 * copied, three records between it and the high watermark. The scan reads the offsets first and
 * describes the producers after, so the transaction holding them may have ended in between.
 */
class PartitionFiguresTest {

  private static final TopicPartition TP = new TopicPartition("shop.output", 0);
  private static final Instant MEASURED = Instant.ofEpochMilli(1_800_000_010_000L);
  private static final PartitionFigures.Source SOURCE = new PartitionFigures.Source(0, 100, 103);
  // The copy holds everything up to offset 100 (exclusive): the first uncopied offset is 100.
  private static final CopyPosition COPY = CopyPosition.provenance(99, 100);
  // The committed range left to copy, [100, 100), holds nothing: no committed record at risk.
  private static final AtRisk.Front FRONT = new AtRisk.Front(Map.of(), Map.of(), Set.of());

  @Test
  void recordsHeldByATransactionThatEndedBeforeItWasDescribedAreAtRiskWithTheirAge() {
    SourceProducers producers =
        new SourceProducers(Set.of(TP), Set.of(TP), Map.of(), Map.of(TP, 1_800_000_004_000L));

    PartitionLag lag = figures(producers);

    assertThat(lag.known()).isTrue();
    assertThat(lag.lagRecords()).isEqualTo(3);
    assertThat(lag.lagSeconds()).isEqualTo(6.0);
    assertThat(lag.oldestUnreplicatedTimestamp()).isEqualTo(1_800_000_004_000L);
  }

  @Test
  void whenTheFirstHeldRecordCannotBeReadTheAgeIsUnknownAndSaysWhy() {
    SourceProducers producers = new SourceProducers(Set.of(TP), Set.of(TP), Map.of(), Map.of());

    PartitionLag lag = figures(producers);

    assertThat(lag.known()).isFalse();
    assertThat(lag.lagRecords()).isEqualTo(3);
    assertThat(lag.unknownReason())
        .isEqualTo(
            "records were held behind the last stable offset by a transaction that ended before"
                + " it could be described, and the first of them could not be read in time: their"
                + " age is unknown");
  }

  @Test
  void anOpenTransactionGivesTheAgeOfItsFirstRecord() {
    OpenTransaction open = OpenTransaction.of(7L, 100, 1_800_000_001_000L, 1_800_000_009_000L, 3);
    SourceProducers producers =
        new SourceProducers(Set.of(TP), Set.of(TP), Map.of(TP, open), Map.of());

    PartitionLag lag = figures(producers);

    assertThat(lag.lagSeconds()).isEqualTo(9.0);
    assertThat(lag.openTransaction()).isEqualTo(open);
  }

  @Test
  void recordsStampedByAProducerWhoseClockRunsAheadAreAsOldAsTheControllerFirstSawThem() {
    // the record at 100, stamped 5 minutes after the scan measured it (its producer's clock)
    TopicPartition tp = new TopicPartition("shop.input", 0);
    PartitionFigures.Source source = new PartitionFigures.Source(0, 110, 110);
    CopyPosition copy = CopyPosition.provenance(99, 100);
    AtRisk.Front front =
        new AtRisk.Front(
            Map.of(tp, MEASURED.plusSeconds(300).toEpochMilli()), Map.of(tp, 100L), Set.of());
    UncopiedSince seen = new UncopiedSince();
    seen.since("primary->secondary", tp, 100, 110, MEASURED.minusSeconds(7));

    PartitionLag lag = noProducers(tp, copy, source, front, seen);

    assertThat(lag.lagRecords()).isEqualTo(10);
    assertThat(lag.lagSeconds()).as("seen 7 s before, stamped in the future").isEqualTo(7.0);
  }

  @Test
  void aMarkerAtTheFirstUncopiedOffsetIsNotDatedAsTheRecordAtRisk() {
    // copied up to 99; 100 is the last transaction's commit marker (never copied); the partition
    // stood still an hour, then a transaction wrote 101-109, committed (marker 110), 1 s ago
    TopicPartition tp = new TopicPartition("shop.output", 1);
    PartitionFigures.Source source = new PartitionFigures.Source(0, 111, 111);
    CopyPosition copy = CopyPosition.provenance(99, 100);
    long stamped = MEASURED.minusSeconds(1).toEpochMilli();
    AtRisk.Front front =
        new AtRisk.Front(Map.of(tp, stamped), Map.of(), Set.of(), Map.of(tp, 101L));
    UncopiedSince seen = new UncopiedSince();
    seen.since("primary->secondary", tp, 100, 101, MEASURED.minusSeconds(3600));
    seen.since("primary->secondary", tp, 100, 111, MEASURED.minusSeconds(1));

    PartitionLag lag = noProducers(tp, copy, source, front, seen);

    assertThat(lag.lagSeconds()).as("the marker's hour is not the record's age").isEqualTo(1.0);
  }

  /** {@code tp}'s figures with no transactional producer on it, dated by {@code seen}. */
  private static PartitionLag noProducers(
      TopicPartition tp,
      CopyPosition copy,
      PartitionFigures.Source source,
      AtRisk.Front front,
      UncopiedSince seen) {
    SourceProducers none = new SourceProducers(Set.of(), Set.of(), Map.of(), Map.of());
    return of(tp, copy, source, front, none, seen);
  }

  private static PartitionLag figures(SourceProducers producers) {
    return of(TP, COPY, SOURCE, FRONT, producers, new UncopiedSince());
  }

  private static PartitionLag of(
      TopicPartition tp,
      CopyPosition copy,
      PartitionFigures.Source source,
      AtRisk.Front front,
      SourceProducers producers,
      UncopiedSince seen) {
    return PartitionFigures.of(
        tp,
        tp,
        AtRiskBound.measure(copy, source.start(), source.stable()),
        copy,
        source,
        front,
        producers,
        seen.of("primary->secondary", tp),
        MEASURED);
  }
}
