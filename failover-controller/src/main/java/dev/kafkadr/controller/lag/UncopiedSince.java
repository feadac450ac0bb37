package dev.kafkadr.controller.lag;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Since when this controller has seen each source partition's oldest uncopied record, by its own
 * clock: a floor under the age of what is at risk that no producer's clock can lower. A record's
 * timestamp is its producer's (CreateTime): a producer whose clock runs ahead writes records that
 * look younger than they are, minutes ahead makes data at risk look 0 s old. The scans' own samples
 * of each partition's high watermark tell instead when an offset first existed: the first scan
 * whose high watermark lay past it saw it, so the record is at least as old as that scan. The floor
 * is under the record's true age by at most one scan interval (it was written some time before the
 * scan that first saw it), and unaffected by a constant error of the controller's own clock (both
 * ends of the difference are read from it).
 *
 * <p>Each partition keeps the scans that raised its high watermark while records were waiting, at
 * most {@link #MAX_SAMPLES}; past that every other one is dropped (the oldest is kept, so the floor
 * only loses resolution, never its start). Kept in memory: a restarted controller starts the floor
 * again at its first scan.
 */
final class UncopiedSince {

  /** Samples kept per partition before every other one is dropped. */
  static final int MAX_SAMPLES = 512;

  private record Sample(long highWatermark, long atMillis) {}

  private final Map<String, Deque<Sample>> samples = new HashMap<>();

  /** One partition of one flow, as {@link #since} sees it. */
  interface Partition {
    /** {@link UncopiedSince#since} for this partition. */
    long since(long firstUncopied, long highWatermark, Instant at);
  }

  /** The view of {@code tp} on flow {@code flow} ({@code source->target}). */
  Partition of(String flow, TopicPartition tp) {
    return (firstUncopied, highWatermark, at) -> since(flow, tp, firstUncopied, highWatermark, at);
  }

  /**
   * Notes a scan's high watermark of {@code tp} on flow {@code flow} and returns since when the
   * controller has seen the record at {@code firstUncopied}: the time of the first scan whose high
   * watermark lay past it (epoch milliseconds), or -1 when nothing is uncopied.
   *
   * @param flow the flow's key, such as {@code primary->secondary}
   * @param firstUncopied the first source offset not copied
   * @param highWatermark the source's high watermark, as this scan read it
   * @param at the scan's {@code measuredAt}
   */
  synchronized long since(
      String flow, TopicPartition tp, long firstUncopied, long highWatermark, Instant at) {
    Deque<Sample> d = samples.computeIfAbsent(flow + "|" + tp, k -> new ArrayDeque<>());
    Sample last = d.peekLast();
    if (last != null && highWatermark < last.highWatermark()) {
      d.clear(); // the partition went backwards: deleted and created again, or truncated
    }
    if (d.isEmpty() || highWatermark > d.peekLast().highWatermark()) {
      d.addLast(new Sample(highWatermark, at.toEpochMilli()));
    }
    while (!d.isEmpty() && d.peekFirst().highWatermark() <= firstUncopied) {
      d.removeFirst(); // a scan that had not seen the record yet
    }
    if (d.size() > MAX_SAMPLES) {
      thin(d);
    }
    return firstUncopied >= highWatermark || d.isEmpty() ? -1 : d.peekFirst().atMillis();
  }

  /**
   * Halves the samples after the oldest by merging each pair into one with the later high watermark
   * and the earlier time: offsets between the two are then dated to the earlier scan, so the age
   * can only come out higher, never under the truth.
   */
  private static void thin(Deque<Sample> d) {
    List<Sample> all = new ArrayList<>(d);
    d.clear();
    d.addLast(all.get(0));
    for (int i = 1; i < all.size(); i += 2) {
      Sample later = i + 1 < all.size() ? all.get(i + 1) : all.get(i);
      d.addLast(new Sample(later.highWatermark(), all.get(i).atMillis()));
    }
  }
}
