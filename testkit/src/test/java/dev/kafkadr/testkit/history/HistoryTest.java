package dev.kafkadr.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryTest {

  private final History history = History.create();

  @Test
  void aValueNamesItsRunProducerAndSequenceAndIsPaddedToTheSizeAsked() {
    byte[] value = history.value(3, 1234, 100);
    assertThat(value).hasSize(100);
    assertThat(new String(value, StandardCharsets.UTF_8)).startsWith(history.run() + "/3/1234/x");
    long id = history.parse(value);
    assertThat(History.producerOf(id)).isEqualTo(3);
    assertThat(History.seqOf(id)).isEqualTo(1234);
    assertThat(History.describe(id)).isEqualTo("3/1234");
    assertThat(history.parse(history.value(0, 7, 0))).isEqualTo(History.id(0, 7));
  }

  @Test
  void valuesOfAnotherRunOrOfNoRunAreNotThisRunsRecords() {
    assertThat(history.parse(History.create().value(0, 1, 0))).isEqualTo(-1);
    assertThat(history.parse("hello".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    assertThat(history.parse((history.run() + "/x/1").getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(-1);
    assertThat(history.parse((history.run() + "/1/").getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(-1);
    assertThat(history.parse(null)).isEqualTo(-1);
  }

  @Test
  void anOutageRunsFromTheOldClustersLastAcknowledgementToTheNewOnesFirst() {
    int a = history.cluster("a");
    int b = history.cluster("b");
    ProducerLog p = history.producer(0, 1);
    ProducerLog q = history.producer(1, 1);
    for (int i = 0; i < 4; i++) {
      p.sent(i);
      q.sent(i);
    }
    p.acked(0, 1_000, a, 0, 0, 0);
    q.acked(0, 1_500, a, 0, 0, 1); // the old cluster's last, across both producers
    p.failed(1, 2_000, Outcome.FAILED); // denied by the fence: no acknowledgement
    p.acked(2, 9_000, b, 0, 0, 0);
    q.acked(1, 7_000, b, 0, 0, 1); // the new cluster's first
    q.acked(2, 9_500, a, 0, 0, 2); // after the move back: not part of this outage
    History.Outage o = history.outage("a", "b");
    assertThat(o.lastOnFrom()).isEqualTo(1_500);
    assertThat(o.firstOnTo()).isEqualTo(7_000);
    assertThat(o.millis()).isEqualTo(5);
    assertThatThrownBy(() -> history.outage("a", "c"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no acknowledgement from c");
  }

  @Test
  void aVerdictFindsLostDuplicatedOutOfOrderAndFailedButReadRecords() {
    ProducerLog p = history.producer(0, 2);
    for (int i = 0; i < 6; i++) {
      p.sent(i);
    }
    for (int seq : new int[] {0, 1, 2, 3}) {
      p.acked(seq, 10 + seq, 0, 0, seq % 2, seq / 2);
    }
    p.failed(4, 20, Outcome.FAILED);
    p.failed(5, 20, Outcome.UNKNOWN);
    ReadLog r = history.reader("group");
    // key 0: 0, 2; key 1: 1, 3. 3 is read before 1 (out of order), 0 twice, 2 never (lost),
    // 4 read though it failed, 5 read with an unknown outcome.
    r.read(History.id(0, 0), 30, 0, 0, 0, 0, -1);
    r.read(History.id(0, 3), 31, 0, 0, 1, 1, -1);
    r.read(History.id(0, 1), 32, 0, 0, 1, 0, -1);
    r.read(History.id(0, 0), 33, 0, 0, 0, 0, -1);
    r.read(History.id(0, 4), 34, 0, 0, 0, 2, -1);
    r.read(History.id(0, 5), 35, 0, 0, 1, 2, -1);
    r.other("someone else's");

    Verdict v = history.verdict("group");

    assertThat(v.sent()).isEqualTo(6);
    assertThat(v.acknowledged()).isEqualTo(4);
    assertThat(v.failed()).isEqualTo(1);
    assertThat(v.unknown()).isEqualTo(1);
    assertThat(v.lost()).isEqualTo(1);
    assertThat(v.lostExamples()).containsExactly("0/2");
    assertThat(v.readTwice()).isEqualTo(1);
    assertThat(v.outOfOrder()).isEqualTo(1);
    assertThat(v.outOfOrderExamples()).containsExactly("0/1 after 0/3 (key k1)");
    assertThat(v.readButFailed()).isEqualTo(1);
    assertThat(v.readButUnknown()).isEqualTo(1);
    assertThat(v.readButNeverAcknowledged()).isEqualTo(2);
    assertThat(v.unseen()).isZero();
    assertThat(v.others()).isEqualTo(1);
    assertThat(v.distinctRead()).isEqualTo(5);
    assertThat(v.safe()).isFalse();
    assertThat(v.summary()).contains("1 lost [0/2]", "1 read twice", "1 out of order");
  }

  @Test
  void recordsNeverAcknowledgedAndNeverReadAreUnseenNotLost() {
    ProducerLog p = history.producer(0, 1);
    for (int i = 0; i < 4; i++) {
      p.sent(i);
    }
    p.acked(0, 10, 0, 0, 0, 0);
    p.failed(1, 11, Outcome.FAILED);
    p.failed(2, 12, Outcome.UNKNOWN);
    p.failed(3, 13, Outcome.UNKNOWN);
    ReadLog r = history.reader("group");
    r.read(History.id(0, 0), 20, 0, 0, 0, 0, -1);
    r.read(History.id(0, 3), 21, 0, 0, 0, 1, -1);

    Verdict v = history.verdict("group");

    assertThat(v.unseen()).as("1 failed and 1 unknown never read").isEqualTo(2);
    assertThat(v.lost()).isZero();
    assertThat(v.readButNeverAcknowledged()).isEqualTo(1);
    assertThat(v.safe()).isTrue();
    assertThat(v.summary()).contains("2 sent but neither acknowledged nor read");
  }

  @Test
  void latenciesRunFromAcknowledgementToFirstReadOfRecordsAcknowledgedInTheWindow() {
    ProducerLog p = history.producer(0, 1);
    for (int i = 0; i < 4; i++) {
      p.acked(p.sent(i), 100 + i * 10, 0, 0, 0, i);
    }
    ReadLog r = history.reader("copy");
    r.read(History.id(0, 0), 150, 0, 0, 0, 0, 0); // 50 after its ack at 100
    r.read(History.id(0, 1), 190, 0, 0, 0, 1, 1); // 80 after 110
    r.read(History.id(0, 1), 400, 0, 0, 0, 2, 1); // a duplicate: not counted again
    r.read(History.id(0, 3), 135, 0, 0, 0, 3, 3); // acknowledged at 130, outside [100, 125)

    assertThat(history.latencies("copy", 100, 125)).containsExactly(50, 80);
  }

  @Test
  void theLowestSourceOffsetReadTwiceIsWhereReCopyingStartedPerPartition() {
    ProducerLog p = history.producer(0, 1);
    for (int i = 0; i < 4; i++) {
      p.acked(p.sent(i), 10 + i, 0, 0, 0, i);
    }
    int topic = history.topic("orders");
    ReadLog r = history.reader("copy");
    for (int i = 0; i < 4; i++) {
      r.read(History.id(0, i), 20 + i, 0, topic, 0, i, i);
    }
    r.read(History.id(0, 3), 30, 0, topic, 0, 4, 3);
    r.read(History.id(0, 2), 31, 0, topic, 0, 5, 2);

    assertThat(history.lowestReadTwice("copy")).containsExactly(Map.entry("orders-0", 2L));
  }

  @Test
  void theFirstRewindOfAPartitionIsWhereASuccessorResumedBelowWhatWasCopied() {
    int topic = history.topic("orders");
    ReadLog r = history.reader("copy");
    long offset = 0;
    // partition 0: the killed task copied 0..5, its successor resumed at 3, later went back again
    for (long source : new long[] {0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 6, 7, 8}) {
      r.read(History.id(0, (int) offset), offset, 0, topic, 0, offset++, source);
    }
    // partition 1: never went back
    for (long source = 0; source < 4; source++) {
      r.read(History.id(0, (int) offset), offset, 0, topic, 1, offset++, source);
    }

    assertThat(history.firstRewinds("copy"))
        .containsExactly(Map.entry("orders-0", new History.Rewind(5, 3)));
  }

  @Test
  void aCleanRunIsSafe() {
    ProducerLog p = history.producer(0, 1);
    ReadLog r = history.reader("group");
    for (int i = 0; i < 3; i++) {
      p.acked(p.sent(i), i + 1, 0, 0, 0, i);
      r.read(History.id(0, i), i + 2, 0, 0, 0, i, -1);
    }
    Verdict v = history.verdict("group");
    assertThat(v.safe()).isTrue();
    assertThat(v.readTwice()).isZero();
    assertThat(v.distinctRead()).isEqualTo(3);
  }

  @Test
  void recordsStillUnansweredWhenTheProducerStopsHaveAnUnknownOutcome() {
    ProducerLog p = history.producer(0, 1);
    p.acked(p.sent(1), 2, 0, 0, 0, 0);
    p.sent(3);
    p.pendingUnknown(4);
    assertThat(p.outcome(0)).isEqualTo(Outcome.ACKED);
    assertThat(p.outcome(1)).isEqualTo(Outcome.UNKNOWN);
    assertThatThrownBy(() -> p.failed(1, 5, Outcome.ACKED))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Records 0..9 acknowledged at 100..109 on partition 0; the copy holds them at offsets 0..9.
   * Samples asked at 105 (end 3) and 110 (end 8) and 200 (end 10).
   */
  @Test
  void theTruthAtAnInstantCountsAcknowledgedRecordsAtOrAboveTheNextSamplesEnd() {
    ProducerLog p = history.producer(0, 1);
    ReadLog copy = history.reader("copy");
    for (int i = 0; i < 10; i++) {
      p.acked(p.sent(90 + i), 100 + i, 0, 0, 0, i);
      copy.read(History.id(0, i), 150, 1, 0, 0, i, i);
    }
    long place = Places.pack(0, 0, 0);
    copy.ends(105, Map.of(place, 3L));
    copy.ends(110, Map.of(place, 8L));
    copy.ends(200, Map.of(place, 10L));
    Truth truth = history.truth("copy");

    // At 104: acknowledged 0..4; the sample at 105 ended at 3: 3 and 4 certainly not copied.
    Truth.Low at104 = truth.at(104);
    assertThat(at104.acknowledged()).isEqualTo(5);
    assertThat(at104.records()).isEqualTo(2);
    assertThat(at104.oldestSeconds()).isEqualTo((104 - 93) / 1e6);
    assertThat(at104.epsilonMicros()).isEqualTo(1);
    // At 109: acknowledged 0..9; the sample at 110 ended at 8: 8 and 9.
    assertThat(truth.at(109).records()).isEqualTo(2);
    // At 150: everything acknowledged; the sample at 200 covers all.
    assertThat(truth.at(150).records()).isZero();
    assertThatThrownBy(() -> truth.at(201)).hasMessageContaining("no end sample");
  }

  @Test
  void aRecordNeverCopiedCountsFromItsAcknowledgementOn() {
    ProducerLog p = history.producer(0, 1);
    ReadLog copy = history.reader("copy");
    p.acked(p.sent(1), 2, 0, 0, 0, 0);
    copy.ends(10, Map.of(Places.pack(0, 0, 0), 0L));
    assertThat(history.truth("copy").at(1).records()).isZero();
    assertThat(history.truth("copy").at(5).records()).isEqualTo(1);
  }
}
