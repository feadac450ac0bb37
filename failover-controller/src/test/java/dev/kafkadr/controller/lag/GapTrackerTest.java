package dev.kafkadr.controller.lag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.controller.lag.measure.AtRiskBound.Measure;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class GapTrackerTest {

  private static final FlowSpec FLOW = new FlowSpec("primary", "secondary", List.of("acme"));
  private static final TopicPartition TP = new TopicPartition("acme.orders", 0);
  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  private static Measure copiedUpTo(long firstUncopied, long end) {
    return new Measure("provenance", firstUncopied, end - firstUncopied, null, false);
  }

  @Test
  void aStartPastTheCopyIsAnUnconfirmedUpperBoundThatFollowsTheStart() {
    GapTracker gaps = new GapTracker();
    gaps.track(FLOW, "acme", TP, copiedUpTo(100, 500), 150, 500, T0);
    gaps.track(FLOW, "acme", TP, copiedUpTo(120, 600), 200, 600, T0.plusSeconds(1));

    assertThat(gaps.of(FLOW, "acme"))
        .containsExactly(new Gap("acme.orders", 0, 120, 200, T0, false));
  }

  @Test
  void theCopysStepOverTheRangeConfirmsItAndReplacesTheBound() {
    GapTracker gaps = new GapTracker();
    gaps.track(FLOW, "acme", TP, copiedUpTo(100, 500), 180, 500, T0);
    // MirrorMaker 2 reset to 170 (the start when it fetched), copied on; the walk found the step
    gaps.record(FLOW, "acme", TP, 100, 170, T0.plusSeconds(2));
    gaps.track(FLOW, "acme", TP, copiedUpTo(400, 650), 190, 650, T0.plusSeconds(2));

    assertThat(gaps.of(FLOW, "acme"))
        .as("the confirmed range keeps when the bound first saw it")
        .containsExactly(new Gap("acme.orders", 0, 100, 170, T0, true));
  }

  @Test
  void aBoundStaysUntilAWalkOfTheCopyPassesIt() {
    GapTracker gaps = new GapTracker();
    gaps.track(FLOW, "acme", TP, copiedUpTo(100, 500), 180, 500, T0);
    gaps.track(FLOW, "acme", TP, copiedUpTo(400, 650), 190, 650, T0.plusSeconds(1));
    assertThat(gaps.of(FLOW, "acme"))
        .as("the copy is past the start, but no walk has said how it got there")
        .containsExactly(new Gap("acme.orders", 0, 100, 180, T0, false));

    gaps.walked(FLOW, "acme", TP, 150);
    assertThat(gaps.of(FLOW, "acme")).hasSize(1);
    gaps.walked(FLOW, "acme", TP, 400);
    assertThat(gaps.of(FLOW, "acme")).as("walked past it: nothing was lost").isEmpty();
  }

  @Test
  void aRangeStillPastTheCopyAfterAConfirmationIsReportedAgainUnconfirmed() {
    GapTracker gaps = new GapTracker();
    gaps.record(FLOW, "acme", TP, 100, 170, T0);
    gaps.track(FLOW, "acme", TP, copiedUpTo(175, 900), 300, 900, T0.plusSeconds(1));

    assertThat(gaps.of(FLOW, "acme"))
        .containsExactly(
            new Gap("acme.orders", 0, 100, 170, T0, true),
            new Gap("acme.orders", 0, 175, 300, T0.plusSeconds(1), false));
    assertThat(gaps.of(FLOW, "other")).isEmpty();
  }
}
