package dev.kafkadr.controller.workflow;

import static dev.kafkadr.controller.workflow.DrillCompare.READ_DEADLINE;
import static dev.kafkadr.controller.workflow.DrillCompare.origin;
import static dev.kafkadr.controller.workflow.DrillCompare.readUntil;
import static dev.kafkadr.controller.workflow.DrillCompare.reader;

import dev.kafkadr.controller.drill.RecordDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Every tenant group's committed position on the active cluster, translated as a switchover would,
 * must land on the copy of the record at that position (the first committed record at or after it),
 * or on the copy's end when that record is not copied yet or the group is at the end.
 */
final class DrillOffsets implements Step {
  @Override
  public String name() {
    return "verify-offsets";
  }

  @Override
  public String plan(StepContext c) {
    return "would translate every tenant group's committed offsets and read the record each lands on";
  }

  @Override
  public Outcome run(StepContext c) throws Exception {
    Admin admin = c.admin(c.from());
    Map<String, Object> groups = new TreeMap<>();
    List<String> failures = new java.util.ArrayList<>();
    int positions = 0;
    try (var source = reader(c.from(), "offsets-source");
        var copy = reader(c.to(), "offsets-copy");
        var translator = new ExactTranslator(c.to(), c.from().alias())) {
      Map<TopicPartition, TopicPartition> copies = DrillSteps.copies(c);
      for (String group : TenantTopics.groups(admin, c.tenant())) {
        Map<String, Object> shown = new TreeMap<>();
        for (var e : TenantTopics.committed(admin, group, c.tenant()).entrySet()) {
          TopicPartition copyTp = copies.get(e.getKey());
          String verdict =
              copyTp == null
                  ? "no copy of the partition on " + c.to().alias()
                  : check(c, source, copy, translator, e.getKey(), copyTp, e.getValue(), shown);
          positions++;
          if (verdict != null) {
            failures.add(group + " " + e.getKey() + ": " + verdict);
          }
        }
        groups.put(group, shown);
      }
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("drillGroups", groups);
    facts.put("drillOffsetFailures", failures);
    return new Outcome(
        groups.size()
            + " group(s), "
            + positions
            + " committed position(s) translated and read: "
            + (failures.isEmpty() ? "each lands on its record" : String.join("; ", failures)),
        facts);
  }

  /** Null when the translation lands right, else why not; the figures go into {@code shown}. */
  private static String check(
      StepContext c,
      KafkaConsumer<byte[], byte[]> source,
      KafkaConsumer<byte[], byte[]> copy,
      ExactTranslator translator,
      TopicPartition tp,
      TopicPartition copyTp,
      long committed,
      Map<String, Object> shown) {
    long copyStart = copy.beginningOffsets(List.of(copyTp), READ_DEADLINE).get(copyTp);
    long copyEnd = copy.endOffsets(List.of(copyTp), READ_DEADLINE).get(copyTp);
    long lso = source.endOffsets(List.of(tp), READ_DEADLINE).get(tp);
    var runs = c.monitor().copyRuns(c.from().alias(), c.to().alias(), copyTp);
    var t = translator.translate(copyTp, committed, copyStart, copyEnd, runs, () -> -1, () -> -1);
    ConsumerRecord<byte[], byte[]>[] at = first(source, tp, committed, lso, r -> true);
    String alias = c.from().alias();
    ConsumerRecord<byte[], byte[]>[] landed =
        first(copy, copyTp, t.offset(), copyEnd, r -> origin(r, alias).isPresent());
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("committed", committed);
    row.put("translated", t.offset());
    row.put("mayReadAgain", t.mayReadAgain());
    shown.put(tp.toString(), row);
    if (t.mayReadAgain() > 0) {
      return "translated inexactly: up to " + t.mayReadAgain() + " records may be read again";
    }
    if (landed[0] == null) {
      row.put("lands", "the copy's end");
      // Right when nothing at or after the position is copied yet.
      return null;
    }
    long named = origin(landed[0], alias).orElseThrow();
    row.put("lands", "copy of source offset " + named);
    if (at[0] == null || named != at[0].offset()) {
      return "lands on the copy of source offset "
          + named
          + ", not of "
          + (at[0] == null ? "nothing (the group is at the end)" : at[0].offset());
    }
    if (RecordDigest.of(landed[0]) != RecordDigest.of(at[0])) {
      return "lands on a copy of source offset " + named + " that differs from the source record";
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static ConsumerRecord<byte[], byte[]>[] first(
      KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition tp,
      long from,
      long to,
      java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> wanted) {
    ConsumerRecord<byte[], byte[]>[] out = new ConsumerRecord[1];
    readUntil(
        consumer,
        tp,
        from,
        to,
        r -> {
          if (wanted.test(r)) {
            out[0] = r;
            return false;
          }
          return true;
        });
    return out;
  }
}
