package dev.kafkadr.controller.migration;

import dev.kafkadr.config.MskCapacity;
import dev.kafkadr.tenant.NamingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules a migration plan is judged by, over measured figures only (no I/O): what blocks the
 * copy and what to warn about. Sources: MSK's limits as {@link MskCapacity} cites them; the rest
 * are kafka-dr's own (a migration keeps topic names, so clients need no change).
 */
public final class MigrationChecks {

  private MigrationChecks() {}

  /** Blockers and warnings, each a sentence naming the topic or setting concerned. */
  public record Findings(List<String> blockers, List<String> warnings) {}

  /**
   * Judges a plan's figures.
   *
   * @param naming the tenant's naming mode
   * @param topics the tenant's topics as measured
   * @param capacity the target's capacity as measured
   * @param msk what the tenants file says the target is, or null when it is not declared as MSK
   */
  public static Findings judge(
      NamingMode naming,
      List<MigrationPlan.TopicPlan> topics,
      MigrationPlan.TargetCapacity capacity,
      MskCapacity msk) {
    List<String> blockers = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    if (naming != NamingMode.IDENTICAL) {
      blockers.add(
          "the tenant's naming is "
              + naming.configName()
              + ": a migration keeps topic names so that clients need no change; set naming:"
              + " identical for it");
    }
    for (MigrationPlan.TopicPlan t : topics) {
      topic(t, capacity, msk, blockers, warnings);
    }
    capacity(capacity, msk, blockers, warnings);
    return new Findings(List.copyOf(blockers), List.copyOf(warnings));
  }

  private static void topic(
      MigrationPlan.TopicPlan t,
      MigrationPlan.TargetCapacity capacity,
      MskCapacity msk,
      List<String> blockers,
      List<String> warnings) {
    if (t.existsOnTarget()) {
      warnings.add(
          t.name()
              + " already exists on the target (a flow may be copying it already): records there"
              + " that are not copies of the source's will be found as extra by verify");
    }
    if (t.wireFormat().looksFramed()) {
      warnings.add(
          t.name()
              + ": "
              + t.wireFormat().framed()
              + " of "
              + t.wireFormat().sampled()
              + " sampled values are in Confluent's wire format (schema ids "
              + t.wireFormat().schemaIds()
              + "): the target's schema registry must hold the same ids, or its consumers cannot"
              + " read the copy");
    }
    if (msk == null || !msk.serverless()) {
      return;
    }
    for (Map.Entry<String, String> c : t.configs().entrySet()) {
      if (!MskCapacity.SERVERLESS_TOPIC_CONFIGS.contains(c.getKey())) {
        warnings.add(
            t.name()
                + ": "
                + c.getKey()
                + "="
                + c.getValue()
                + " cannot be set on MSK Serverless; the copy gets MSK's default");
      }
    }
    String max = t.configs().get("max.message.bytes");
    if (max != null && Long.parseLong(max) > MskCapacity.SERVERLESS_MAX_MESSAGE_BYTES) {
      blockers.add(
          t.name()
              + ": max.message.bytes="
              + max
              + " is above MSK Serverless's cap of "
              + MskCapacity.SERVERLESS_MAX_MESSAGE_BYTES
              + ": larger records could not be copied");
    }
  }

  private static void capacity(
      MigrationPlan.TargetCapacity capacity,
      MskCapacity msk,
      List<String> blockers,
      List<String> warnings) {
    if (msk != null && !msk.serverless() && msk.brokers() != capacity.brokers()) {
      warnings.add(
          "the tenants file declares "
              + msk.brokers()
              + " "
              + msk.brokerType()
              + " brokers, the target has "
              + capacity.brokers()
              + " now; the limits below use the brokers it has");
    }
    if (capacity.brokers() > 0 && capacity.replicationFactor() > capacity.brokers()) {
      blockers.add(
          "the copy creates its topics with replication.factor "
              + capacity.replicationFactor()
              + " (the tenant's overrides, or kafka-dr's default), more than the target's "
              + capacity.brokers()
              + " brokers: topic creation would fail; set replication.factor in the tenant's"
              + " overrides");
    }
    if (capacity.messageMaxBytes() < 0) {
      warnings.add(
          "the target's message.max.bytes is unknown (no broker answered for it): records larger"
              + " than the target accepts would stop the copy");
    }
    if (capacity.updatablePerBroker() == 0 || capacity.brokers() == 0) {
      return;
    }
    long perBroker =
        (capacity.replicasNow() + capacity.replicasAdded() + capacity.brokers() - 1)
            / capacity.brokers();
    String figures =
        perBroker
            + " partition replicas per "
            + capacity.brokerType()
            + " broker on average after the copy (AWS's limit is per broker; "
            + capacity.replicasNow()
            + " now + "
            + capacity.replicasAdded()
            + " added, over "
            + capacity.brokers()
            + " brokers)";
    if (perBroker > capacity.updatablePerBroker()) {
      blockers.add(
          figures
              + ": above "
              + capacity.updatablePerBroker()
              + ", the most with which MSK can still update the cluster; add brokers or a larger"
              + " type first");
    } else if (perBroker > capacity.recommendedPerBroker()) {
      warnings.add(figures + ": above AWS's recommended " + capacity.recommendedPerBroker());
    }
  }
}
