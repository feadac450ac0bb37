package dev.kafkadr.controller.lag.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class AtRiskBoundTest {

  @Test
  void provenanceCountsFromTheFirstUncopiedOffsetToTheEnd() {
    var m = AtRiskBound.measure(CopyPosition.provenance(41, 80), 0, 100);
    assertThat(m.firstUncopied()).isEqualTo(42);
    assertThat(m.lagRecords()).isEqualTo(58);
    assertThat(m.measuredBy()).isEqualTo("provenance");
    assertThat(m.known()).isTrue();
    assertThat(m.sourceBehindCopy()).isFalse();
  }

  @Test
  void recordsAlreadyGoneFromTheSourceAreNotLagButAGap() {
    var m = AtRiskBound.measure(CopyPosition.provenance(9, 10), 30, 40);
    assertThat(m.firstUncopied()).isEqualTo(10);
    assertThat(m.lagRecords()).isEqualTo(10);
  }

  @Test
  void aCopyVerifiedAbsentOrNeverWrittenMeansEverythingTheSourceHoldsIsAtRisk() {
    var none = AtRiskBound.measure(CopyPosition.noCopy(), 5, 25);
    assertThat(none.measuredBy()).isEqualTo("no-copy");
    assertThat(none.firstUncopied()).isEqualTo(5);
    assertThat(none.lagRecords()).isEqualTo(20);
    assertThat(AtRiskBound.measure(CopyPosition.emptyCopy(), 0, 7).measuredBy())
        .isEqualTo("empty-copy");
  }

  @Test
  void aReadThatFailedGivesNoFigureAtAll() {
    var m = AtRiskBound.measure(CopyPosition.unknown("listOffsets timed out after 5 s", -1), 0, 99);
    assertThat(m.known()).isFalse();
    assertThat(m.lagRecords()).isEqualTo(-1);
    assertThat(m.unknownReason()).isEqualTo("listOffsets timed out after 5 s");
  }

  @Test
  void aCopyPastTheSourceEndSaysTheSourceWentBackwards() {
    var m = AtRiskBound.measure(CopyPosition.provenance(99, 100), 0, 3);
    assertThat(m.sourceBehindCopy()).isTrue();
    assertThat(m.lagRecords()).isZero();
  }

  /**
   * Ten records committed (offsets 0-9, marker 10), five aborted (11-15, marker 16): everything
   * committed is copied (the newest copy names offset 9), yet offsets 10-16 lie past it. Counted as
   * offsets that is 7; the range read holds no committed record, so nothing is at risk.
   */
  @Test
  void markersAndAbortedRecordsAloneAreNoLag() {
    var m = AtRiskBound.measure(CopyPosition.provenance(9, 10), 0, 17);
    assertThat(m.lagRecords()).isEqualTo(7);
    assertThat(AtRiskBound.heldOnly(17, 17)).isZero();
  }

  /** An open transaction holds the last stable offset at 20 while 30 offsets are written. */
  @Test
  void recordsBehindAnOpenTransactionAreAtRisk() {
    assertThat(AtRiskBound.measure(CopyPosition.provenance(19, 20), 0, 30).lagRecords())
        .isEqualTo(10);
    assertThat(AtRiskBound.heldOnly(20, 30)).isEqualTo(10);
  }

  /**
   * The order matters. Under load the copy moves between two reads: read the source's end first
   * (100 at t1) and the copy after it (150 at t2), and the copy is past the end that was read: the
   * old scan took that for a recreated topic and reported everything from offset 0 at risk.
   */
  @Test
  void readingTheSourceBeforeTheCopyCannotBeTrusted() {
    assertThat(AtRiskBound.measure(CopyPosition.provenance(149, 150), 0, 100).sourceBehindCopy())
        .isTrue();
  }

  // --- properties over generated histories of one partition -----------------------------------

  /** One step of a partition's life. */
  enum Step {
    APPEND,
    COPY,
    TRIM,
    NOTHING,
    OPEN_TRANSACTION,
    END_TRANSACTION
  }

  /** A partition's life, and the two instants a scan reads it (copy at t1, source at t2). */
  record Life(List<Step> steps, int t1, int t2) {}

  @Provide
  Arbitrary<Life> lives() {
    Arbitrary<List<Step>> steps =
        Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Step.APPEND)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(Step.COPY)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.TRIM)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Step.NOTHING)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.OPEN_TRANSACTION)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.END_TRANSACTION)))
            .list()
            .ofMinSize(1)
            .ofMaxSize(200);
    return steps.flatMap(
        s ->
            Combinators.combine(
                    Arbitraries.integers().between(0, s.size()),
                    Arbitraries.integers().between(0, s.size()))
                .as((a, b) -> new Life(s, Math.min(a, b), Math.max(a, b))));
  }

  /**
   * The state after each step: {start, high watermark, copied up to, last stable offset}. While a
   * transaction is open, what is appended waits behind it; replication (read committed) copies in
   * order up to the last stable offset only; ending a transaction writes its marker.
   */
  private static List<long[]> states(List<Step> steps) {
    List<long[]> out = new ArrayList<>();
    long start = 0;
    long hw = 0;
    long copied = 0;
    long stable = 0;
    boolean open = false;
    out.add(new long[] {start, hw, copied, stable});
    for (Step s : steps) {
      switch (s) {
        case APPEND -> {
          hw++;
          stable = open ? stable : hw;
        }
        case COPY -> {
          copied = Math.max(copied, start);
          if (copied < stable) {
            copied++;
          }
        }
        case TRIM -> start = Math.min(stable, start + 1);
        case OPEN_TRANSACTION -> open = true;
        case END_TRANSACTION -> {
          if (open) {
            hw++; // the marker
            stable = hw;
            open = false;
          }
        }
        default -> {}
      }
      out.add(new long[] {start, hw, copied, stable});
    }
    return out;
  }

  @Property(tries = 2000)
  void theFigureIsNeverBelowTheRecordsNotCopiedAtAnyMomentOfTheScan(@ForAll("lives") Life life) {
    List<long[]> states = states(life.steps());
    long[] atT1 = states.get(life.t1());
    long[] atT2 = states.get(life.t2());
    var m = AtRiskBound.measure(CopyPosition.provenance(atT1[2] - 1, atT1[2]), atT2[0], atT2[1]);
    for (int t = life.t1(); t <= life.t2(); t++) {
      long[] s = states.get(t);
      // Records of the source at t that still exist at t2 and were not on the copy at t.
      long truth = Math.max(0, s[1] - Math.max(s[2], atT2[0]));
      assertThat(m.lagRecords()).as("at step %d of %s", t, life).isGreaterThanOrEqualTo(truth);
    }
  }

  @Property(tries = 1000)
  void withNothingWrittenOrCopiedBetweenTheReadsTheFigureIsExact(@ForAll("lives") Life life) {
    List<long[]> states = states(life.steps());
    long[] s = states.get(life.t1());
    var m = AtRiskBound.measure(CopyPosition.provenance(s[2] - 1, s[2]), s[0], s[1]);
    assertThat(m.lagRecords()).isEqualTo(Math.max(0, s[1] - Math.max(s[2], s[0])));
  }
}
