package dev.kafkadr.controller.workflow;

import dev.kafkadr.tenant.Patterns;
import dev.kafkadr.tenant.Tenant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** A tenant's topics, partitions, offsets and consumer groups on one cluster. */
public final class TenantTopics {

  private TenantTopics() {}

  /**
   * Every partition of the tenant's topics on the cluster, sorted by name.
   *
   * @throws Exception when the cluster does not answer within 30 s
   */
  public static List<TopicPartition> partitions(Admin admin, Tenant tenant) throws Exception {
    Patterns.Compiled patterns = tenant.topics().compile();
    List<String> topics =
        admin
            .listTopics(new ListTopicsOptions().listInternal(false))
            .names()
            .get(30, TimeUnit.SECONDS)
            .stream()
            .filter(patterns::matches)
            .sorted()
            .toList();
    List<TopicPartition> out = new ArrayList<>();
    if (topics.isEmpty()) {
      return out;
    }
    admin
        .describeTopics(topics)
        .allTopicNames()
        .get(30, TimeUnit.SECONDS)
        .forEach(
            (name, d) ->
                d.partitions().forEach(p -> out.add(new TopicPartition(name, p.partition()))));
    out.sort((a, b) -> a.toString().compareTo(b.toString()));
    return out;
  }

  /**
   * Offsets of {@code partitions} by {@code spec} (earliest, latest).
   *
   * @throws Exception when the cluster does not answer within 30 s
   */
  public static Map<TopicPartition, Long> offsets(
      Admin admin, Collection<TopicPartition> partitions, OffsetSpec spec) throws Exception {
    return offsets(
        admin, partitions, spec, new org.apache.kafka.clients.admin.ListOffsetsOptions());
  }

  /**
   * Each partition's last stable offset (the end a read-committed consumer sees: before the first
   * open transaction), by partition name ({@code topic-N}), sorted.
   */
  static Map<String, Object> lastStable(Admin admin, Collection<TopicPartition> partitions)
      throws Exception {
    Map<String, Object> out = new java.util.TreeMap<>();
    lastStableOffsets(admin, partitions).forEach((tp, o) -> out.put(tp.toString(), o));
    return out;
  }

  /**
   * Each partition's last stable offset (where a read-committed consumer's reads end).
   *
   * @throws Exception when the cluster does not answer within 30 s
   */
  public static Map<TopicPartition, Long> lastStableOffsets(
      Admin admin, Collection<TopicPartition> partitions) throws Exception {
    return offsets(
        admin,
        partitions,
        OffsetSpec.latest(),
        new org.apache.kafka.clients.admin.ListOffsetsOptions(
            org.apache.kafka.common.IsolationLevel.READ_COMMITTED));
  }

  private static Map<TopicPartition, Long> offsets(
      Admin admin,
      Collection<TopicPartition> partitions,
      OffsetSpec spec,
      org.apache.kafka.clients.admin.ListOffsetsOptions options)
      throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    Map<TopicPartition, Long> out = new HashMap<>();
    if (request.isEmpty()) {
      return out;
    }
    admin
        .listOffsets(request, options)
        .all()
        .get(30, TimeUnit.SECONDS)
        .forEach((tp, r) -> out.put(tp, r.offset()));
    return out;
  }

  /**
   * The tenant's consumer groups on the cluster, sorted.
   *
   * @throws Exception when the cluster does not answer within 30 s
   */
  public static List<String> groups(Admin admin, Tenant tenant) throws Exception {
    Patterns.Compiled patterns = tenant.groups().compile();
    return admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
        .map(g -> g.groupId())
        .filter(patterns::matches)
        .sorted()
        .toList();
  }

  /**
   * A group's committed offsets on the tenant's partitions.
   *
   * @throws Exception when the cluster does not answer within 30 s
   */
  public static Map<TopicPartition, Long> committed(Admin admin, String group, Tenant tenant)
      throws Exception {
    Patterns.Compiled patterns = tenant.topics().compile();
    Map<TopicPartition, Long> out = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
    offsets.forEach(
        (tp, o) -> {
          if (o != null && patterns.matches(tp.topic())) {
            out.put(tp, o.offset());
          }
        });
    return out;
  }
}
