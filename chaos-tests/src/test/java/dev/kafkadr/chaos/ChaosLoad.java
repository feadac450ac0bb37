package dev.kafkadr.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.tenant.Provenance;
import dev.kafkadr.testkit.history.CheckedProducer;
import dev.kafkadr.testkit.history.CopyIndex;
import dev.kafkadr.testkit.history.CopyReader;
import dev.kafkadr.testkit.history.History;
import dev.kafkadr.testkit.history.Outcome;
import dev.kafkadr.testkit.history.Places;
import dev.kafkadr.testkit.history.ProducerLog;
import dev.kafkadr.testkit.history.Sender;
import dev.kafkadr.testkit.history.Truth;
import dev.kafkadr.testkit.history.Verdict;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One scenario's load and judge: a topic of its own on the primary ({@code chaos.<row>}, 3
 * partitions, RF 3, min ISR 2), the history checker's producer writing to it at {@link #RATE}
 * records/s (acks=all, idempotent, 16 keys), and a reader tailing its copy on the secondary.
 */
final class ChaosLoad {

  /**
   * Records per second asked of the producer. 2,400 until 2026-12-02, when a CI run on a slower day
   * of this 2-core machine acknowledged 1,367/s of them in steady state (3 brokers per cluster,
   * Connect and the reader saturate both cores): the matrix asks what the machine sustains.
   */
  static final int RATE = 1_500;

  /** Acknowledged records per second a scenario needs to count as under load: 3/4 of asked. */
  static final int MIN_ACKED = RATE * 3 / 4;

  private final Sandbox sandbox;
  private final Scenario scenario;
  private final String topic;
  private final History history = History.create();
  private final long started = System.nanoTime();
  private final CopyReader copy;
  private final CheckedProducer producer;
  private volatile long loadNanos;
  private volatile boolean lossy;
  private final List<Long> backlog = new java.util.concurrent.CopyOnWriteArrayList<>();

  private ChaosLoad(Sandbox sandbox, Scenario scenario, Duration clockAhead) throws Exception {
    this.sandbox = sandbox;
    this.scenario = scenario;
    this.topic = topic(scenario);
    awaitCopyTopic();
    copy =
        new CopyReader(
            history,
            "copy",
            Sandbox.SECONDARY,
            sandbox.secondary().adminConfig(),
            List.of(topic),
            Duration.ofMillis(200));
    Map<String, Object> c = new HashMap<>(sandbox.primary().adminConfig());
    c.put("client.id", "chaos-producer-" + scenario.row());
    c.put("acks", "all");
    c.put("enable.idempotence", true);
    c.put("linger.ms", 5);
    c.put("delivery.timeout.ms", 60_000);
    c.put("request.timeout.ms", 5_000);
    c.put("max.block.ms", 10_000);
    var raw = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
    producer =
        new CheckedProducer(
            history,
            0,
            clockAhead.isZero()
                ? Sender.of(raw, Sandbox.PRIMARY)
                : Sender.stampedAhead(Sender.of(raw, Sandbox.PRIMARY), clockAhead),
            List.of(topic),
            scenario.partitions() * 16 / 3,
            RATE,
            100);
    UNFINISHED.add(this);
  }

  /** The topic of {@code scenario}: {@code <tenant>.s<row>}. */
  static String topic(Scenario scenario) {
    return scenario.tenant() + ".s" + scenario.row();
  }

  /**
   * Creates every scenario's topic on the primary before replication starts, so that the source
   * connector's tasks are not reconfigured under a scenario's load.
   */
  static void createTopics(Sandbox sandbox) {
    for (Scenario s : Scenario.values()) {
      Map<String, String> configs = new HashMap<>(Map.of("min.insync.replicas", "2"));
      if (s == Scenario.RETENTION_PURGE) {
        configs.putAll(RetentionPurge.SOURCE_TOPIC_CONFIG);
      }
      sandbox
          .primary()
          .createTopics(new NewTopic(topic(s), s.partitions(), (short) 3).configs(configs));
    }
  }

  /** Loads started and not finished: a scenario that failed leaves its load here. */
  private static final List<ChaosLoad> UNFINISHED =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Waits for the scenario's copy, and starts writing and reading. */
  static ChaosLoad start(Sandbox sandbox, Scenario scenario) throws Exception {
    return new ChaosLoad(sandbox, scenario, Duration.ZERO);
  }

  /** Stops the producer and the copy's reader of every load a failed scenario left running. */
  static void stopUnfinished() {
    for (ChaosLoad load : UNFINISHED) {
      UNFINISHED.remove(load);
      try {
        load.producer.stop(Duration.ofSeconds(5));
        load.producer.close();
      } catch (Exception e) {
        System.out.println("stopping a failed scenario's producer: " + e);
      }
      try {
        load.copy.close();
      } catch (Exception e) {
        System.out.println("stopping a failed scenario's copy reader: " + e);
      }
    }
  }

  /**
   * The same, the producer stamping its records as a host whose clock runs {@code clockAhead} of
   * this one's would (the checker keeps its own times).
   */
  static ChaosLoad start(Sandbox sandbox, Scenario scenario, Duration clockAhead) throws Exception {
    return new ChaosLoad(sandbox, scenario, clockAhead);
  }

  private void awaitCopyTopic() throws Exception {
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      await(topic + " copied to the secondary")
          .atMost(Duration.ofSeconds(60))
          .until(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic));
    }
  }

  /** The scenario's topic on the primary (its copy has the same name). */
  String topic() {
    return topic;
  }

  /** Lets the load run for {@code d}, failing at once if the producer stopped. */
  void runFor(Duration d) throws InterruptedException {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      if (producer.failure() != null) {
        throw new IllegalStateException("the checker's producer stopped", producer.failure());
      }
      Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
    }
  }

  /**
   * Stops the load (60 s for records in flight), waits until the copy's reader has read the copy to
   * its end, and returns every record's copy latency in microseconds, sorted.
   */
  long[] finish() throws InterruptedException {
    UNFINISHED.remove(this);
    producer.stop(Duration.ofSeconds(60));
    loadNanos = System.nanoTime() - started;
    producer.close();
    awaitCopied();
    copy.awaitCaughtUp(Duration.ofSeconds(120));
    copy.close();
    return history.latencies("copy", 0, Long.MAX_VALUE);
  }

  /**
   * Waits until the copy holds as many records as the source (at least once) or, where records were
   * lost ({@link #expectLoss}) or the copy is exactly-once, until the copy's newest committed
   * record on every partition is a copy of the source's last.
   */
  private void awaitCopied() {
    // An exactly-once copy's end counts transaction markers and the fenced zombie's aborted
    // records too: it passes the source's before the last records are committed on it.
    if (lossy || Scenario.EXACTLY_ONCE_TENANT.equals(scenario.tenant())) {
      await(
              topic
                  + ": the copy's newest records copies of the source's last, after the load stopped")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                Map<Integer, Long> last = lastCopied();
                Map<Integer, Long> ends = endOffsets(sandbox.primary().adminConfig());
                return ends.entrySet().stream()
                    .allMatch(e -> last.getOrDefault(e.getKey(), -1L) >= e.getValue() - 1);
              });
      return;
    }
    await(topic + ": the copy holding as many records as the source, after the load stopped")
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> sandbox.secondary().endOffsetSum(topic) >= sandbox.primary().endOffsetSum(topic));
  }

  /**
   * Says the scenario loses records on purpose: {@link #finish} then waits for the copy to reach
   * the source's last record rather than to hold as many records as the source.
   */
  void expectLoss() {
    lossy = true;
  }

  /**
   * Samples, every second until the load finishes, how many records the copy is behind the source
   * (end offsets, both read now): the backlog's rise and fall, printed by {@link #backlog()}.
   */
  void sampleBacklog() {
    Thread t =
        new Thread(
            () -> {
              while (loadNanos == 0) {
                backlog.add(
                    sandbox.primary().endOffsetSum(topic)
                        - sandbox.secondary().endOffsetSum(topic));
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "chaos-backlog-" + scenario.row());
    t.setDaemon(true);
    t.start();
  }

  /** The backlog samples so far, one a second. */
  List<Long> backlog() {
    return List.copyOf(backlog);
  }

  /** The truth about the copy at any instant of the load ({@link Truth}). */
  Truth truth() {
    return history.truth("copy");
  }

  /** What the copy held at each offset, as its reader read it (after {@link #finish}). */
  CopyIndex copyIndex() {
    return CopyIndex.of(history, "copy");
  }

  /**
   * Per source partition, the offsets of the acknowledged records never read on the copy, in order:
   * the records lost, by where they were written.
   */
  Map<Integer, List<Long>> lostOffsets() {
    CopyIndex copy = copyIndex();
    Map<Integer, java.util.Set<Long>> copied = new HashMap<>();
    Map<Integer, List<Long>> lost = new TreeMap<>();
    for (ProducerLog p : history.producers()) {
      for (int seq = 0; seq < p.count(); seq++) {
        if (p.outcome(seq) != Outcome.ACKED) {
          continue;
        }
        int partition = Places.partition(p.where(seq));
        long offset = p.offset(seq);
        if (!copied.computeIfAbsent(partition, q -> copy.copied(topic, q)).contains(offset)) {
          lost.computeIfAbsent(partition, q -> new java.util.ArrayList<>()).add(offset);
        }
      }
    }
    lost.values().forEach(java.util.Collections::sort);
    return lost;
  }

  /** The checker's verdict on the copy. */
  Verdict verdict() {
    return history.verdict("copy");
  }

  /** Copy latencies of records acknowledged between the two times ({@code Micros}), sorted. */
  long[] latencies(long fromMicros, long toMicros) {
    return history.latencies("copy", fromMicros, toMicros);
  }

  /** Per copy partition, the lowest source offset read twice. */
  Map<String, Long> lowestReadTwice() {
    return history.lowestReadTwice("copy");
  }

  /** Adds the scenario's row to the matrix; {@code measured} is its own figures. */
  void row(String measured) {
    double acked = producer.acked() / (loadNanos / 1e9);
    Matrix.add(
        new MatrixRow(scenario, acked, verdict(), measured, (System.nanoTime() - started) / 1e9));
    assertThat(acked)
        .as("acknowledged records/s under the scenario (asked %,d)", RATE)
        .isGreaterThanOrEqualTo(MIN_ACKED);
  }

  /** The value at fraction {@code q} of sorted {@code values}, or -1 when there are none. */
  static long percentile(long[] values, double q) {
    return values.length == 0
        ? -1
        : values[Math.min(values.length - 1, (int) Math.floor(q * values.length))];
  }

  /** {@code label: p50 X ms, p99 Y ms}. */
  static String latency(String label, long[] micros) {
    return String.format(
        Locale.ROOT,
        "%s: p50 %.0f ms, p99 %.0f ms",
        label,
        percentile(micros, 0.5) / 1e3,
        percentile(micros, 0.99) / 1e3);
  }

  /**
   * What a source task had copied past its committed source offsets when it stopped: the offsets
   * Connect's offsets topic holds for it (read through a live worker's REST API) and the source
   * offset of the last record on each copy partition (from its provenance header).
   *
   * @param committed per source partition, the last committed source offset (-1 for none)
   * @param lastCopied per source partition, the source offset of the copy's last record (-1)
   */
  record Exposure(Map<Integer, Long> committed, Map<Integer, Long> lastCopied) {

    /** Records copied after the committed offsets: what resuming may copy again. */
    long copiedPastCommitted() {
      long sum = 0;
      for (var e : lastCopied.entrySet()) {
        sum += Math.max(0, e.getValue() - committed.getOrDefault(e.getKey(), -1L));
      }
      return sum;
    }

    /** Every partition's duplicates start after its committed offset (MM2 resumes there). */
    void assertDuplicatesOnlyPastTheCommittedOffsets(Map<String, Long> lowestReadTwice) {
      lowestReadTwice.forEach(
          (tp, lowest) -> {
            int partition = Integer.parseInt(tp.substring(tp.lastIndexOf('-') + 1));
            assertThat(lowest)
                .as(tp + ": the lowest source offset read twice, committed " + committed)
                .isGreaterThan(committed.getOrDefault(partition, -1L));
          });
    }
  }

  /**
   * The exposure of {@code connector}'s task over this topic when its worker was killed at {@code
   * killedAtMillis}, read once the load has finished, with no race against the task's successor:
   * per partition, the last offset Connect's offsets topic {@code offsetsTopic} (on the secondary)
   * held for it from records stamped no later than the kill (the successor commits only after it
   * started, seconds later) and, from the checker's read of the copy, the highest source offset
   * copied before the copy first went back ({@link History#firstRewinds}); a partition that never
   * went back had nothing copied past its committed offset. Also asserts that each partition's copy
   * went back to exactly its committed offset + 1, where MM2 resumes.
   */
  Exposure exposureOfKill(String offsetsTopic, String connector, long killedAtMillis)
      throws Exception {
    Map<Integer, Long> committed = committedBefore(offsetsTopic, connector, killedAtMillis);
    Map<Integer, Long> lastCopied = new TreeMap<>(committed);
    history
        .firstRewinds("copy")
        .forEach(
            (tp, rewind) -> {
              int partition = Integer.parseInt(tp.substring(tp.lastIndexOf('-') + 1));
              long offset = committed.getOrDefault(partition, -1L);
              assertThat(rewind.resumedAt())
                  .as(tp + ": where the copy went back, committed " + committed)
                  .isEqualTo(offset + 1);
              lastCopied.put(partition, rewind.copiedUpTo());
            });
    return new Exposure(committed, lastCopied);
  }

  /**
   * Per partition of this topic, the last source offset {@code offsetsTopic} holds for {@code
   * connector} in records stamped at or before {@code atMillis}: keys are JSON arrays {@code
   * [connector, {cluster, topic, partition}]}, values {@code {"offset": n}} (Connect's own format).
   */
  private Map<Integer, Long> committedBefore(String offsetsTopic, String connector, long atMillis)
      throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    Map<Integer, Long> committed = new TreeMap<>();
    Map<String, Object> c = new HashMap<>(sandbox.secondary().adminConfig());
    c.put("enable.auto.commit", false);
    try (var consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(offsetsTopic).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        assertThat(System.nanoTime()).as(offsetsTopic + " read to its end").isLessThan(deadline);
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() == null || r.value() == null || r.timestamp() > atMillis) {
            continue;
          }
          var key = json.readTree(r.key());
          var partition = key.path(1);
          if (connector.equals(key.path(0).asText())
              && topic.equals(partition.path("topic").asText())) {
            committed.put(
                partition.path("partition").asInt(),
                json.readTree(r.value()).path("offset").asLong());
          }
        }
      }
    }
    return committed;
  }

  /** The exposure of {@code connector}'s task over this topic now, asked of {@code worker}. */
  Exposure exposure(ConnectRestClient worker, String connector) throws Exception {
    Map<Integer, Long> committed = new TreeMap<>();
    for (var entry : worker.offsets(connector)) {
      Map<String, Object> partition = entry.get("partition");
      if (topic.equals(partition.get("topic"))) {
        committed.put(
            ((Number) partition.get("partition")).intValue(),
            ((Number) entry.get("offset").get("offset")).longValue());
      }
    }
    return new Exposure(committed, lastCopied());
  }

  /** The end offset of each partition of the topic on the cluster {@code adminConfig} reaches. */
  private Map<Integer, Long> endOffsets(Map<String, Object> adminConfig) throws Exception {
    try (Admin admin = Admin.create(adminConfig)) {
      Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
      for (int p = 0; p < scenario.partitions(); p++) {
        ask.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<Integer, Long> out = new TreeMap<>();
      admin
          .listOffsets(ask)
          .all()
          .get(10, TimeUnit.SECONDS)
          .forEach((tp, info) -> out.put(tp.partition(), info.offset()));
      return out;
    }
  }

  private Map<Integer, Long> lastCopied() throws Exception {
    Map<Integer, Long> last = new TreeMap<>();
    Map<String, Object> c = new HashMap<>(sandbox.secondary().adminConfig());
    c.put("enable.auto.commit", false);
    c.put("isolation.level", "read_committed"); // what a reader of an exactly-once copy sees
    try (var consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (var e : endOffsets(sandbox.secondary().adminConfig()).entrySet()) {
        long end = e.getValue();
        if (end == 0) {
          continue;
        }
        TopicPartition tp = new TopicPartition(topic, e.getKey());
        // the last records, not only the last offset: in a transactional copy it is a marker
        consumer.assign(List.of(tp));
        consumer.seek(tp, Math.max(0, end - 100));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (consumer.position(tp) < end && System.nanoTime() < deadline) {
          for (var r : consumer.poll(Duration.ofMillis(200))) {
            var header = r.headers().lastHeader(Provenance.DEFAULT_HEADER);
            if (header != null) {
              Provenance.copiedFrom(header.value(), Sandbox.PRIMARY)
                  .ifPresent(o -> last.put(e.getKey(), o));
            }
          }
        }
      }
    }
    return last;
  }
}
