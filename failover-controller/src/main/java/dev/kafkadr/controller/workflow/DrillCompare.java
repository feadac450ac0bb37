package dev.kafkadr.controller.workflow;

import static dev.kafkadr.controller.workflow.DrillSteps.number;
import static dev.kafkadr.controller.workflow.DrillSteps.partition;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.config.Delivery;
import dev.kafkadr.controller.drill.Completeness;
import dev.kafkadr.controller.drill.RecordDigest;
import dev.kafkadr.tenant.Provenance;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A verify drill's comparisons: every committed source record up to the cut against its copy
 * ({@link Completeness}), and every tenant group's committed position against the record its
 * translation lands on.
 */
final class DrillCompare {

  /** Copy records read past a sampled range for its later duplicates. */
  static final int SAMPLE_TAIL = 10_000;

  private static final Duration READ_DEADLINE = Duration.ofSeconds(60);

  private DrillCompare() {}

  /** The records of one cluster, read committed. */
  static KafkaConsumer<byte[], byte[]> reader(ClusterSpec cluster, String purpose) {
    Map<String, Object> config =
        new HashMap<>(
            ClusterClients.readerConfig(cluster, "kdr-drill-" + purpose + "-" + cluster.alias()));
    config.put("isolation.level", "read_committed");
    config.put("max.poll.records", 2000);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The source offset a copy record names, when copied from {@code sourceAlias}. */
  static Optional<Long> origin(ConsumerRecord<byte[], byte[]> r, String sourceAlias) {
    Header h = r.headers().lastHeader(Provenance.DEFAULT_HEADER);
    return Provenance.copiedFrom(h == null ? null : h.value(), sourceAlias);
  }

  /**
   * Compares every committed record from each partition's starting point to its cut, and each
   * sampled older window, with their copies.
   */
  static final class VerifyCompleteness implements Step {
    @Override
    public String name() {
      return "verify-completeness";
    }

    @Override
    public String plan(StepContext c) {
      return "would compare every committed record up to the cut on "
          + c.from().alias()
          + " with its copy on "
          + c.to().alias()
          + " (timestamp, key, value, headers)";
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      Map<String, Object> cut = DrillSteps.partitionsFact(c, "drillCut");
      Map<String, Object> from = DrillSteps.partitionsFact(c, "drillFrom");
      Map<String, Object> sample = DrillSteps.partitionsFact(c, "drillSample");
      boolean duplicatesAllowed =
          c.file().connect().of(c.tenant().id()).delivery() != Delivery.EXACTLY_ONCE;
      java.util.Set<String> compacted = compacted(c.admin(c.from()), cut.keySet());
      Map<String, Object> partitions = new TreeMap<>();
      Map<String, Object> samples = new TreeMap<>();
      long[] totals = new long[6]; // records, matched, not copied, differs, duplicates, verified
      long everything = 0;
      List<String> failures = new java.util.ArrayList<>();
      try (var source = reader(c.from(), "source");
          var copy = reader(c.to(), "copy");
          var translator = new ExactTranslator(c.to(), c.from().alias())) {
        Map<TopicPartition, TopicPartition> copies = DrillSteps.copies(c);
        for (String name : DrillSteps.names(cut)) {
          TopicPartition tp = partition(name);
          TopicPartition copyTp = copies.get(tp);
          boolean perKey = compacted.contains(tp.topic());
          long f = number(from.get(name));
          long ct = number(cut.get(name));
          Completeness.Result r =
              compare(c, source, copy, translator, new Range(tp, copyTp, f, ct, perKey, false));
          partitions.put(name, r.toMap());
          add(totals, r);
          if (!r.passed(duplicatesAllowed)) {
            failures.add(failure(name, r, duplicatesAllowed));
          }
          if (sample.containsKey(name)) {
            @SuppressWarnings("unchecked")
            List<Object> w = (List<Object>) sample.get(name);
            Completeness.Result s =
                compare(
                    c,
                    source,
                    copy,
                    translator,
                    new Range(tp, copyTp, number(w.get(0)), number(w.get(1)), perKey, true));
            samples.put(name, s.toMap());
            add(totals, s);
            if (!s.passed(duplicatesAllowed)) {
              failures.add(failure(name + " (sample)", s, duplicatesAllowed));
            }
            everything += ct - number(w.get(2));
          } else {
            everything += ct - f;
          }
          c.progress(partitions.size() + "/" + cut.size() + " partitions compared");
        }
      }
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("drillCompleteness", partitions);
      facts.put("drillCompletenessSamples", samples);
      facts.put("drillCompletenessFailures", failures);
      facts.put("drillDuplicatesAllowed", duplicatesAllowed);
      facts.put("drillOffsetsVerified", totals[5]);
      facts.put("drillOffsetsUpToCut", everything);
      facts.put("drillCompactedTopics", List.copyOf(new java.util.TreeSet<>(compacted)));
      return new Outcome(
          totals[0]
              + " committed records compared: "
              + totals[1]
              + " matched, "
              + totals[2]
              + " not yet copied, "
              + totals[3]
              + " differ, "
              + totals[4]
              + " duplicates ("
              + (duplicatesAllowed ? "allowed at at-least-once" : "none allowed at exactly-once")
              + ")"
              + (failures.isEmpty() ? "" : ": " + String.join("; ", failures)),
          facts);
    }

    private static void add(long[] totals, Completeness.Result r) {
      totals[0] += r.sourceRecords();
      totals[1] += r.matched();
      totals[2] += r.notYetCopied();
      totals[3] += r.differs();
      totals[4] += r.duplicates();
      totals[5] += r.cut() - r.from();
    }

    private static String failure(String name, Completeness.Result r, boolean duplicatesAllowed) {
      List<String> why = new java.util.ArrayList<>();
      if (r.notYetCopied() > 0) {
        why.add(
            r.notYetCopied() + " not yet copied, the first at source offset " + r.firstNotCopied());
      }
      if (r.differs() + r.duplicatesDiffering() > 0) {
        why.add(
            (r.differs() + r.duplicatesDiffering())
                + " differ from their source record, the first at source offset "
                + r.firstDifferingSourceOffset()
                + " (copy offset "
                + r.firstDifferingCopyOffset()
                + ")");
      }
      if (!duplicatesAllowed && r.duplicates() > 0) {
        why.add(r.duplicates() + " duplicates of an exactly-once tenant");
      }
      return name + ": " + String.join(", ", why);
    }

    private static java.util.Set<String> compacted(Admin admin, java.util.Set<String> partitions)
        throws Exception {
      List<ConfigResource> topics =
          partitions.stream()
              .map(p -> partition(p).topic())
              .distinct()
              .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
              .toList();
      java.util.Set<String> out = new java.util.HashSet<>();
      if (topics.isEmpty()) {
        return out;
      }
      admin
          .describeConfigs(topics)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach(
              (r, config) -> {
                var policy = config.get("cleanup.policy");
                if (policy != null
                    && policy.value() != null
                    && policy.value().contains("compact")) {
                  out.add(r.name());
                }
              });
      return out;
    }
  }

  /**
   * One range of one partition: the source's committed records in [from, cut), then the copy from
   * the translated position of {@code from} (in the source's current incarnation) to its end, or,
   * for a sample, to {@link #SAMPLE_TAIL} records past the range.
   */
  /** One range of one partition and its copy (null: none), compared by offset or latest per key. */
  record Range(
      TopicPartition tp,
      TopicPartition copy,
      long from,
      long cut,
      boolean perKey,
      boolean sample) {}

  static Completeness.Result compare(
      StepContext c,
      KafkaConsumer<byte[], byte[]> source,
      KafkaConsumer<byte[], byte[]> copy,
      ExactTranslator translator,
      Range range) {
    TopicPartition tp = range.tp();
    TopicPartition copyTp = range.copy();
    long from = range.from();
    long cut = range.cut();
    boolean perKey = range.perKey();
    boolean isSample = range.sample();
    Completeness check = new Completeness(from, cut, perKey);
    read(source, tp, from, cut, r -> check.source(r.offset(), r.key(), RecordDigest.of(r)));
    if (copyTp == null) {
      return check.result(); // no copy: every record is not yet copied
    }
    return compareCopy(c, copy, translator, check, copyTp, from, cut, isSample);
  }

  private static Completeness.Result compareCopy(
      StepContext c,
      KafkaConsumer<byte[], byte[]> copy,
      ExactTranslator translator,
      Completeness check,
      TopicPartition tp,
      long from,
      long cut,
      boolean isSample) {
    long copyStart = copy.beginningOffsets(List.of(tp), READ_DEADLINE).get(tp);
    long copyEnd = copy.endOffsets(List.of(tp), READ_DEADLINE).get(tp);
    var runs = c.monitor().copyRuns(c.from().alias(), c.to().alias(), tp);
    long at = translator.translate(tp, from, copyStart, copyEnd, runs, () -> -1, () -> -1).offset();
    long[] past = {-1};
    String alias = c.from().alias();
    readUntil(
        copy,
        tp,
        at,
        copyEnd,
        r -> {
          Optional<Long> o = origin(r, alias);
          if (o.isPresent() && check.covers(o.get())) {
            check.copy(r.offset(), o.get(), r.key(), RecordDigest.of(r));
          }
          if (o.isPresent() && o.get() >= cut && past[0] < 0) {
            past[0] = r.offset();
          }
          return !isSample || past[0] < 0 || r.offset() - past[0] < SAMPLE_TAIL;
        });
    return check.result();
  }

  /** Feeds {@code sink} the records of [from, to) (read committed; none past {@code to}). */
  static void read(
      KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition tp,
      long from,
      long to,
      java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    readUntil(
        consumer,
        tp,
        from,
        to,
        r -> {
          sink.accept(r);
          return true;
        });
  }

  private static void readUntil(
      KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition tp,
      long from,
      long to,
      java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> more) {
    if (from >= to) {
      return;
    }
    consumer.assign(List.of(tp));
    consumer.seek(tp, from);
    long deadline = System.nanoTime() + READ_DEADLINE.toNanos();
    while (consumer.position(tp) < to) {
      if (System.nanoTime() > deadline) {
        throw new WorkflowException(
            tp
                + " could not be read from "
                + from
                + " to "
                + to
                + " within "
                + READ_DEADLINE
                + " (stopped at "
                + consumer.position(tp)
                + ")");
      }
      var records = consumer.poll(Duration.ofMillis(200));
      if (!records.isEmpty()) {
        deadline = System.nanoTime() + READ_DEADLINE.toNanos(); // progress: a fresh deadline
      }
      for (ConsumerRecord<byte[], byte[]> r : records) {
        if (r.offset() >= to || !more.test(r)) {
          return;
        }
      }
    }
  }

  /**
   * Every tenant group's committed position on the active cluster, translated as a switchover
   * would, must land on the copy of the record at that position (the first committed record at or
   * after it), or on the copy's end when that record is not copied yet or the group is at the end.
   */
  static final class VerifyOffsets implements Step {
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
}
