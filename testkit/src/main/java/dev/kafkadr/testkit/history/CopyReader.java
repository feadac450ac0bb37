package dev.kafkadr.testkit.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Tails topics on one cluster from their beginning, committed records only, without a consumer
 * group, and logs every record it reads (with the source offset its provenance header names) into a
 * history; every {@code sampleEvery} it also asks for the topics' end offsets and logs them with
 * the time it asked, which is what {@link Truth} bounds the copy with. Partitions that appear later
 * are picked up within a second.
 */
public final class CopyReader implements AutoCloseable {

  private final History history;
  private final ReadLog log;
  private final int cluster;
  private final List<String> topics;
  private final Map<String, Object> config;
  private final Duration sampleEvery;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicReference<Map<TopicPartition, Long>> positions =
      new AtomicReference<>(Map.of());
  private final Thread thread;

  /**
   * Starts reading.
   *
   * @param name the reader's name in the history
   * @param alias the cluster's alias
   * @param clientConfig bootstrap servers and security of the cluster
   * @param sampleEvery time between two end-offset samples (the bound's slack, at most)
   */
  public CopyReader(
      History history,
      String name,
      String alias,
      Map<String, Object> clientConfig,
      Collection<String> topics,
      Duration sampleEvery) {
    this(history, name, alias, clientConfig, topics, sampleEvery, true);
  }

  /**
   * Starts reading; with {@code committedOnly} false it reads every record, committed or not (to
   * prove what a log holds, aborted records included).
   */
  public CopyReader(
      History history,
      String name,
      String alias,
      Map<String, Object> clientConfig,
      Collection<String> topics,
      Duration sampleEvery,
      boolean committedOnly) {
    this.history = history;
    this.log = history.reader(name);
    this.cluster = history.cluster(alias);
    this.topics = List.copyOf(topics);
    this.sampleEvery = sampleEvery;
    this.config = new HashMap<>(clientConfig);
    config.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        committedOnly ? "read_committed" : "read_uncommitted");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "history-" + name);
    this.thread = new Thread(this::read, "copy-reader-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void read() {
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Set<TopicPartition> assigned = new HashSet<>();
      long nextRefresh = 0;
      long nextSample = 0;
      while (running.get()) {
        long now = System.nanoTime();
        if (now >= nextRefresh) {
          refresh(consumer, assigned);
          nextRefresh = now + 1_000_000_000L;
        }
        if (!assigned.isEmpty() && now >= nextSample) {
          sample(consumer, assigned);
          nextSample = now + sampleEvery.toNanos();
        }
        if (assigned.isEmpty()) {
          Thread.sleep(50);
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
          log.read(history, r, cluster);
        }
        Map<TopicPartition, Long> at = new HashMap<>();
        assigned.forEach(tp -> at.put(tp, consumer.position(tp)));
        positions.set(at);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    }
  }

  private void refresh(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> assigned) {
    Set<TopicPartition> all = new HashSet<>(assigned);
    for (String topic : topics) {
      List<PartitionInfo> info;
      try {
        info = consumer.partitionsFor(topic, Duration.ofSeconds(2));
      } catch (org.apache.kafka.common.errors.TimeoutException
          | org.apache.kafka.common.errors.UnknownTopicOrPartitionException e) {
        continue;
      }
      if (info != null) {
        info.forEach(p -> all.add(new TopicPartition(p.topic(), p.partition())));
      }
    }
    if (all.size() == assigned.size()) {
      return;
    }
    Map<TopicPartition, Long> kept = new HashMap<>();
    assigned.forEach(tp -> kept.put(tp, consumer.position(tp)));
    consumer.assign(all);
    kept.forEach(consumer::seek);
    List<TopicPartition> fresh = new ArrayList<>(all);
    fresh.removeAll(assigned);
    consumer.seekToBeginning(fresh);
    assigned.clear();
    assigned.addAll(all);
  }

  private void sample(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> assigned) {
    long askedAt = Micros.now();
    Map<TopicPartition, Long> ends;
    try {
      ends = consumer.endOffsets(assigned, Duration.ofSeconds(5));
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      return; // no sample this time: the bound only grows looser
    }
    Map<Long, Long> packed = new HashMap<>();
    ends.forEach(
        (tp, end) -> packed.put(Places.pack(0, history.topic(tp.topic()), tp.partition()), end));
    log.ends(askedAt, packed);
  }

  /**
   * Waits until this reader has read every partition up to the end it has now (committed records),
   * asking the cluster for the ends with {@code client}'s configuration.
   *
   * @throws IllegalStateException when it does not within {@code timeout}, naming the partitions
   */
  public void awaitCaughtUp(Duration timeout) throws InterruptedException {
    Map<String, Object> c = new HashMap<>(config);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, config.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-ends");
    Map<TopicPartition, Long> ends;
    try (var consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> all = new ArrayList<>();
      for (String topic : topics) {
        consumer
            .partitionsFor(topic, Duration.ofSeconds(10))
            .forEach(p -> all.add(new TopicPartition(p.topic(), p.partition())));
      }
      ends = consumer.endOffsets(all, Duration.ofSeconds(10));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Map<TopicPartition, Long> at = positions.get();
      if (ends.entrySet().stream()
          .allMatch(e -> at.getOrDefault(e.getKey(), -1L) >= e.getValue())) {
        return;
      }
      if (failure.get() != null) {
        throw new IllegalStateException("the copy reader failed", failure.get());
      }
      Thread.sleep(50);
    }
    Map<TopicPartition, Long> at = positions.get();
    throw new IllegalStateException(
        "the copy reader did not reach the end within "
            + timeout
            + ": ends "
            + ends
            + ", at "
            + at);
  }

  /** What stopped it, or null. */
  public Throwable failure() {
    return failure.get();
  }

  @Override
  public void close() {
    running.set(false);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
