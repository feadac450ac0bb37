package dev.kafkadr.controller.lag;

import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.controller.lag.measure.AtRiskBound.Measure;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Records lost to the copies, kept for as long as the controller runs: MirrorMaker 2 moves on past
 * them without a word, so once seen they stay reported. A range the source discarded while the copy
 * had not reached it is reported at once, unconfirmed (an upper bound: what MirrorMaker 2 fetched
 * before the deletion may still be copied), and replaced by the confirmed range once the copy is
 * seen going on past it ({@link CopyIncarnations} walks the copy for where it resumed).
 */
final class GapTracker {

  private final Map<String, Gap> gaps = new LinkedHashMap<>();
  private final Map<String, Gap> unconfirmed = new LinkedHashMap<>();
  private final Map<String, Long> lastSourceEnd = new HashMap<>();

  /**
   * Follows one partition's measurement across scans. A source partition behind its copy (the copy
   * holds a source offset the source has not reached: the topic was deleted and created again, or
   * truncated) lost the records the old topic held past what was copied, as the last scan saw its
   * end: a gap; the new topic's records count as not copied until copies of them arrive ({@code
   * source-recreated}). Records the source discarded before they were copied are a gap too.
   *
   * @return the measurement to report
   */
  Measure track(
      FlowSpec flow,
      String tenant,
      TopicPartition tp,
      Measure m,
      long start,
      long end,
      Instant now) {
    if (!m.known()) {
      return m;
    }
    String key = flow.source() + "->" + flow.target() + "|" + tp;
    if (m.sourceBehindCopy()) {
      long oldEnd = lastSourceEnd.getOrDefault(key, m.firstUncopied());
      if (oldEnd > m.firstUncopied()) {
        record(flow, tenant, tp, m.firstUncopied(), oldEnd, now);
      }
      return new Measure("source-recreated", start, Math.max(0, end - start), null, true);
    }
    lastSourceEnd.put(key, end);
    String partitionKey = flow.source() + "->" + flow.target() + "|" + tenant + "|" + tp;
    if (m.firstUncopied() < start) {
      // The copy's position was read before the source's start (AtRiskBound): what MirrorMaker 2
      // copied in between is in the range too, so it is an upper bound until the copy moves on.
      Gap known = unconfirmed.get(partitionKey);
      unconfirmed.put(
          partitionKey,
          new Gap(
              tp.topic(),
              tp.partition(),
              m.firstUncopied(),
              start,
              known == null ? now : known.detectedAt(),
              false));
    }
    // Past the source's start now, the copy may have stepped over the range or copied it: only a
    // walk of the copy tells (walked, record), so the bound stays until then.
    return m;
  }

  /**
   * A walk of {@code tp}'s copy went on to source offset {@code next} (every step it found below
   * the source's start recorded): an unconfirmed range it passed is settled, lost or copied.
   */
  void walked(FlowSpec flow, String tenant, TopicPartition tp, long next) {
    String partitionKey = flow.source() + "->" + flow.target() + "|" + tenant + "|" + tp;
    Gap seen = unconfirmed.get(partitionKey);
    if (seen != null && next >= seen.toOffset()) {
      unconfirmed.remove(partitionKey);
    }
  }

  /**
   * Records {@code [from, to)} of {@code tp} as lost for certain: the copy went on past it. A range
   * starting where one is known already extends it.
   */
  void record(FlowSpec flow, String tenant, TopicPartition tp, long from, long to, Instant now) {
    String partitionKey = flow.source() + "->" + flow.target() + "|" + tenant + "|" + tp;
    String key = partitionKey + "|" + from;
    Gap known = gaps.get(key);
    Gap seen = unconfirmed.get(partitionKey);
    Instant detected =
        known != null
            ? known.detectedAt()
            : seen != null && seen.fromOffset() <= from && from < seen.toOffset()
                ? seen.detectedAt()
                : now;
    if (known == null || known.toOffset() < to) {
      gaps.put(key, new Gap(tp.topic(), tp.partition(), from, to, detected, true));
    }
    if (seen != null && seen.fromOffset() < to) {
      unconfirmed.remove(partitionKey); // superseded: the next scan says what is still unconfirmed
    }
  }

  /** The flow's gaps of {@code tenant}: confirmed ones in the order found, then unconfirmed. */
  List<Gap> of(FlowSpec flow, String tenant) {
    String prefix = flow.source() + "->" + flow.target() + "|" + tenant + "|";
    return java.util.stream.Stream.concat(gaps.entrySet().stream(), unconfirmed.entrySet().stream())
        .filter(e -> e.getKey().startsWith(prefix))
        .map(Map.Entry::getValue)
        .toList();
  }
}
