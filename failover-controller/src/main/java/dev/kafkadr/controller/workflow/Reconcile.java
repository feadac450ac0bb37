package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.tenant.Provenance;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * After an unplanned failover, once the old cluster is back: exactly the records it holds that
 * never reached the new cluster, per partition, from the first source offset the copy lacks (read
 * from the provenance header of the last copy before the switch point) to the old partition's end;
 * and, when asked, those records published again on the new cluster (same topic and partition,
 * their headers kept, a {@code kdr.reconciled} header naming the failover), once.
 */
final class Reconcile {

  /**
   * Claims the right to publish failover {@code failoverId}'s records again, once: the document
   * {@code reconciled/<id>} is created only if absent (a marker file {@code <id>.reconciled} in
   * {@code journalDir}, from before the state store, counts too).
   *
   * @throws WorkflowRefused when they were published already, or the store refused the claim
   */
  static void claim(
      dev.kafkadr.controller.store.StateStore store,
      java.nio.file.Path journalDir,
      String failoverId,
      String actor) {
    boolean before = java.nio.file.Files.exists(journalDir.resolve(failoverId + ".reconciled"));
    try {
      if (before || store.get("reconciled/" + failoverId).isPresent()) {
        throw new WorkflowRefused(
            "the records of failover " + failoverId + " were already published again");
      }
      store.put("reconciled/" + failoverId, actor, 0);
    } catch (dev.kafkadr.controller.store.StateStore.StaleWrite e) {
      throw new WorkflowRefused(
          "the records of failover " + failoverId + " cannot be published: " + e.getMessage());
    }
  }

  /** Header set on every record published again. */
  static final String HEADER = "kdr.reconciled";

  private Reconcile() {}

  /**
   * The records the old cluster holds that the new one lacks; with {@code republish}, published
   * again on the new cluster, then the flow from the new cluster back to the old one started from
   * the failover's switch point.
   */
  static Map<String, Object> run(
      StepContext c, Map<String, Object> failoverFacts, boolean republish) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Number> point = (Map<String, Number>) failoverFacts.get("switchPoint");
    if (point == null) {
      throw new WorkflowException("the failover recorded no switch point: nothing to compare");
    }
    // The old cluster is back: before anything else, its tenant stays fenced (it may have come
    // back without the fence the failover could not raise).
    List<org.apache.kafka.common.acl.AclBinding> fence = new java.util.ArrayList<>();
    fence.addAll(Fences.bindings(c.file(), c.tenant(), Fences.Kind.PRODUCERS));
    fence.addAll(Fences.bindings(c.file(), c.tenant(), Fences.Kind.CONSUMERS));
    int raised = Fences.raise(c.admin(c.from()), fence);
    List<TopicPartition> partitions = TenantTopics.partitions(c.admin(c.from()), c.tenant());
    Map<TopicPartition, Long> oldEnds =
        TenantTopics.offsets(c.admin(c.from()), partitions, OffsetSpec.latest());
    Map<TopicPartition, Long> oldStarts =
        TenantTopics.offsets(c.admin(c.from()), partitions, OffsetSpec.earliest());
    Map<String, List<Long>> ranges = new TreeMap<>();
    Map<TopicPartition, long[]> read = new LinkedHashMap<>();
    Map<TopicPartition, Long> copiedUpTo = new HashMap<>();
    try (var copies = consumer(c, c.to().alias())) {
      for (TopicPartition tp : partitions) {
        Number switchedAt = point.get(tp.toString());
        long next =
            lastCopiedBefore(copies, tp, switchedAt == null ? 0 : switchedAt.longValue(), c)
                .map(o -> o + 1)
                .orElse(oldStarts.get(tp));
        copiedUpTo.put(tp, next);
        long from = Math.max(next, oldStarts.get(tp));
        if (from < oldEnds.get(tp)) {
          ranges.put(tp.toString(), List.of(from, oldEnds.get(tp)));
          read.put(tp, new long[] {from, oldEnds.get(tp)});
        }
      }
    }
    // Records, not offsets: transaction markers and aborted records in a range are no loss.
    long records = count(c, read);
    Map<String, Long> uncertain = new TreeMap<>();
    Map<String, Long> readAgain = readAgain(c, failoverFacts, copiedUpTo, uncertain);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("fencesRaisedOnOldCluster", raised);
    out.put("missingOnNewCluster", records);
    out.put("missingRanges", ranges);
    out.put("readAgainByGroup", readAgain);
    if (uncertain.values().stream().anyMatch(n -> n > 0)) {
      out.put("readAgainAtMostMoreByGroup", uncertain);
    }
    if (republish) {
      if (records > 0) {
        out.put("republished", republish(c, read));
      }
      // The way back: what the tenant wrote on the new cluster since the switch point is copied to
      // the returned one (the republished records carry the old cluster's provenance and are not
      // copied back), so that a failback can follow.
      out.put("reverseFlow", new Moves.StartReverse().run(c).detail());
    }
    return out;
  }

  /**
   * Per group, the records it will read a second time on the new cluster: those it committed on the
   * old cluster after the position the failover translated (the last scan's), up to what had been
   * copied; records past that were not copied, so they are missing, not read twice. Where the
   * translation could not be exact (copies without provenance before the position), up to the
   * records it resumed before the position are read again too: added to {@code uncertain}.
   */
  private static Map<String, Long> readAgain(
      StepContext c,
      Map<String, Object> failoverFacts,
      Map<TopicPartition, Long> copiedUpTo,
      Map<String, Long> uncertain)
      throws Exception {
    Map<String, Long> out = new TreeMap<>();
    if (!(failoverFacts.get("translatedOffsets") instanceof Map<?, ?> translated)) {
      return out;
    }
    for (var group : translated.entrySet()) {
      String id = String.valueOf(group.getKey());
      Map<TopicPartition, Long> now = TenantTopics.committed(c.admin(c.from()), id, c.tenant());
      long again = 0;
      if (group.getValue() instanceof Map<?, ?> partitions) {
        for (var p : partitions.entrySet()) {
          String key = String.valueOf(p.getKey());
          int dash = key.lastIndexOf('-');
          TopicPartition tp =
              new TopicPartition(key.substring(0, dash), Integer.parseInt(key.substring(dash + 1)));
          List<?> fromToMay = (List<?>) p.getValue();
          long translatedFrom = ((Number) fromToMay.get(0)).longValue();
          if (fromToMay.size() > 2) {
            uncertain.merge(id, ((Number) fromToMay.get(2)).longValue(), Long::sum);
          }
          long committed = now.getOrDefault(tp, translatedFrom);
          long copied = copiedUpTo.getOrDefault(tp, translatedFrom);
          again += Math.max(0, Math.min(committed, copied) - translatedFrom);
        }
      }
      out.put(id, again);
    }
    return out;
  }

  /** The source offset of the newest copy from the old cluster before the switch point. */
  private static Optional<Long> lastCopiedBefore(
      KafkaConsumer<byte[], byte[]> copies, TopicPartition tp, long switchPoint, StepContext c) {
    if (switchPoint <= 0) {
      return Optional.empty();
    }
    // The copy partition ends with copies up to the switch point: the last one names it. Copies of
    // an earlier incarnation of the source topic never do.
    long incarnation =
        ExactTranslator.runBounds(
                0, switchPoint, c.monitor().copyRuns(c.from().alias(), c.to().alias(), tp))
            .get(0)[0];
    long from = Math.max(incarnation, switchPoint - 500);
    copies.assign(List.of(tp));
    copies.seek(tp, from);
    Optional<Long> last = Optional.empty();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (copies.position(tp) < switchPoint && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : copies.poll(Duration.ofMillis(200))) {
        if (r.offset() >= switchPoint) {
          break;
        }
        Header h = r.headers().lastHeader(Provenance.DEFAULT_HEADER);
        Optional<Provenance> p = h == null ? Optional.empty() : Provenance.parse(h.value());
        if (p.isPresent() && p.get().originAlias().equals(c.from().alias())) {
          last = Optional.of(p.get().originOffset());
        }
      }
    }
    return last;
  }

  /** The committed records of the old cluster in {@code read} (per partition [from, to)). */
  private static long count(StepContext c, Map<TopicPartition, long[]> read) {
    long n = 0;
    try (var old = consumer(c, c.from().alias())) {
      for (var e : read.entrySet()) {
        TopicPartition tp = e.getKey();
        old.assign(List.of(tp));
        old.seek(tp, e.getValue()[0]);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (old.position(tp) < e.getValue()[1]) {
          if (System.nanoTime() > deadline) {
            throw new WorkflowException(
                tp + " on " + c.from().alias() + " could not be read to its end within 60 s");
          }
          for (ConsumerRecord<byte[], byte[]> r : old.poll(Duration.ofMillis(200))) {
            n += r.offset() < e.getValue()[1] ? 1 : 0;
          }
        }
      }
    }
    return n;
  }

  private static int republish(StepContext c, Map<TopicPartition, long[]> read) throws Exception {
    int sent = 0;
    Map<String, Object> producerConfig = new HashMap<>(ClusterClients.adminConfig(c.to()));
    producerConfig.put("client.id", "kdr-controller-reconcile");
    producerConfig.put("acks", "all");
    producerConfig.put("enable.idempotence", true);
    byte[] mark = c.workflowId().getBytes(StandardCharsets.UTF_8);
    c.beforeEffect("records");
    try (var old = consumer(c, c.from().alias());
        var producer =
            new KafkaProducer<>(
                producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (var e : read.entrySet()) {
        TopicPartition tp = e.getKey();
        old.assign(List.of(tp));
        old.seek(tp, e.getValue()[0]);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (old.position(tp) < e.getValue()[1] && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : old.poll(Duration.ofMillis(200))) {
            if (r.offset() >= e.getValue()[1]) {
              break;
            }
            ProducerRecord<byte[], byte[]> copy =
                new ProducerRecord<>(
                    tp.topic(), tp.partition(), r.timestamp(), r.key(), r.value(), r.headers());
            copy.headers().add(HEADER, mark);
            if (copy.headers().lastHeader(Provenance.DEFAULT_HEADER) == null) {
              // A copy of the old cluster's record, marked as one like every copy a flow makes: a
              // flow back to the old cluster must not bring it home a second time.
              copy.headers()
                  .add(
                      Provenance.DEFAULT_HEADER,
                      new Provenance(1, r.offset(), r.timestamp(), c.from().alias()).toBytes());
            }
            producer.send(copy);
            sent++;
          }
        }
        c.progress(sent + " records published again");
      }
      producer.flush();
    }
    return sent;
  }

  private static KafkaConsumer<byte[], byte[]> consumer(StepContext c, String alias) {
    Map<String, Object> config =
        ClusterClients.readerConfig(c.file().cluster(alias), "kdr-controller-reconcile-" + alias);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()) {
      @Override
      public void close() {
        super.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      }
    };
  }
}
