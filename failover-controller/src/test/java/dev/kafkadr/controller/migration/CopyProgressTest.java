package dev.kafkadr.controller.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.PartitionLag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The copy's progress from scans given here: sums, percent, rate and time left. */
class CopyProgressTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private static PartitionLag partition(
      String topic, int partition, long start, long end, long copiedUpTo) {
    return new PartitionLag(
        topic,
        partition,
        topic,
        start,
        end,
        end,
        copiedUpTo,
        copiedUpTo,
        "provenance",
        end - copiedUpTo,
        0,
        -1,
        null,
        null,
        null,
        null);
  }

  private static PartitionLag unknown(String topic, int partition) {
    return new PartitionLag(
        topic,
        partition,
        topic,
        -1,
        -1,
        -1,
        -1,
        -1,
        "unknown",
        -1,
        -1,
        -1,
        "timed out",
        null,
        null,
        null);
  }

  private static FlowLag scan(Instant at, PartitionLag... partitions) {
    return new FlowLag(
        "shop",
        "primary",
        "msk",
        Duration.ofSeconds(30),
        0,
        0,
        null,
        List.of(partitions),
        List.of(),
        List.of(),
        null,
        null,
        at,
        at);
  }

  @Test
  void sumsPerTopicAndInAllFromEachPartitionsLogStart() {
    var progress =
        CopyProgress.of(
            scan(
                T0,
                partition("shop.a", 0, 100, 1100, 600), // 500 of 1,000
                partition("shop.a", 1, 0, 1000, 1000), // all
                partition("shop.b", 0, 0, 0, 0), // empty
                unknown("shop.b", 1)),
            null);
    assertThat(progress.topics())
        .extracting(CopyProgress.Topic::topic)
        .containsExactly("shop.a", "shop.b");
    var a = progress.topics().get(0);
    assertThat(a.offsets()).isEqualTo(2000);
    assertThat(a.copied()).isEqualTo(1500);
    assertThat(a.remaining()).isEqualTo(500);
    assertThat(a.percent()).isEqualTo(75.0);
    var b = progress.topics().get(1);
    assertThat(b.percent()).as("an empty topic is done").isEqualTo(100.0);
    assertThat(b.unknownPartitions()).isEqualTo(1);
    assertThat(progress.total().remaining()).isEqualTo(500);
    assertThat(progress.offsetsPerSecond()).isEqualTo(-1);
    assertThat(progress.unknownReason()).contains("1 partitions were not measured");
    assertThat(progress.secondsLeft()).isEqualTo(-1);
  }

  @Test
  void rateAndTimeLeftComeFromHowFarEachPartitionAdvancedBetweenTwoScans() {
    var before = scan(T0, partition("shop.a", 0, 0, 10_000, 2_000));
    // 10 s later: 3,000 more copied, and retention moved the log start (not copying).
    var after = scan(T0.plusSeconds(10), partition("shop.a", 0, 1_000, 10_000, 5_000));
    var progress = CopyProgress.of(after, before);
    assertThat(progress.offsetsPerSecond()).isCloseTo(300.0, within(0.001));
    assertThat(progress.total().remaining()).isEqualTo(5_000);
    assertThat(progress.secondsLeft()).isCloseTo(5_000 / 300.0, within(0.001));
    assertThat(progress.unknownReason()).isNull();
  }

  @Test
  void aStalledCopySaysSoAndAFinishedOneNeedsNoTime() {
    var before = scan(T0, partition("shop.a", 0, 0, 100, 40));
    var stalled =
        CopyProgress.of(scan(T0.plusSeconds(5), partition("shop.a", 0, 0, 100, 40)), before);
    assertThat(stalled.offsetsPerSecond()).isZero();
    assertThat(stalled.secondsLeft()).isEqualTo(-1);
    assertThat(stalled.unknownReason()).contains("nothing copied");
    var done =
        CopyProgress.of(scan(T0.plusSeconds(5), partition("shop.a", 0, 0, 100, 100)), before);
    assertThat(done.secondsLeft()).isZero();
    assertThat(done.total().percent()).isEqualTo(100.0);
  }

  @Test
  void nothingMeasuredIsNeverDoneAndWritesThatOutpaceTheCopyLeaveNoTimeLeft() {
    var empty = CopyProgress.of(scan(T0), null);
    assertThat(empty.total().remaining()).isZero();
    assertThat(empty.secondsLeft()).as("0 of 0 is not caught up").isEqualTo(-1);
    assertThat(empty.unknownReason()).contains("no partition");

    var before = scan(T0, partition("shop.a", 0, 0, 1_000, 500));
    var outpaced =
        CopyProgress.of(scan(T0.plusSeconds(10), partition("shop.a", 0, 0, 2_000, 900)), before);
    assertThat(outpaced.offsetsPerSecond()).isCloseTo(40.0, within(0.001));
    assertThat(outpaced.secondsLeft()).isEqualTo(-1);
    assertThat(outpaced.unknownReason()).contains("not shrinking");
  }

  @Test
  void recordsDeletedBeforeTheyWereCopiedDoNotCountAsCopying() {
    var before = scan(T0, partition("shop.a", 0, 0, 1_000, 100));
    // retention deleted offsets 0-599; the copy's position follows the log start to 600
    var after = scan(T0.plusSeconds(10), partition("shop.a", 0, 600, 1_000, 600));
    assertThat(CopyProgress.of(after, before).offsetsPerSecond()).isZero();
  }
}
