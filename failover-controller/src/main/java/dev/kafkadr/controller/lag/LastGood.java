package dev.kafkadr.controller.lag;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A flow's newest complete measurement, the one before it (for the produce rate), and when the
 * first scan after it failed: what an unplanned failover reports from once the source is gone.
 *
 * @param last the newest scan in which every partition of the flow was measured
 * @param previous the complete one before it, or null
 * @param firstFailureAfter when the first scan after {@code last} that could not measure the flow
 *     started, or null while none has
 */
public record LastGood(FlowLag last, FlowLag previous, Instant firstFailureAfter) {

  /** The next state after a scan's figure of the flow. */
  public LastGood next(FlowLag scanned) {
    if (scanned.known()) {
      return new LastGood(scanned, last, null);
    }
    return firstFailureAfter != null ? this : new LastGood(last, previous, scanned.scannedAt());
  }

  /**
   * Records written to the source per second, per partition ({@code topic-partition}), between the
   * two newest complete measurements (their source ends over the time between them); empty with
   * only one.
   */
  public Map<String, Double> produceRates() {
    Map<String, Double> out = new HashMap<>();
    if (previous == null) {
      return out;
    }
    double seconds = Duration.between(previous.measuredAt(), last.measuredAt()).toMillis() / 1000.0;
    if (seconds <= 0) {
      return out;
    }
    Map<String, Long> before = new HashMap<>();
    previous
        .partitions()
        .forEach(p -> before.put(p.topic() + "-" + p.partition(), p.sourceLogEnd()));
    for (PartitionLag p : last.partitions()) {
      Long was = before.get(p.topic() + "-" + p.partition());
      if (was != null && was >= 0 && p.sourceLogEnd() >= was) {
        out.put(p.topic() + "-" + p.partition(), (p.sourceLogEnd() - was) / seconds);
      }
    }
    return out;
  }
}
