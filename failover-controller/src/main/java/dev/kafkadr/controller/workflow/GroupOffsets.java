package dev.kafkadr.controller.workflow;

import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.GroupLag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Moves consumer groups' positions to the new cluster: translated through the copies' provenance
 * and written there, for the planned and the unplanned workflows alike.
 */
final class GroupOffsets {

  private GroupOffsets() {}

  /**
   * What {@link #translateAndWrite} did.
   *
   * @param groups per group, per partition: [source offset, copy offset, records from the copy
   *     offset on that may be read again (0 when exact)]
   * @param reads copy records read to find them
   * @param mayReadAgain per group, records it may read again because provenance could not place its
   *     position exactly (0 for every group whose every partition was translated exactly)
   * @param copiedPast per group, records on the copies from the translated positions to the ends
   */
  record Translated(
      Map<String, Object> groups,
      int reads,
      Map<String, Long> mayReadAgain,
      Map<String, Long> copiedPast) {

    /** The groups translated inexactly, each with its bound. */
    Map<String, Long> inexact() {
      Map<String, Long> out = new TreeMap<>();
      mayReadAgain.forEach(
          (g, n) -> {
            if (n > 0) {
              out.put(g, n);
            }
          });
      return out;
    }

    /** One line for the step's detail. */
    String summary() {
      return groups.size()
          + " group(s) translated, "
          + (inexact().isEmpty()
              ? "all exactly"
              : "inexactly where copies carry no provenance, records each may read again at most: "
                  + inexact())
          + " ("
          + reads
          + " copy records read)";
    }
  }

  /**
   * MM2's newest checkpoint of a group's partition as a copy offset, or -1: looked up only where
   * provenance cannot place the group's position.
   */
  @FunctionalInterface
  interface Checkpoints {
    long copyOffset(String group, TopicPartition tp, long committed);

    /** The checkpoints in a scan of the flow, each only if it is not ahead of the commit. */
    static Checkpoints of(Supplier<FlowLag> scan) {
      var memo = new java.util.concurrent.atomic.AtomicReference<List<GroupLag>>();
      return (group, tp, committed) -> {
        if (memo.get() == null) {
          FlowLag lag = scan.get();
          memo.set(lag == null ? List.of() : lag.groups());
        }
        return memo.get().stream()
            .filter(
                g ->
                    g.group().equals(group)
                        && g.topic().equals(tp.topic())
                        && g.partition() == tp.partition()
                        && g.checkpointUpstream() >= 0
                        && g.checkpointUpstream() <= committed)
            .mapToLong(GroupLag::translatedOffset)
            .findFirst()
            .orElse(-1);
      };
    }
  }

  /**
   * Translates each group's source offsets exactly to the copies on the new cluster and writes them
   * there (removing the group's stale members first).
   *
   * @param sourceAnswers whether the old cluster can be read (not in a failover): its records then
   *     place positions among copies of the new cluster's own records exactly (after a round trip)
   */
  static Translated translateAndWrite(
      StepContext c,
      Map<String, Map<TopicPartition, Long>> committed,
      Checkpoints checkpoints,
      boolean sourceAnswers)
      throws Exception {
    Admin target = c.admin(c.to());
    Map<String, Object> translated = new TreeMap<>();
    Map<String, Long> mayReadAgain = new TreeMap<>();
    Map<String, Long> copiedPast = new TreeMap<>();
    try (ExactTranslator translator = new ExactTranslator(c.to(), c.from().alias());
        SourceOrigins origins =
            sourceAnswers ? new SourceOrigins(c.from(), c.to().alias()) : null) {
      for (var group : committed.entrySet()) {
        String id = group.getKey();
        var partitions = group.getValue().keySet();
        Map<TopicPartition, Long> starts =
            TenantTopics.offsets(target, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> ends =
            TenantTopics.offsets(target, partitions, OffsetSpec.latest());
        Map<TopicPartition, OffsetAndMetadata> write = new LinkedHashMap<>();
        Map<String, List<Long>> shown = new TreeMap<>();
        for (var e : group.getValue().entrySet()) {
          TopicPartition tp = e.getKey();
          long from = e.getValue();
          var t =
              translator.translate(
                  tp,
                  from,
                  starts.get(tp),
                  ends.get(tp),
                  c.monitor().copyRuns(c.from().alias(), c.to().alias(), tp),
                  () -> checkpoints.copyOffset(id, tp, from),
                  () -> origins == null ? -1 : origins.targetPosition(tp, from));
          write.put(tp, new OffsetAndMetadata(t.offset(), "kafka-dr " + c.workflowId()));
          shown.put(tp.toString(), List.of(from, t.offset(), t.mayReadAgain()));
          mayReadAgain.merge(id, t.mayReadAgain(), Long::sum);
          copiedPast.merge(id, Math.max(0, ends.get(tp) - t.offset()), Long::sum);
        }
        if (!write.isEmpty()) {
          removeStaleMembers(target, id, c);
          target.alterConsumerGroupOffsets(id, write).all().get(30, TimeUnit.SECONDS);
        }
        translated.put(id, shown);
        c.progress(translated.size() + " group(s) translated");
      }
      return new Translated(translated, translator.reads(), mayReadAgain, copiedPast);
    }
  }

  /**
   * Members the group still has on the new cluster are stale: the tenant's consumers are fenced
   * there until the switch, but members fenced by an earlier switch stay registered until their
   * session times out (they could not leave). Offsets of a group with members cannot be set.
   */
  static void removeStaleMembers(Admin target, String group, StepContext c) throws Exception {
    ConsumerGroupDescription described;
    try {
      described =
          target.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
        return;
      }
      throw e;
    }
    if (described != null && !described.members().isEmpty()) {
      target
          .removeMembersFromConsumerGroup(
              group, new org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions())
          .all()
          .get(30, TimeUnit.SECONDS);
      c.progress(
          "removed "
              + described.members().size()
              + " stale member(s) of "
              + group
              + " on "
              + c.to().alias());
    }
  }
}
