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
 * A verify drill's comparison of every committed source record up to the cut with its copy ({@link
 * Completeness}), and the readers it and {@link DrillOffsets} share.
 */
final class DrillCompare {

  /**
   * Partitions compared at once, each reader with its own consumers of both clusters: one, since
   * two were slower on the 2-core machine where the brokers share the CPU (BENCHMARKS.md, "Verify
   * drills"); a host with cores to spare may gain from more.
   */
  static final int READERS = 1;

  /** Copy records read past a sampled range for its later duplicates. */
  static final int SAMPLE_TAIL = 2_000;

  /** How long a read may go without a record before it fails. */
  static final Duration READ_DEADLINE = Duration.ofSeconds(60);

  private DrillCompare() {}

  /** The records of one cluster, read committed. */
  static KafkaConsumer<byte[], byte[]> reader(ClusterSpec cluster, String purpose) {
    Map<String, Object> config =
        new HashMap<>(
            ClusterClients.readerConfig(cluster, "kdr-drill-" + purpose + "-" + cluster.alias()));
    config.put("isolation.level", "read_committed");
    config.put("max.poll.records", 5000);
    // Partitions are read one after another: a fetch left waiting at a log's end (500 ms by
    // default) would hold up the next partition's first fetch to the same broker.
    config.put("fetch.max.wait.ms", 20);
    config.put("max.partition.fetch.bytes", 8 * 1024 * 1024);
    config.put("receive.buffer.bytes", -1); // the OS's autotuned buffer, not Kafka's 64 KiB
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

    private final String name;
    private final String in;
    private final String out;
    private final String copiesFact;

    /** The verify drill's comparison: the facts {@code drillCut}, ... in, {@code drill...} out. */
    VerifyCompleteness() {
      this("verify-completeness", "drill", "drill");
    }

    /**
     * A comparison named {@code name} of the range in the facts {@code <in>Cut}, {@code <in>From}
     * and {@code <in>Sample}, its figures recorded as {@code <out>Completeness}, ...
     */
    VerifyCompleteness(String name, String in, String out) {
      this(name, in, out, "drillCopies");
    }

    /**
     * As above, each partition's copy named by the fact {@code copiesFact} (the lag monitor's
     * newest scan where that fact is empty).
     */
    VerifyCompleteness(String name, String in, String out, String copiesFact) {
      this.name = name;
      this.in = in;
      this.out = out;
      this.copiesFact = copiesFact;
    }

    @Override
    public boolean interruptible() {
      return true; // it only reads
    }

    @Override
    public String name() {
      return name;
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
      Map<String, Object> cut = DrillSteps.partitionsFact(c, in + "Cut");
      Map<String, Object> from = DrillSteps.partitionsFact(c, in + "From");
      Map<String, Object> sample = DrillSteps.partitionsFact(c, in + "Sample");
      boolean duplicatesAllowed =
          c.file().connect().of(c.tenant().id()).delivery() != Delivery.EXACTLY_ONCE;
      java.util.Set<String> compacted = compacted(c.admin(c.from()), cut.keySet());
      Map<String, Object> partitions = new TreeMap<>();
      Map<String, Object> samples = new TreeMap<>();
      long[] totals = new long[8]; // records, matched, not copied, differs, duplicates, verified,
      // duplicates that differ, deleted by the copy's retention
      long everything = 0;
      List<String> failures = new java.util.ArrayList<>();
      Map<String, Completeness.Result[]> results =
          compareAll(c, DrillSteps.copies(c, copiesFact), cut, from, sample, compacted);
      for (String name : DrillSteps.names(cut)) {
        Completeness.Result r = results.get(name)[0];
        partitions.put(name, r.toMap());
        add(totals, r);
        if (!r.passed(duplicatesAllowed)) {
          failures.add(failure(name, r, duplicatesAllowed));
        }
        Completeness.Result s = results.get(name)[1];
        if (s != null) {
          samples.put(name, s.toMap());
          add(totals, s);
          if (!s.passed(duplicatesAllowed)) {
            failures.add(failure(name + " (sample)", s, duplicatesAllowed));
          }
          @SuppressWarnings("unchecked")
          List<Object> w = (List<Object>) sample.get(name);
          everything += number(cut.get(name)) - number(w.get(2));
        } else {
          everything += number(cut.get(name)) - number(from.get(name));
        }
      }
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put(out + "Completeness", partitions);
      facts.put(out + "CompletenessSamples", samples);
      facts.put(out + "CompletenessFailures", failures);
      facts.put(out + "DuplicatesAllowed", duplicatesAllowed);
      facts.put(out + "OffsetsVerified", totals[5]);
      facts.put(out + "OffsetsUpToCut", everything);
      facts.put(out + "CompactedTopics", List.copyOf(new java.util.TreeSet<>(compacted)));
      facts.put(out + "NotCopied", totals[2]);
      facts.put(out + "Differ", totals[3] + totals[6]);
      facts.put(out + "ExpiredOnCopy", totals[7]);
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
              + (totals[6] > 0 ? "; " + totals[6] + " of them differ" : "")
              + ")"
              + (totals[7] > 0
                  ? "; "
                      + totals[7]
                      + " deleted from the copy by its own retention (not verifiable)"
                  : "")
              + (failures.isEmpty() ? "" : ": " + String.join("; ", failures)),
          facts);
    }

    /**
     * Every partition's range (and sample) compared by {@link #READERS} readers at once, each with
     * its own consumers, taking partitions in turn: per partition, {main range, sample or null}.
     */
    private static Map<String, Completeness.Result[]> compareAll(
        StepContext c,
        Map<TopicPartition, TopicPartition> copies,
        Map<String, Object> cut,
        Map<String, Object> from,
        Map<String, Object> sample,
        java.util.Set<String> compacted)
        throws Exception {
      Map<String, Completeness.Result[]> out = new java.util.concurrent.ConcurrentHashMap<>();
      var queue = new java.util.concurrent.ConcurrentLinkedQueue<>(DrillSteps.names(cut));
      var done = new java.util.concurrent.atomic.AtomicInteger();
      var pool = java.util.concurrent.Executors.newFixedThreadPool(READERS);
      try {
        List<java.util.concurrent.Future<Object>> workers = new java.util.ArrayList<>();
        for (int i = 0; i < READERS; i++) {
          workers.add(
              pool.submit(
                  () -> {
                    try (var source = reader(c.from(), "source");
                        var copy = reader(c.to(), "copy");
                        var translator = new ExactTranslator(c.to(), c.from().alias())) {
                      for (String name = queue.poll(); name != null; name = queue.poll()) {
                        TopicPartition tp = partition(name);
                        TopicPartition copyTp = copies.get(tp);
                        boolean perKey = compacted.contains(tp.topic());
                        Completeness.Result[] r = new Completeness.Result[2];
                        r[0] =
                            compare(
                                c,
                                source,
                                copy,
                                translator,
                                new Range(
                                    tp,
                                    copyTp,
                                    number(from.get(name)),
                                    number(cut.get(name)),
                                    perKey,
                                    false));
                        if (sample.get(name) instanceof List<?> w) {
                          r[1] =
                              compare(
                                  c,
                                  source,
                                  copy,
                                  translator,
                                  new Range(
                                      tp,
                                      copyTp,
                                      number(w.get(0)),
                                      number(w.get(1)),
                                      perKey,
                                      true));
                        }
                        out.put(name, r);
                        c.progress(
                            done.incrementAndGet() + "/" + cut.size() + " partitions compared");
                      }
                    }
                    return null;
                  }));
        }
        for (var w : workers) {
          try {
            w.get();
          } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
          }
        }
      } finally {
        pool.shutdownNow();
      }
      return out;
    }

    private static void add(long[] totals, Completeness.Result r) {
      totals[0] += r.sourceRecords();
      totals[1] += r.matched();
      totals[2] += r.notYetCopied();
      totals[3] += r.differs();
      totals[6] += r.duplicatesDiffering();
      totals[4] += r.duplicates();
      totals[5] += r.cut() - r.from();
      totals[7] += r.expiredOnCopy();
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
    String back = c.to().alias();
    read(
        source,
        tp,
        from,
        cut,
        r -> {
          if (origin(r, back).isPresent()) {
            check.copiedBack(r.key()); // written on the copy cluster while the tenant was there
          } else {
            check.source(r.offset(), r.key(), RecordDigest.of(r));
          }
        });
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
    // Read from the copy's log start, past 0: its first copy tells where the copy's retention cut.
    boolean[] first = {copyStart > 0 && at <= copyStart};
    readUntil(
        copy,
        tp,
        at,
        copyEnd,
        r -> {
          Optional<Long> o = origin(r, alias);
          if (first[0] && o.isPresent()) {
            first[0] = false;
            check.copyLogStartsAt(o.get());
          }
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

  static void readUntil(
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
}
