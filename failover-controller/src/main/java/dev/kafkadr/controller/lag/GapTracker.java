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
 * them without a word, so once seen they stay reported.
 */
final class GapTracker {

  private final Map<String, Gap> gaps = new LinkedHashMap<>();
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
    if (m.firstUncopied() < start) {
      record(flow, tenant, tp, m.firstUncopied(), start, now);
    }
    return m;
  }

  void record(FlowSpec flow, String tenant, TopicPartition tp, long from, long to, Instant now) {
    String key = flow.source() + "->" + flow.target() + "|" + tenant + "|" + tp + "|" + from;
    Gap known = gaps.get(key);
    if (known == null || known.toOffset() < to) {
      gaps.put(
          key,
          new Gap(tp.topic(), tp.partition(), from, to, known == null ? now : known.detectedAt()));
    }
  }

  List<Gap> of(FlowSpec flow, String tenant) {
    String prefix = flow.source() + "->" + flow.target() + "|" + tenant + "|";
    return gaps.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .map(Map.Entry::getValue)
        .toList();
  }
}
