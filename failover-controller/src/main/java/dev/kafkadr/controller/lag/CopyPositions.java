package dev.kafkadr.controller.lag;

import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.controller.lag.measure.CopyPosition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads, for every source partition of a flow, where its copy stands: the first step of a scan
 * (t1), before anything is read of the source. The copy's log start and end per partition, then the
 * newest copied record's provenance header (one record per copy, searched back {@code tailWindow}
 * records where newer ones came from elsewhere). A copy whose end has not moved since the last scan
 * keeps its last answer.
 */
final class CopyPositions {

  private final ClusterAccess clusters;
  private final int tailWindow;

  /** Per flow and copy partition: its end, and its newest record copied from the flow's source. */
  private final Map<String, Cached> tails = new HashMap<>();

  private record Cached(long copyEnd, CopyTail tail) {}

  CopyPositions(ClusterAccess clusters, int tailWindow) {
    this.clusters = clusters;
    this.tailWindow = tailWindow;
  }

  /**
   * The copy position of each source partition of {@code layout}; partitions left to the
   * connector-offsets fallback are {@link CopyPosition.Kind#UNKNOWN} with why.
   */
  Map<TopicPartition, CopyPosition> read(FlowSpec flow, FlowLayout layout)
      throws InterruptedException {
    Map<TopicPartition, CopyPosition> out = new HashMap<>();
    layout.noCopy().forEach(tp -> out.put(tp, CopyPosition.noCopy()));
    layout.unknown().forEach((tp, why) -> out.put(tp, CopyPosition.unknown(why, -1)));
    Admin target = clusters.admin(flow.target());
    var copies = layout.copyOf().values();
    ClusterAccess.Offsets starts = clusters.offsets(target, copies, OffsetSpec.earliest());
    ClusterAccess.Offsets ends = clusters.offsets(target, copies, OffsetSpec.latest());
    Map<TopicPartition, long[]> withRecords = new HashMap<>();
    Map<String, String> retention = new HashMap<>(); // per copy topic, read once per scan
    for (var e : layout.copyOf().entrySet()) {
      TopicPartition copy = e.getValue();
      Long start = starts.values().get(copy);
      Long end = ends.values().get(copy);
      if (start == null || end == null) {
        String why = starts.failures().getOrDefault(copy, ends.failures().get(copy));
        out.put(e.getKey(), CopyPosition.unknown(flow.target() + " " + copy + ": " + why, -1));
      } else if (end == 0) {
        out.put(e.getKey(), CopyPosition.emptyCopy());
      } else if (end <= start) {
        out.put(e.getKey(), CopyPosition.unknown(deleted(target, copy, end, retention), end));
      } else {
        withRecords.put(copy, new long[] {start, end});
      }
    }
    Map<TopicPartition, Long> copied = lastCopied(flow, withRecords, out, layout);
    for (var e : layout.copyOf().entrySet()) {
      long[] range = withRecords.get(e.getValue());
      if (range == null || out.containsKey(e.getKey())) {
        continue;
      }
      Long last = copied.get(e.getValue());
      out.put(
          e.getKey(),
          last != null
              ? CopyPosition.provenance(last, range[1])
              : CopyPosition.unknown(
                  "no record from "
                      + flow.source()
                      + " among the newest "
                      + tailWindow
                      + " of copy "
                      + e.getValue()
                      + " (kdr.scan.tail-window)",
                  range[1]));
    }
    return out;
  }

  /**
   * Why a copy that held records holds none: the target deleted them, by its retention (a copied
   * record older than the copy's {@code retention.ms} is deleted at once) or by a delete-records
   * request; the copy's {@code retention.ms} is named when the target answers in time.
   */
  private String deleted(
      Admin target, TopicPartition copy, long end, Map<String, String> retentionByTopic) {
    String retention = retentionByTopic.computeIfAbsent(copy.topic(), t -> retention(target, t));
    return "the target deleted every record of copy "
        + copy
        + " before offset "
        + end
        + retention
        + ": a copy of a record older than the copy's retention is deleted as soon as it is written;"
        + " the position comes from the source connector's committed offset";
  }

  /**
   * " (its retention.ms is N)" for copy topic {@code topic}, or "" when the target does not say.
   */
  private String retention(Admin target, String topic) {
    String retention = "";
    try {
      var resource =
          new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
      var entry =
          target
              .describeConfigs(List.of(resource))
              .all()
              .get(clusters.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
              .get(resource)
              .get("retention.ms");
      retention = entry == null ? "" : " (its retention.ms is " + entry.value() + ")";
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // Said without the setting.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return retention;
  }

  /**
   * For each copy partition with records, the source offset of its newest record copied from the
   * flow's source; a copy whose read did not finish in time is put in {@code out} as unknown.
   */
  private Map<TopicPartition, Long> lastCopied(
      FlowSpec flow,
      Map<TopicPartition, long[]> ranges,
      Map<TopicPartition, CopyPosition> out,
      FlowLayout layout) {
    Map<TopicPartition, Long> found = new HashMap<>();
    String flowKey = flow.source() + "->" + flow.target() + "|";
    ranges.forEach(
        (copy, range) -> {
          Cached known = tails.get(flowKey + copy);
          if (known != null && known.copyEnd() == range[1]) {
            found.put(copy, known.tail().sourceOffset());
          }
        });
    Map<TopicPartition, long[]> open = new HashMap<>(ranges);
    for (int window : List.of(1, tailWindow)) {
      Map<TopicPartition, long[]> toRead = new HashMap<>();
      open.forEach(
          (copy, range) -> {
            if (!found.containsKey(copy)) {
              toRead.put(copy, new long[] {Math.max(range[0], range[1] - window), range[1]});
            }
          });
      PartitionReader.Reads reads =
          clusters.reader(flow.target()).read(toRead, window, clusters.timeout());
      reads
          .records()
          .forEach(
              (copy, records) -> {
                if (reads.unfinished().contains(copy)) {
                  return;
                }
                for (int i = records.size() - 1; i >= 0; i--) {
                  Optional<CopyTail> tail = CopyTail.of(records.get(i), flow.source());
                  if (tail.isPresent()) {
                    found.put(copy, tail.get().sourceOffset());
                    tails.put(flowKey + copy, new Cached(ranges.get(copy)[1], tail.get()));
                    break;
                  }
                }
              });
      for (TopicPartition copy : reads.unfinished()) {
        layout
            .copyOf()
            .forEach(
                (tp, c) -> {
                  if (c.equals(copy)) {
                    out.put(
                        tp,
                        CopyPosition.unknown(
                            "copy "
                                + copy
                                + " not read within "
                                + clusters.timeout()
                                + " (kdr.scan.read-timeout)",
                            ranges.get(copy)[1]));
                  }
                });
        open.remove(copy);
      }
    }
    return found;
  }

  /** The newest record of {@code copy} copied from the flow's source, as the last read found it. */
  CopyTail tail(FlowSpec flow, TopicPartition copy) {
    Cached c = tails.get(flow.source() + "->" + flow.target() + "|" + copy);
    return c == null ? null : c.tail();
  }
}
