package dev.kafkadr.controller.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class UncopiedSinceTest {

  private static final TopicPartition TP = new TopicPartition("acme.orders", 0);
  private static final String FLOW = "primary->secondary";
  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void theOldestUncopiedRecordIsAsOldAsTheFirstScanThatSawIt() {
    UncopiedSince seen = new UncopiedSince();
    assertThat(seen.since(FLOW, TP, 100, 100, at(0))).as("nothing uncopied").isEqualTo(-1);
    assertThat(seen.since(FLOW, TP, 100, 150, at(1))).isEqualTo(at(1).toEpochMilli());
    assertThat(seen.since(FLOW, TP, 100, 220, at(2))).isEqualTo(at(1).toEpochMilli());
    // copied up to 160: offset 160 first lay below a high watermark at the scan of 220
    assertThat(seen.since(FLOW, TP, 160, 300, at(3))).isEqualTo(at(2).toEpochMilli());
    assertThat(seen.since(FLOW, TP, 300, 300, at(4))).isEqualTo(-1);
    assertThat(seen.since(FLOW, TP, 300, 310, at(5))).isEqualTo(at(5).toEpochMilli());
  }

  @Test
  void aPartitionThatWentBackwardsStartsAgain() {
    UncopiedSince seen = new UncopiedSince();
    seen.since(FLOW, TP, 0, 500, at(0));
    assertThat(seen.since(FLOW, TP, 0, 3, at(10))).isEqualTo(at(10).toEpochMilli());
    assertThat(seen.since("secondary->primary", TP, 0, 3, at(11)))
        .as("flows are apart")
        .isEqualTo(at(11).toEpochMilli());
  }

  @Test
  void manySamplesAreThinnedKeepingTheOldest() {
    UncopiedSince seen = new UncopiedSince();
    for (int s = 0; s < 3 * UncopiedSince.MAX_SAMPLES; s++) {
      assertThat(seen.since(FLOW, TP, 10, 11 + s, at(s))).isEqualTo(at(0).toEpochMilli());
    }
    long later = seen.since(FLOW, TP, 11 + UncopiedSince.MAX_SAMPLES, 5_000, at(5_000));
    assertThat(later)
        .as("after thinning, a later floor is never after the scan that first saw the offset")
        .isLessThanOrEqualTo(at(UncopiedSince.MAX_SAMPLES + 1).toEpochMilli())
        .isGreaterThanOrEqualTo(at(0).toEpochMilli());
  }
}
