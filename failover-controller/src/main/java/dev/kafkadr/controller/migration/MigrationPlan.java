package dev.kafkadr.controller.migration;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * What a migration of one tenant from its source cluster to a target (on-prem Kafka to Amazon MSK)
 * would move and what stands in its way, measured at {@code measuredAt}; nothing is changed to make
 * it. Sizes are bytes on disk of one replica, records are offset ranges (an upper bound where a
 * topic is compacted or holds transaction markers).
 *
 * @param tenant the tenant id
 * @param source the source cluster alias
 * @param target the target cluster alias
 * @param measuredAt when it was measured (ISO-8601 UTC)
 * @param totals the sums over the tenant's topics, groups and producers
 * @param topics one entry per source topic of the tenant, by name
 * @param groups the tenant's consumer groups on the source
 * @param producers producers that wrote to the tenant's partitions within the brokers' producer
 *     state (Kafka's Admin API gives no principal: see {@code producerPrincipals})
 * @param producerPrincipals the tenant's producer principals, from the tenants file
 * @param acls ACL bindings of the tenant's principals on the source, as Kafka prints them
 * @param quotas client quotas of the tenant's principals on the source: entity to quota to value
 * @param capacity the target's brokers and how many partition replicas it would hold
 * @param blockers what must change before the copy may start
 * @param warnings what will differ or needs a person's attention, the copy may still start
 */
public record MigrationPlan(
    String tenant,
    String source,
    String target,
    String measuredAt,
    Totals totals,
    List<TopicPlan> topics,
    List<GroupPlan> groups,
    List<ProducerPlan> producers,
    List<String> producerPrincipals,
    List<String> acls,
    Map<String, Map<String, Double>> quotas,
    TargetCapacity capacity,
    List<String> blockers,
    List<String> warnings) {

  /** Sums over the plan. */
  public record Totals(
      int topics, int partitions, long records, long bytes, int groups, int producers) {}

  /**
   * One topic.
   *
   * @param name its name on the source
   * @param targetName its name on the target (identical naming keeps it)
   * @param partitions partition count
   * @param replicationFactor replicas per partition on the source
   * @param records end offset minus start offset, summed over partitions
   * @param bytes the largest replica's size per partition, summed; -1 when a partition's size is
   *     unknown (no broker reported it; the plan's warnings say which)
   * @param compacted whether {@code cleanup.policy} includes compact
   * @param configs the topic's own settings (not broker or default ones)
   * @param existsOnTarget whether a topic of {@code targetName} already exists on the target
   * @param wireFormat what a sample of its newest values looks like
   */
  public record TopicPlan(
      String name,
      String targetName,
      int partitions,
      int replicationFactor,
      long records,
      long bytes,
      boolean compacted,
      Map<String, String> configs,
      boolean existsOnTarget,
      WireFormat.Sample wireFormat) {}

  /**
   * One consumer group.
   *
   * @param group its id
   * @param state its state as the coordinator reports it
   * @param lag the sum over its committed partitions of the end offset minus its position; -1 when
   *     a partition's end offset is unknown (the plan's warnings say which)
   * @param members who is in it now
   */
  public record GroupPlan(String group, String state, long lag, List<Member> members) {}

  /** A group member: client id, host as the coordinator saw it, assigned partitions. */
  public record Member(String clientId, String host, SortedSet<String> assignment) {}

  /**
   * A producer the brokers hold state for.
   *
   * @param partition {@code topic-N}
   * @param producerId the producer id
   * @param epoch its epoch
   * @param lastWrite when it last wrote there (ISO-8601 UTC), empty when unknown
   * @param openTransactionFrom the first offset of its open transaction, or -1
   */
  public record ProducerPlan(
      String partition, long producerId, int epoch, String lastWrite, long openTransactionFrom) {}

  /**
   * The target's capacity for the tenant's topics.
   *
   * @param brokers brokers of the target now
   * @param brokerType the MSK broker type the tenants file gives, or empty
   * @param messageMaxBytes the target brokers' {@code message.max.bytes}; -1 when no broker
   *     answered for it
   * @param replicasNow partition replicas the target holds now (those the controller may see)
   * @param replicationFactor the replication factor the copy creates its topics with (the tenant's
   *     {@code replication.factor} override, or kafka-dr's default)
   * @param replicasAdded replicas the copy would add (topics not yet on the target, at {@code
   *     replicationFactor})
   * @param recommendedPerBroker AWS's recommended replicas per broker of that type, or 0
   * @param updatablePerBroker the most replicas per broker MSK can still update with, or 0
   */
  public record TargetCapacity(
      int brokers,
      String brokerType,
      long messageMaxBytes,
      long replicasNow,
      int replicationFactor,
      long replicasAdded,
      int recommendedPerBroker,
      int updatablePerBroker) {}
}
