package dev.kafkadr.controller.migration;

import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.PartitionLag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far the copy of a tenant's topics has come, from one scan of the lag monitor: per topic and
 * in all, the source's records (offsets from its log start to its last stable offset) and how many
 * of them are on the target (from each partition's first offset not yet copied); with a previous
 * scan, the rate between the two and the time left at that rate. Offsets count transaction markers
 * and aborted records too, so where a topic is transactional the figures are offsets, not records.
 *
 * @param tenant the tenant
 * @param source the source cluster alias
 * @param target the target cluster alias
 * @param measuredAt when the scan measured it (ISO-8601 UTC)
 * @param topics per source topic, by name
 * @param total the sum over the topics
 * @param offsetsPerSecond the copy's rate between the oldest scan kept and this one, or -1 when
 *     unknown
 * @param secondsLeft the remaining offsets at the rate the backlog shrank (producers writing all
 *     along slow it), 0 when done (every partition measured, nothing remaining), -1 when unknown
 * @param unknownReason why the rate or the time left is unknown, or why the copy cannot be called
 *     done (partitions without a figure), or null
 */
public record CopyProgress(
    String tenant,
    String source,
    String target,
    String measuredAt,
    List<Topic> topics,
    Topic total,
    double offsetsPerSecond,
    double secondsLeft,
    String unknownReason) {

  /**
   * One topic (or all of them).
   *
   * @param topic its name ({@code *} for the total)
   * @param partitions partitions measured
   * @param offsets the source's offsets from log start to last stable offset
   * @param copied of those, the offsets already on the target
   * @param remaining {@code offsets - copied}
   * @param percent {@code copied / offsets} in percent, 100 for an empty topic
   * @param unknownPartitions partitions the scan had no figure for (left out of the sums)
   */
  public record Topic(
      String topic,
      int partitions,
      long offsets,
      long copied,
      long remaining,
      double percent,
      int unknownPartitions) {}

  /**
   * The progress one scan shows, with the rate against {@code previous} (an earlier scan of the
   * same flow, or null).
   */
  public static CopyProgress of(FlowLag now, FlowLag previous) {
    Map<String, long[]> sums = new TreeMap<>();
    for (PartitionLag p : now.partitions()) {
      long[] s = sums.computeIfAbsent(p.topic(), t -> new long[4]);
      if (!p.known() || p.replicatedUpTo() < 0 || p.sourceLogEnd() < 0) {
        s[3]++;
        continue;
      }
      long start = Math.max(0, p.sourceLogStart());
      long offsets = Math.max(0, p.sourceLogEnd() - start);
      long copied = Math.min(offsets, Math.max(0, p.replicatedUpTo() - start));
      s[0]++;
      s[1] += offsets;
      s[2] += copied;
    }
    List<Topic> topics = new ArrayList<>();
    long[] all = new long[4];
    sums.forEach(
        (topic, s) -> {
          topics.add(topic(topic, s));
          for (int i = 0; i < 4; i++) {
            all[i] += s[i];
          }
        });
    Topic total = topic("*", all);
    boolean complete = total.partitions() > 0 && total.unknownPartitions() == 0;
    double rate = -1;
    double left = total.remaining() == 0 && complete ? 0 : -1;
    String why = complete ? null : incomplete(total);
    if (previous == null || !previous.measuredAt().isBefore(now.measuredAt())) {
      why = why == null ? "one scan seen so far: the rate needs two" : why;
    } else {
      double seconds =
          Duration.between(previous.measuredAt(), now.measuredAt()).toNanos() / 1_000_000_000.0;
      rate = advanced(previous, now) / seconds;
      // Time left from how fast the backlog shrinks, not from the copy's gross rate: producers
      // writing all along make the backlog shrink slower than the copy moves.
      double shrinking = (of(previous, null).total().remaining() - total.remaining()) / seconds;
      if (total.remaining() > 0 && shrinking > 0 && complete) {
        left = total.remaining() / shrinking;
      } else if (total.remaining() > 0 && why == null) {
        why =
            rate > 0
                ? "the backlog is not shrinking: writes keep pace with the copy"
                : "nothing copied between the two scans";
      }
    }
    return new CopyProgress(
        now.tenant(),
        now.source(),
        now.target(),
        now.measuredAt().toString(),
        topics,
        total,
        rate,
        left,
        why);
  }

  private static String incomplete(Topic total) {
    return total.partitions() == 0
        ? "no partition of the tenant was measured"
        : total.unknownPartitions()
            + " partitions were not measured: the copy cannot be called done";
  }

  private static Topic topic(String name, long[] s) {
    long remaining = s[1] - s[2];
    double percent = s[1] == 0 ? 100.0 : 100.0 * s[2] / s[1];
    return new Topic(name, (int) s[0], s[1], s[2], remaining, percent, (int) s[3]);
  }

  /**
   * How far the copy advanced between two scans: the first offset not yet copied, summed over the
   * partitions both measured (so a log start moved by retention does not count as copying).
   */
  private static long advanced(FlowLag before, FlowLag after) {
    Map<String, Long> then = new TreeMap<>();
    for (PartitionLag p : before.partitions()) {
      if (p.known() && p.replicatedUpTo() >= 0) {
        then.put(p.topic() + "-" + p.partition(), p.replicatedUpTo());
      }
    }
    long sum = 0;
    for (PartitionLag p : after.partitions()) {
      Long was = then.get(p.topic() + "-" + p.partition());
      if (was != null && p.known()) {
        // Records deleted by retention before they were copied move the position to the log
        // start without copying anything: only what lies past both counts.
        sum += Math.max(0, p.replicatedUpTo() - Math.max(was, p.sourceLogStart()));
      }
    }
    return sum;
  }
}
