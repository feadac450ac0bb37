package dev.kafkadr.testkit.apps;

import dev.kafkadr.client.FollowingConsumer;
import dev.kafkadr.client.FollowingProducer;
import dev.kafkadr.client.RegistryWatcher;
import dev.kafkadr.testkit.history.CheckedProducer;
import dev.kafkadr.testkit.history.GroupReader;
import dev.kafkadr.testkit.history.History;
import dev.kafkadr.testkit.history.Sender;
import dev.kafkadr.testkit.history.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A tenant's application, for tests, the demo and the benchmarks: a producer sending numbered
 * records asynchronously at a steady rate and a consumer group member committing after every batch,
 * both through the client helper so that they follow the tenant between clusters; judged by the
 * history checker ({@link History}): what was acknowledged against what the group read.
 */
public final class TenantLoad implements AutoCloseable {

  /** Records per second by default: enough to see every step of a workflow under load. */
  public static final double DEFAULT_RATE = 200;

  private final History history = History.create();
  private final String group;
  private final String movedTo;
  private final CheckedProducer producer;
  private final GroupReader consumer;
  private final AtomicReference<Instant> firstConsumed = new AtomicReference<>();
  private final AtomicReference<Instant> firstProduced = new AtomicReference<>();
  private final Thread watchProduced;

  /**
   * Starts producing to and consuming {@code topic} as group {@code group}, {@link #DEFAULT_RATE}
   * records a second.
   *
   * @param movedTo the cluster whose first produce and consume are timed
   * @param producerConfig and consumerConfig without bootstrap.servers (the registry's)
   */
  public TenantLoad(
      RegistryWatcher watcher,
      String topic,
      String group,
      String movedTo,
      Map<String, Object> producerConfig,
      Map<String, Object> consumerConfig) {
    this(watcher, topic, group, movedTo, producerConfig, consumerConfig, DEFAULT_RATE);
  }

  /** The same at {@code ratePerSecond} records a second. */
  public TenantLoad(
      RegistryWatcher watcher,
      String topic,
      String group,
      String movedTo,
      Map<String, Object> producerConfig,
      Map<String, Object> consumerConfig,
      double ratePerSecond) {
    this.group = group;
    this.movedTo = movedTo;
    Map<String, Object> p = new HashMap<>(producerConfig);
    p.put("acks", "all");
    p.put("enable.idempotence", true);
    p.put("linger.ms", 5);
    this.producer =
        new CheckedProducer(
            history,
            0,
            Sender.following(
                new FollowingProducer<>(
                    watcher,
                    p,
                    new ByteArraySerializer(),
                    new ByteArraySerializer(),
                    Duration.ofSeconds(90))),
            List.of(topic),
            8,
            ratePerSecond,
            0);
    Map<String, Object> c = new HashMap<>(consumerConfig);
    c.put("group.id", group);
    c.put("auto.offset.reset", "earliest");
    this.consumer =
        new GroupReader(
            history,
            group,
            GroupReader.Source.following(
                new FollowingConsumer<>(
                    watcher, c, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                List.of(topic)),
            cluster -> {
              if (cluster.equals(movedTo)) {
                firstConsumed.compareAndSet(null, Instant.now());
              }
            });
    this.watchProduced = new Thread(this::watchProduced, "tenant-load-moved");
    watchProduced.setDaemon(true);
    watchProduced.start();
  }

  /** Notes the first acknowledgement from the cluster moved to. */
  private void watchProduced() {
    long seen = 0;
    int cluster = history.cluster(movedTo);
    while (firstProduced.get() == null && !Thread.currentThread().isInterrupted()) {
      var log = producer.log();
      int n = log.count();
      for (long seq = seen; seq < n; seq++) {
        long where = log.where((int) seq);
        if (where >= 0 && dev.kafkadr.testkit.history.Places.cluster(where) == cluster) {
          firstProduced.compareAndSet(
              null, dev.kafkadr.testkit.history.Micros.toInstant(log.doneAt((int) seq)));
          return;
        }
        if (log.doneAt((int) seq) < 0) {
          break; // not answered yet: look again from here
        }
        seen = seq + 1;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The history both write. */
  public History history() {
    return history;
  }

  /** Records sent so far. */
  public int sent() {
    return producer.sent();
  }

  /** Records acknowledged so far. */
  public long acked() {
    return producer.acked();
  }

  /** Records the group read so far, with repeats. */
  public int consumed() {
    return history.reader(group).count();
  }

  /** Values the group read that this load did not produce (the first 100). */
  public List<String> others() {
    return history.reader(group).others();
  }

  /** When the first record was acknowledged by the cluster moved to, or null. */
  public Instant firstProduced() {
    return firstProduced.get();
  }

  /** When the first batch was read and committed on the cluster moved to, or null. */
  public Instant firstConsumed() {
    return firstConsumed.get();
  }

  /** What stopped the producer or the consumer, or null. */
  public Throwable failure() {
    return producer.failure() != null ? producer.failure() : consumer.failure();
  }

  /** The group's verdict so far: lost, read twice, out of order, read but failed. */
  public Verdict verdict() {
    return history.verdict(group);
  }

  /** One line: the verdict, and any failure. */
  public String summary() {
    Throwable f = failure();
    return verdict().summary() + (f == null ? "" : " (application error: " + f + ")");
  }

  /**
   * Stops producing (30 s for the records in flight), then waits until the group has read every
   * acknowledged record (at most 45 s) and stops it.
   */
  public void finish() throws InterruptedException {
    producer.stop(Duration.ofSeconds(30));
    long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
    while (verdict().lost() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    consumer.close();
  }

  @Override
  public void close() {
    watchProduced.interrupt();
    producer.close();
    consumer.close();
  }
}
