package dev.kafkadr.controller.lag;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.tenant.Patterns;
import dev.kafkadr.tenant.Provenance;
import dev.kafkadr.tenant.Tenant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.mirror.Checkpoint;

/**
 * The consumer groups of a flow's tenants: committed offsets on the source (one batched request for
 * every group), MM2's newest checkpoint for each (read incrementally from the target's checkpoints
 * topic, kept between scans), and the records a group would read twice after a failover now,
 * counted on the copy with the provenance headers.
 */
final class GroupScanner implements AutoCloseable {

  /** Copy records read past a translated offset to find the copy of a committed position. */
  private static final int RE_READ_WINDOW = 2_000;

  private final TenantsFile file;
  private final ClusterAccess clusters;
  private final Map<String, CheckpointLog> logs = new HashMap<>();

  GroupScanner(TenantsFile file, ClusterAccess clusters) {
    this.file = file;
    this.clusters = clusters;
  }

  /** Per tenant on the flow, its groups' partitions on the tenant's source partitions. */
  Map<String, List<GroupLag>> scan(
      FlowSpec flow,
      Map<TopicPartition, String> tenantOf,
      Map<TopicPartition, TopicPartition> copyOf,
      Map<TopicPartition, Long> copyEnds,
      Instant now)
      throws ExecutionException, InterruptedException {
    Admin source = clusters.admin(flow.source());
    Map<String, String> tenantOfGroup = groupsOf(flow, source);
    Map<String, List<GroupLag>> out = new LinkedHashMap<>();
    flow.tenants().forEach(id -> out.put(id, new ArrayList<>()));
    if (tenantOfGroup.isEmpty()) {
      return out;
    }
    Map<String, ListConsumerGroupOffsetsSpec> request = new HashMap<>();
    tenantOfGroup.keySet().forEach(g -> request.put(g, new ListConsumerGroupOffsetsSpec()));
    Map<String, Map<TopicPartition, OffsetAndMetadata>> committed =
        clusters.count(source.listConsumerGroupOffsets(request).all()).get();
    Map<String, Checkpoint> checkpoints = log(flow).latest();
    Map<String, Long> checkpointTimes = log(flow).times();

    // One read per copy partition, from the lowest translated offset of any group on it.
    Map<TopicPartition, long[]> ranges = new HashMap<>();
    for (var g : committed.entrySet()) {
      for (TopicPartition tp : g.getValue().keySet()) {
        TopicPartition copy = copyOf.get(tp);
        Checkpoint cp = copy == null ? null : checkpoints.get(key(g.getKey(), copy));
        if (cp != null && copyEnds.getOrDefault(copy, 0L) > cp.downstreamOffset()) {
          long[] r =
              ranges.computeIfAbsent(copy, c -> new long[] {Long.MAX_VALUE, copyEnds.get(c)});
          r[0] = Math.min(r[0], cp.downstreamOffset());
        }
      }
    }
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> copies =
        clusters.reader(flow.target()).read(ranges, RE_READ_WINDOW);

    for (var g : committed.entrySet()) {
      String tenant = tenantOfGroup.get(g.getKey());
      for (var e : g.getValue().entrySet()) {
        TopicPartition tp = e.getKey();
        if (e.getValue() == null || !tenant.equals(tenantOf.get(tp))) {
          continue;
        }
        long c = e.getValue().offset();
        TopicPartition copy = copyOf.get(tp);
        // MM2 keys a checkpoint by the copy's partition, the one a failed-over group reads.
        String key = copy == null ? null : key(g.getKey(), copy);
        Checkpoint cp = key == null ? null : checkpoints.get(key);
        long reRead = -1;
        double age = -1;
        if (cp != null) {
          reRead =
              reRead(
                  cp.downstreamOffset(),
                  c,
                  flow.source(),
                  copies.getOrDefault(copy, List.of()),
                  copyEnds.getOrDefault(copy, 0L));
          age = Math.max(0, (now.toEpochMilli() - checkpointTimes.get(key)) / 1000.0);
        }
        out.get(tenant)
            .add(
                new GroupLag(
                    g.getKey(),
                    tp.topic(),
                    tp.partition(),
                    c,
                    cp == null ? -1 : cp.upstreamOffset(),
                    cp == null ? -1 : cp.downstreamOffset(),
                    reRead,
                    age));
      }
    }
    out.values()
        .forEach(
            l ->
                l.sort(
                    (a, b) ->
                        (a.group() + a.topic() + a.partition())
                            .compareTo(b.group() + b.topic() + b.partition())));
    return out;
  }

  /** The source's consumer groups of the flow's tenants, each with its tenant. */
  private Map<String, String> groupsOf(FlowSpec flow, Admin source)
      throws ExecutionException, InterruptedException {
    Map<String, Patterns.Compiled> patterns = new LinkedHashMap<>();
    flow.tenants().forEach(id -> patterns.put(id, tenant(id).groups().compile()));
    Map<String, String> tenantOfGroup = new LinkedHashMap<>();
    for (ConsumerGroupListing g : clusters.count(source.listConsumerGroups().all()).get()) {
      patterns.forEach(
          (id, groups) -> {
            if (groups.matches(g.groupId())) {
              tenantOfGroup.put(g.groupId(), id);
            }
          });
    }
    return tenantOfGroup;
  }

  /**
   * Copy records from {@code translated} up to the copy of source offset {@code committed}: the
   * first copy record whose provenance is at or past it, or the copy's end when the committed
   * position is not copied yet.
   */
  private static long reRead(
      long translated,
      long committed,
      String source,
      List<ConsumerRecord<byte[], byte[]>> copy,
      long copyEnd) {
    for (ConsumerRecord<byte[], byte[]> r : copy) {
      if (r.offset() < translated) {
        continue;
      }
      Header h = r.headers().lastHeader(Provenance.DEFAULT_HEADER);
      var p = h == null ? null : Provenance.parse(h.value()).orElse(null);
      if (p != null
          && p.hops() == 1
          && p.originAlias().equals(source)
          && p.originOffset() >= committed) {
        return r.offset() - translated;
      }
    }
    return Math.max(0, copyEnd - translated);
  }

  private static String key(String group, TopicPartition tp) {
    return group + "|" + tp;
  }

  private Tenant tenant(String id) {
    return file.tenants().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
  }

  private CheckpointLog log(FlowSpec flow) {
    return logs.computeIfAbsent(flow.source() + "->" + flow.target(), k -> new CheckpointLog(flow));
  }

  @Override
  public void close() {
    logs.values().forEach(CheckpointLog::close);
  }

  /** MM2's checkpoints topic of one flow on its target, read on from where the last scan ended. */
  private final class CheckpointLog implements AutoCloseable {
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Checkpoint> latest = new HashMap<>();
    private final Map<String, Long> times = new HashMap<>();

    CheckpointLog(FlowSpec flow) {
      this.topic = flow.source() + ".checkpoints.internal";
      Map<String, Object> config =
          new HashMap<>(ClusterClients.adminConfig(file.cluster(flow.target())));
      config.put("client.id", "kdr-controller-checkpoints-" + flow.source());
      config.put("enable.auto.commit", false);
      config.put("auto.offset.reset", "earliest");
      this.consumer =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Reads what was written since the last call; the newest checkpoint per group partition. */
    Map<String, Checkpoint> latest() {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      if (partitions.isEmpty()) {
        return latest;
      }
      if (!consumer.assignment().containsAll(partitions)) {
        consumer.assign(partitions);
      }
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          try {
            Checkpoint cp = Checkpoint.deserializeRecord(r);
            String key = key(cp.consumerGroupId(), cp.topicPartition());
            latest.put(key, cp);
            times.put(key, r.timestamp());
          } catch (RuntimeException e) {
            // Not a checkpoint: nothing else should write here; skip it.
          }
        }
      }
      return latest;
    }

    Map<String, Long> times() {
      return times;
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
