package dev.kafkadr.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CopyIndexTest {

  /** A copy of {@code t-0} holding, at copy offsets 0.., the given source offsets. */
  private static CopyIndex copyOf(long... sourceOffsets) {
    History history = History.create();
    int topic = history.topic("t");
    ReadLog log = history.reader("copy");
    for (int i = 0; i < sourceOffsets.length; i++) {
      log.read(History.id(0, i), i, 0, topic, 0, i, sourceOffsets[i]);
    }
    return CopyIndex.of(history, "copy");
  }

  @Test
  void aPositionAtTheCommittedRecordsCopySkipsAndRepeatsNothing() {
    CopyIndex index = copyOf(10, 11, 12, 13, 14);
    assertThat(index.resume("t", 0, 2, 12)).isEqualTo(new CopyIndex.Resume(0, 0));
  }

  @Test
  void aPositionBeforeItReadsAgainAndOnePastItSkips() {
    CopyIndex index = copyOf(10, 11, 12, 13, 14);
    assertThat(index.resume("t", 0, 0, 12)).isEqualTo(new CopyIndex.Resume(0, 2));
    assertThat(index.resume("t", 0, 4, 12)).isEqualTo(new CopyIndex.Resume(2, 0));
    assertThat(index.resume("t", 0, 5, 15)).isEqualTo(new CopyIndex.Resume(0, 0));
  }

  @Test
  void aCopyWithARecopyIsJudgedRecordByRecord() {
    // copied 10..13, then again from 12 (a task restarted past its committed offset)
    CopyIndex index = copyOf(10, 11, 12, 13, 12, 13, 14);
    assertThat(index.resume("t", 0, 4, 12))
        .as("12 and 13 are copied again past the position: not skipped")
        .isEqualTo(new CopyIndex.Resume(0, 0));
    assertThat(index.resume("t", 0, 2, 12))
        .as("past the position 12 and 13 are read twice, but they are not before the commit")
        .isEqualTo(new CopyIndex.Resume(0, 0));
    assertThat(index.resume("t", 0, 6, 13)).isEqualTo(new CopyIndex.Resume(1, 0));
    assertThat(index.resume("t", 0, 1, 13)).isEqualTo(new CopyIndex.Resume(0, 3));
  }

  @Test
  void aPartitionNeverReadIsAnError() {
    assertThatThrownBy(() -> copyOf(1).resume("t", 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("t-1");
  }
}
