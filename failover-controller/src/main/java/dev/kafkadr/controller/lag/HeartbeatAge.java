package dev.kafkadr.controller.lag;

import dev.kafkadr.config.FlowSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.mirror.Heartbeat;

/**
 * The age of a flow's newest MirrorMaker 2 heartbeat on its target: proof a worker writes there.
 */
final class HeartbeatAge {

  /** MM2's heartbeats topic on a target (the name under every replication policy). */
  static final String HEARTBEATS = "heartbeats";

  /** Newest heartbeat records searched: every flow into a target writes one a second. */
  private static final int HEARTBEAT_WINDOW = 200;

  private HeartbeatAge() {}

  /**
   * Age of the newest MM2 heartbeat from the flow's source to its target in the target's heartbeats
   * topic, -1 when there is none among its newest records or they could not be read in time.
   */
  static double of(FlowSpec flow, boolean exists, Instant now, ClusterAccess clusters)
      throws InterruptedException {
    if (!exists) {
      return -1;
    }
    Admin target = clusters.admin(flow.target());
    List<TopicPartition> partitions;
    try {
      partitions =
          clusters
              .count(
                  target.describeTopics(
                      List.of(HEARTBEATS),
                      new DescribeTopicsOptions().timeoutMs((int) clusters.timeout().toMillis())))
              .allTopicNames()
              .get(clusters.timeout().plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS)
              .get(HEARTBEATS)
              .partitions()
              .stream()
              .map(p -> new TopicPartition(HEARTBEATS, p.partition()))
              .toList();
    } catch (ExecutionException | TimeoutException e) {
      return -1;
    }
    ClusterAccess.Offsets starts = clusters.offsets(target, partitions, OffsetSpec.earliest());
    ClusterAccess.Offsets ends = clusters.offsets(target, partitions, OffsetSpec.latest());
    Map<TopicPartition, long[]> ranges = new HashMap<>();
    for (TopicPartition tp : partitions) {
      Long start = starts.values().get(tp);
      Long end = ends.values().get(tp);
      if (start != null && end != null && end > start) {
        ranges.put(tp, new long[] {Math.max(start, end - HEARTBEAT_WINDOW), end});
      }
    }
    long newest = -1;
    for (List<ConsumerRecord<byte[], byte[]>> records :
        clusters
            .reader(flow.target())
            .read(ranges, HEARTBEAT_WINDOW, clusters.timeout())
            .records()
            .values()) {
      for (ConsumerRecord<byte[], byte[]> r : records) {
        try {
          Heartbeat h = Heartbeat.deserializeRecord(r);
          if (h.sourceClusterAlias().equals(flow.source())
              && h.targetClusterAlias().equals(flow.target())) {
            newest = Math.max(newest, h.timestamp());
          }
        } catch (RuntimeException e) {
          // Not a heartbeat record: something else writes to the topic; ignore it.
        }
      }
    }
    return newest < 0 ? -1 : Math.max(0, (now.toEpochMilli() - newest) / 1000.0);
  }
}
