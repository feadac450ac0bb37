package dev.kafkadr.bench;

import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.kafka.ClusterSecurity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produces the benchmark's records and watches them arrive on the secondary. */
final class Workload {

  /** Catch-up timings. */
  record CatchUp(long records, long firstCopied, double startToFirstSec, double firstToLastSec) {
    double steadyRecordsPerSec() {
      return (records - firstCopied) / firstToLastSec;
    }

    double totalRecordsPerSec() {
      return records / (startToFirstSec + firstToLastSec);
    }
  }

  /** How long a copy's offsets must stand still before it counts as complete. */
  private static final Duration SETTLED = Duration.ofMillis(500);

  private final Sandbox sandbox;
  private final String topic;
  private final int partitions;
  private final byte[] payload;

  Workload(Sandbox sandbox, String topic, int partitions, int recordSize) {
    this.sandbox = sandbox;
    this.topic = topic;
    this.partitions = partitions;
    this.payload = new byte[recordSize];
    new Random(42).nextBytes(payload);
  }

  /**
   * Produces {@code count} records with acks=all; returns acknowledged records per second.
   *
   * @throws IllegalStateException if any record was not acknowledged, with the first error
   */
  double produceBacklog(int count) {
    AtomicReference<Exception> firstError = new AtomicReference<>();
    AtomicLong failed = new AtomicLong();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        producer.send(
            new ProducerRecord<>(topic, i % partitions, null, payload),
            (meta, error) -> {
              if (error != null) {
                failed.incrementAndGet();
                firstError.compareAndSet(null, error);
              }
            });
      }
      producer.flush();
      double rate = count / ((System.nanoTime() - start) / 1e9);
      if (failed.get() > 0) {
        throw new IllegalStateException(
            failed.get()
                + " of "
                + count
                + " records to "
                + topic
                + " were not acknowledged; first error: "
                + firstError.get(),
            firstError.get());
      }
      return rate;
    }
  }

  /**
   * Waits until the secondary's copy holds {@code count} committed records: its last stable offsets
   * add up to at least {@code count} and stopped moving (an exactly-once copy also holds a
   * transaction marker per transaction and partition, so its offsets pass {@code count} before the
   * last records are committed); the copy ends at the last move.
   */
  CatchUp awaitReplicated(long count, long createdNanos, Duration timeout) throws Exception {
    List<TopicPartition> remote =
        IntStream.range(0, partitions)
            .mapToObj(p -> new TopicPartition(Sandbox.PRIMARY + "." + topic, p))
            .toList();
    long deadline = createdNanos + timeout.toNanos();
    long firstAt = 0;
    long firstCopied = 0;
    long last = 0;
    long lastMovedAt = 0;
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      while (System.nanoTime() < deadline) {
        long copied = copied(admin, remote);
        long now = System.nanoTime();
        if (copied > 0 && firstAt == 0) {
          firstAt = now;
          firstCopied = copied;
        }
        if (copied != last) {
          last = copied;
          lastMovedAt = now;
        }
        if (copied >= count && now - lastMovedAt >= SETTLED.toNanos()) {
          return new CatchUp(
              count, firstCopied, (firstAt - createdNanos) / 1e9, (lastMovedAt - firstAt) / 1e9);
        }
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException(
        "MM2 did not copy " + count + " records of " + topic + " within " + timeout);
  }

  /**
   * Produces {@code rate} records a second for {@code seconds} and returns, for each, the time from
   * its creation timestamp to its arrival on the secondary, in milliseconds.
   */
  List<Double> trickleLatencies(int rate, int seconds) throws Exception {
    List<Double> latencies = new ArrayList<>();
    String remoteTopic = Sandbox.PRIMARY + "." + topic;
    int total = rate * seconds;
    try (KafkaProducer<byte[], byte[]> producer = producer();
        KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> remote =
          IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(remoteTopic, p)).toList();
      consumer.assign(remote);
      consumer.seekToEnd(remote);
      remote.forEach(consumer::position);
      long start = System.nanoTime();
      long deadline = start + Duration.ofSeconds(seconds + 60L).toNanos();
      int sent = 0;
      while (latencies.size() < total && System.nanoTime() < deadline) {
        long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
        for (; sent < due; sent++) {
          producer.send(
              new ProducerRecord<>(
                  topic, sent % partitions, System.currentTimeMillis(), null, payload));
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(5))) {
          latencies.add((double) (System.currentTimeMillis() - r.timestamp()));
        }
      }
    }
    if (latencies.size() < total) {
      throw new IllegalStateException(
          "only " + latencies.size() + " of " + total + " trickle records arrived");
    }
    return latencies;
  }

  private static long copied(Admin admin, List<TopicPartition> partitions)
      throws InterruptedException {
    var result =
        admin.listOffsets(
            partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())),
            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED));
    long sum = 0;
    for (TopicPartition tp : partitions) {
      try {
        sum += result.partitionResult(tp).get().offset();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new IllegalStateException("cannot read offsets of " + tp, e.getCause());
        }
      }
    }
    return sum;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> config =
        new java.util.HashMap<>(sandbox.primary().clientConfig(ClusterSecurity.ADMIN));
    config.put("acks", "all");
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Map<String, Object> config =
        new java.util.HashMap<>(sandbox.secondary().clientConfig(ClusterSecurity.ADMIN));
    config.put("enable.auto.commit", "false");
    config.put("isolation.level", "read_committed");
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
