package dev.kafkadr.controller.lag;

import dev.kafkadr.config.FlowSpec;
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
   * Source partitions that are behind their copies (the copy holds a source offset the source has
   * not reached): the topic was deleted and created again, or truncated. Records the old topic held
   * past what was copied, as the last scan saw its end, are lost: a gap. The new topic's records
   * count as not copied until copies of them arrive.
   */
  void recreated(
      FlowSpec flow,
      Map<TopicPartition, String> tenantOf,
      Map<TopicPartition, Long> firstUncopied,
      Map<TopicPartition, String> measuredBy,
      Map<TopicPartition, Long> starts,
      Map<TopicPartition, Long> ends,
      Instant now) {
    for (TopicPartition tp : tenantOf.keySet()) {
      String key = flow.source() + "->" + flow.target() + "|" + tp;
      Long from = firstUncopied.get(tp);
      long end = ends.get(tp);
      if (from != null && from > end) {
        long oldEnd = lastSourceEnd.getOrDefault(key, from);
        if (oldEnd > from) {
          record(flow, tenantOf.get(tp), tp, from, oldEnd, now);
        }
        firstUncopied.put(tp, starts.get(tp));
        measuredBy.put(tp, "source-recreated");
      } else {
        lastSourceEnd.put(key, end);
      }
    }
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
