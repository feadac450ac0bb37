package dev.kafkadr.controller.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CompletenessTest {

  private static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyRecordCopiedOnceMatches() {
    Completeness c = new Completeness(10, 20, false);
    for (long o = 10; o < 20; o++) {
      c.source(o, k("k" + o), o * 7);
    }
    for (long o = 10; o < 20; o++) {
      c.copy(o + 100, o, k("k" + o), o * 7);
    }
    Completeness.Result r = c.result();
    assertThat(r.sourceRecords()).isEqualTo(10);
    assertThat(r.matched()).isEqualTo(10);
    assertThat(r.passed(false)).isTrue();
  }

  @Test
  void recordsCopiedBackFromTheCopyClusterAreCountedApartAndNotExpectedThere() {
    Completeness c = new Completeness(0, 6, false);
    c.source(0, k("a"), 0);
    c.copiedBack(k("b")); // 1..3: written on the copy cluster while the tenant was there
    c.copiedBack(k("b"));
    c.copiedBack(k("b"));
    c.source(4, k("a"), 4);
    c.source(5, k("a"), 5);
    for (long o : new long[] {0, 4, 5}) {
      c.copy(o + 10, o, k("a"), o);
    }
    Completeness.Result r = c.result();
    assertThat(r.sourceRecords()).isEqualTo(3);
    assertThat(r.matched()).isEqualTo(3);
    assertThat(r.copiedBack()).isEqualTo(3);
    assertThat(r.passed(false)).isTrue();

    Completeness compacted = new Completeness(0, 3, true);
    compacted.source(0, k("a"), 1);
    compacted.source(1, k("b"), 2);
    compacted.copiedBack(k("b")); // b's latest value is the copy cluster's own
    compacted.copy(10, 0, k("a"), 1);
    Completeness.Result p = compacted.result();
    assertThat(p.sourceRecords()).isEqualTo(1);
    assertThat(p.notYetCopied()).isZero();
    assertThat(p.copiedBack()).isEqualTo(1);
  }

  @Test
  void recordsBeforeTheCopysLogStartAreExpiredNotMissing() {
    Completeness c = new Completeness(0, 6, false);
    for (long o = 0; o < 6; o++) {
      c.source(o, k("k"), o);
    }
    c.copyLogStartsAt(2); // the copies of 0 and 1 were deleted by the copy's retention
    c.copy(10, 2, k("k"), 2);
    c.copy(11, 3, k("k"), 3);
    c.copy(12, 5, k("k"), 5); // 4: not copied
    Completeness.Result r = c.result();
    assertThat(r.expiredOnCopy()).isEqualTo(2);
    assertThat(r.matched()).isEqualTo(3);
    assertThat(r.notYetCopied()).isEqualTo(1);
    assertThat(r.firstNotCopied()).isEqualTo(4);
    assertThat(r.passed(true)).isFalse();
  }

  @Test
  void missingDifferingAndDuplicateCopiesAreCountedApartWithTheFirstOffsets() {
    Completeness c = new Completeness(0, 10, false);
    for (long o = 0; o < 10; o++) {
      if (o != 4) { // 4: an aborted record, or a transaction marker: the source holds nothing
        c.source(o, k("k"), o);
      }
    }
    c.copy(0, 0, k("k"), 0);
    c.copy(1, 1, k("k"), 1);
    c.copy(2, 1, k("k"), 1); // duplicate, same
    c.copy(3, 2, k("k"), 99); // differs
    c.copy(4, 3, k("k"), 3);
    c.copy(5, 4, k("k"), 4); // the source does not hold 4
    c.copy(6, 5, k("k"), 5);
    c.copy(7, 3, k("k"), 42); // duplicate that differs
    // 6..9 not yet copied
    Completeness.Result r = c.result();
    assertThat(r.sourceRecords()).isEqualTo(9);
    assertThat(r.matched()).isEqualTo(4); // 0, 1, 3, 5
    assertThat(r.notYetCopied()).isEqualTo(4);
    assertThat(r.firstNotCopied()).isEqualTo(6);
    assertThat(r.differs()).isEqualTo(1);
    assertThat(r.firstDifferingSourceOffset()).isEqualTo(2);
    assertThat(r.firstDifferingCopyOffset()).isEqualTo(3);
    assertThat(r.duplicates()).isEqualTo(2);
    assertThat(r.duplicatesDiffering()).isEqualTo(1);
    assertThat(r.notOnSource()).isEqualTo(1);
    assertThat(r.passed(true)).isFalse();
  }

  @Test
  void duplicatesPassAtLeastOnceOnlyAndTheRangeDigestDependsOnEveryRecord() {
    Completeness c = new Completeness(0, 2, false);
    c.source(0, k("a"), 1);
    c.source(1, k("b"), 2);
    c.copy(0, 0, k("a"), 1);
    c.copy(1, 1, k("b"), 2);
    c.copy(2, 1, k("b"), 2);
    assertThat(c.result().passed(true)).isTrue();
    assertThat(c.result().passed(false)).isFalse();

    Completeness other = new Completeness(0, 2, false);
    other.source(0, k("a"), 1);
    other.source(1, k("b"), 3);
    assertThat(other.result().rangeSha256()).isNotEqualTo(c.result().rangeSha256());
  }

  @Test
  void aCompactedTopicIsComparedOnEachKeysLatestValue() {
    Completeness c = new Completeness(0, 6, true);
    c.source(3, k("a"), 30); // the source compacted 0..2 away
    c.source(4, k("b"), 40);
    c.source(5, k("c"), 50);
    c.copy(0, 0, k("a"), 1); // an older value of a, kept by the copy's cleaner so far
    c.copy(1, 3, k("a"), 30);
    c.copy(2, 4, k("b"), 41); // differs
    Completeness.Result r = c.result();
    assertThat(r.compared()).contains("latest value per key");
    assertThat(r.sourceRecords()).isEqualTo(3);
    assertThat(r.matched()).isEqualTo(1);
    assertThat(r.differs()).isEqualTo(1);
    assertThat(r.firstDifferingSourceOffset()).isEqualTo(4);
    assertThat(r.notYetCopied()).isEqualTo(1);
    assertThat(r.firstNotCopied()).isEqualTo(5);
  }

  @Test
  void aRangeTooLongToHoldIsRefusedNamingIt() {
    assertThatThrownBy(() -> new Completeness(0, Completeness.MAX_RANGE + 1L, false))
        .hasMessageContaining("[0, 8000001)");
  }
}
