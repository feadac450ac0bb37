package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.tenant.Provenance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * After the drain, proves "0 lost" instead of assuming it: first that the fence held (every
 * partition of the tenant on the old cluster keeps its end for 2 s; a producer still writing is
 * named from {@code describeProducers}), then, per partition, every committed record written since
 * the point the preflight verified against the copy's provenance: each source offset must be on the
 * copy, and nothing else from that range may be there. The difference is the records lost, which
 * must be 0; duplicates (at-least-once copies) are counted apart.
 */
final class VerifyCopy implements Step {

  /** How long the old cluster's ends must stay still to call the fence held. */
  static final Duration STILL = Duration.ofSeconds(2);

  @Override
  public String name() {
    return "verify-copy";
  }

  @Override
  public String plan(StepContext c) {
    return "would check that the fence holds (every partition's end on "
        + c.from().alias()
        + " still for "
        + STILL.toSeconds()
        + " s), then compare each partition's committed records since the preflight with their"
        + " copies on "
        + c.to().alias()
        + " by provenance";
  }

  @Override
  public Outcome run(StepContext c) throws Exception {
    Admin source = c.admin(c.from());
    List<TopicPartition> partitions = TenantTopics.partitions(source, c.tenant());
    Map<TopicPartition, Long> ends = hw(source, partitions);
    Map<TopicPartition, Long> held = EndTransactions.held(source, partitions);
    if (!held.isEmpty()) {
      throw new WorkflowException(
          "transactions hold " + held + " on " + c.from().alias() + " after the fence");
    }
    Compared compared = compare(c, partitions, ends);
    // The ends must not have moved since the drain saw them last, and not for 2 s at least: the
    // wait overlaps the drain and the comparison.
    Instant quietSince = quietSince(c, ends);
    Duration left = Duration.between(Instant.now(), quietSince.plus(STILL));
    if (!left.isNegative()) {
      Thread.sleep(left.toMillis());
    }
    Map<TopicPartition, Long> later = hw(source, partitions);
    List<String> moved = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      if (!later.get(tp).equals(ends.get(tp))) {
        moved.add(tp + " grew by " + (later.get(tp) - ends.get(tp)) + writers(source, tp));
      }
    }
    if (!moved.isEmpty()) {
      throw new WorkflowException(
          "the fence on "
              + c.from().alias()
              + " did not hold: "
              + String.join("; ", moved)
              + " (a producer not declared under access, or one writing as another principal)");
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("recordsLost", compared.lost);
    facts.put("recordsCompared", compared.committed);
    facts.put("duplicateCopies", compared.duplicates);
    if (!compared.byPartition.isEmpty()) {
      facts.put("lostByPartition", compared.byPartition);
    }
    if (compared.lost > 0) {
      throw new WorkflowException(
          compared.lost
              + " committed records are not on "
              + c.to().alias()
              + ": "
              + compared.byPartition);
    }
    return new Outcome(
        "fence held ("
            + partitions.size()
            + " partitions still for at least "
            + STILL.toSeconds()
            + " s); "
            + compared.committed
            + " committed records since the preflight compared with their copies: 0 lost, "
            + compared.duplicates
            + " copied twice",
        facts);
  }

  /**
   * Since when the ends have not moved: the drain's record of them when they match, otherwise now
   * (they moved after the drain: the wait starts over, and the check after it decides).
   */
  private static Instant quietSince(StepContext c, Map<TopicPartition, Long> ends) {
    Object drained = c.facts().get("drainedEnds");
    Object since = c.facts().get("endsQuietSinceMillis");
    if (drained instanceof Map<?, ?> m && since instanceof Number n) {
      Map<String, Long> now = new TreeMap<>();
      ends.forEach((tp, end) -> now.put(tp.toString(), end));
      Map<String, Long> then = new TreeMap<>();
      m.forEach((k, v) -> then.put(String.valueOf(k), ((Number) v).longValue()));
      if (now.equals(then)) {
        return Instant.ofEpochMilli(n.longValue());
      }
    }
    return Instant.now();
  }

  /** What the comparison of the source with the copy found. */
  private static final class Compared {
    long committed;
    long lost;
    long duplicates;
    final Map<String, Object> byPartition = new TreeMap<>();
  }

  /**
   * Per partition, the committed records of [verified point, end) on the source against the copies
   * that name them.
   */
  private static Compared compare(
      StepContext c, List<TopicPartition> partitions, Map<TopicPartition, Long> ends)
      throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Number> from = (Map<String, Number>) c.facts().get("verifiedFrom");
    Compared out = new Compared();
    try (var sourceReader = reader(c, c.from().alias());
        var copyReader = reader(c, c.to().alias())) {
      for (TopicPartition tp : partitions) {
        Number f = from == null ? null : from.get(tp.toString());
        long start = f == null ? 0 : Math.max(0, f.longValue());
        Set<Long> committed = new HashSet<>();
        sourceOffsets(sourceReader, tp, start, ends.get(tp), committed);
        Map<Long, Integer> copies = copies(c, copyReader, tp, start);
        long missing = committed.stream().filter(o -> !copies.containsKey(o)).count();
        long extra =
            copies.keySet().stream()
                .filter(o -> o < ends.get(tp) && !committed.contains(o))
                .count();
        out.committed += committed.size();
        out.lost += missing;
        out.duplicates += copies.values().stream().mapToLong(n -> n - 1).sum();
        if (missing > 0 || extra > 0) {
          out.byPartition.put(
              tp.toString(),
              Map.of("committed", committed.size(), "missing", missing, "notOnSource", extra));
        }
        if (extra > 0) {
          throw new WorkflowException(
              tp
                  + " on "
                  + c.to().alias()
                  + " holds "
                  + extra
                  + " copies of source offsets in ["
                  + start
                  + ", "
                  + ends.get(tp)
                  + ") that are no committed record on "
                  + c.from().alias()
                  + " (aborted or uncommitted records copied)");
        }
      }
    }
    return out;
  }

  /** Every partition's high watermark: anything written, committed or not, moves it. */
  private static Map<TopicPartition, Long> hw(Admin admin, List<TopicPartition> partitions)
      throws Exception {
    return EndTransactions.latest(
        admin, partitions, org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED);
  }

  /** The producers that wrote to {@code tp} last, for the operator. */
  private static String writers(Admin admin, TopicPartition tp) {
    try {
      List<ProducerState> states =
          admin
              .describeProducers(List.of(tp))
              .partitionResult(tp)
              .get(10, TimeUnit.SECONDS)
              .activeProducers();
      List<String> out = new ArrayList<>();
      for (ProducerState p : states) {
        out.add(
            "producer id "
                + p.producerId()
                + " (epoch "
                + p.producerEpoch()
                + ", last write at "
                + java.time.Instant.ofEpochMilli(p.lastTimestamp())
                + ")");
      }
      return out.isEmpty() ? "" : " by " + String.join(", ", out);
    } catch (Exception e) {
      return " (its producers could not be described: " + e.getMessage() + ")";
    }
  }

  /** The offsets of the committed records of {@code tp} in [from, end). */
  private static void sourceOffsets(
      KafkaConsumer<byte[], byte[]> reader, TopicPartition tp, long from, long end, Set<Long> out) {
    if (from >= end) {
      return;
    }
    reader.assign(List.of(tp));
    reader.seek(tp, from);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (reader.position(tp) < end) {
      if (System.nanoTime() > deadline) {
        throw new WorkflowException(tp + " could not be read to " + end + " within 60 s");
      }
      for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
        if (r.offset() < end) {
          out.add(r.offset());
        }
      }
    }
  }

  /**
   * How many times each source offset at or after {@code from} is on the copy: read from the first
   * copy at or after it (found through the provenance headers) to the copy's end.
   */
  private static Map<Long, Integer> copies(
      StepContext c, KafkaConsumer<byte[], byte[]> reader, TopicPartition copy, long from)
      throws Exception {
    Map<Long, Integer> out = new HashMap<>();
    long start =
        TenantTopics.offsets(c.admin(c.to()), List.of(copy), OffsetSpec.earliest()).get(copy);
    long end = TenantTopics.offsets(c.admin(c.to()), List.of(copy), OffsetSpec.latest()).get(copy);
    // Only the source topic's current incarnation: copies of an earlier one share its offsets.
    start =
        ExactTranslator.runBounds(
                start, end, c.monitor().copyRuns(c.from().alias(), c.to().alias(), copy))
            .get(0)[0];
    long at;
    try (ExactTranslator t = new ExactTranslator(c.to(), c.from().alias())) {
      at = t.translate(copy, from, start, end, () -> -1, () -> -1).offset();
    }
    if (at >= end) {
      return out;
    }
    reader.assign(List.of(copy));
    reader.seek(copy, at);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (reader.position(copy) < end) {
      if (System.nanoTime() > deadline) {
        throw new WorkflowException("copy " + copy + " could not be read within 60 s");
      }
      for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
        Header h = r.headers().lastHeader(Provenance.DEFAULT_HEADER);
        Provenance.copiedFrom(h == null ? null : h.value(), c.from().alias())
            .filter(o -> o >= from)
            .ifPresent(o -> out.merge(o, 1, Integer::sum));
      }
    }
    return out;
  }

  private static KafkaConsumer<byte[], byte[]> reader(StepContext c, String alias) {
    Map<String, Object> config =
        ClusterClients.readerConfig(c.file().cluster(alias), "kdr-controller-verify-" + alias);
    config.put("max.poll.records", 5_000);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
