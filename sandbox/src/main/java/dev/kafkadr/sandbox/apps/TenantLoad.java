package dev.kafkadr.sandbox.apps;

import dev.kafkadr.client.FollowingConsumer;
import dev.kafkadr.client.FollowingProducer;
import dev.kafkadr.client.RegistryWatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A tenant's application, for tests, the demo and the benchmarks: a producer sending numbered
 * records (key {@code k<n % 8>}) one after the other and a consumer committing after every batch,
 * both through the client helper so that they follow the tenant; and an independent checker of what
 * was acknowledged against what was consumed.
 */
public final class TenantLoad implements AutoCloseable {

  private final Set<Integer> acked = ConcurrentHashMap.newKeySet();
  private final List<Integer> consumed = new CopyOnWriteArrayList<>();
  private final List<String> others = new CopyOnWriteArrayList<>();
  private final AtomicReference<Instant> firstProduced = new AtomicReference<>();
  private final AtomicReference<Instant> firstConsumed = new AtomicReference<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  /** This load's mark on its values ({@code <run>-<n>}): records of earlier loads are others. */
  private final String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-";

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean producerDone = new AtomicBoolean();
  private final AtomicInteger sent = new AtomicInteger();
  private final String movedTo;
  private final Thread producing;
  private final Thread consuming;

  /**
   * Starts producing to and consuming {@code topic} as group {@code group}.
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
    this.movedTo = movedTo;
    this.producing = thread("producing", () -> produce(watcher, topic, producerConfig));
    this.consuming = thread("consuming", () -> consume(watcher, topic, group, consumerConfig));
  }

  private void produce(RegistryWatcher watcher, String topic, Map<String, Object> config)
      throws Exception {
    Map<String, Object> c = new HashMap<>(config);
    c.put("acks", "all");
    c.put("linger.ms", 0);
    try (var producer =
        new FollowingProducer<>(
            watcher, c, new StringSerializer(), new StringSerializer(), Duration.ofSeconds(90))) {
      for (int i = 0; running.get(); i++) {
        producer
            .send(new ProducerRecord<>(topic, "k" + (i % 8), run + i))
            .get(120, TimeUnit.SECONDS);
        acked.add(i);
        sent.set(i + 1);
        if (producer.location().cluster().equals(movedTo)) {
          firstProduced.compareAndSet(null, Instant.now());
        }
        Thread.sleep(5);
      }
    } finally {
      producerDone.set(true);
    }
  }

  private void consume(
      RegistryWatcher watcher, String topic, String group, Map<String, Object> config) {
    Map<String, Object> c = new HashMap<>(config);
    c.put("group.id", group);
    c.put("auto.offset.reset", "earliest");
    try (var consumer =
        new FollowingConsumer<>(watcher, c, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      Instant giveUp = Instant.MAX;
      while (!(producerDone.get() && Set.copyOf(consumed).containsAll(acked))
          && Instant.now().isBefore(giveUp)) {
        if (producerDone.get() && giveUp == Instant.MAX) {
          giveUp = Instant.now().plusSeconds(45);
        }
        var records = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<String, String> r : records) {
          String v = r.value();
          if (v.startsWith(run) && v.substring(run.length()).chars().allMatch(Character::isDigit)) {
            consumed.add(Integer.parseInt(v.substring(run.length())));
          } else {
            others.add(r.value());
          }
        }
        if (!records.isEmpty()) {
          consumer.commitSync();
          if (consumer.location().cluster().equals(movedTo)) {
            firstConsumed.compareAndSet(null, Instant.now());
          }
        }
      }
    }
  }

  /** The numbers of the records acknowledged. */
  public Set<Integer> acked() {
    return Set.copyOf(acked);
  }

  /** The numbers of the records consumed, in order, with repeats. */
  public List<Integer> consumed() {
    return List.copyOf(consumed);
  }

  /**
   * Values consumed that this load did not produce (records of the topic from before it, read again
   * or never read before).
   */
  public List<String> others() {
    return List.copyOf(others);
  }

  /** When the first record was acknowledged by the cluster moved to, or null. */
  public Instant firstProduced() {
    return firstProduced.get();
  }

  /** When the first batch was consumed and committed on the cluster moved to, or null. */
  public Instant firstConsumed() {
    return firstConsumed.get();
  }

  /** What stopped the producer or the consumer, or null. */
  public Throwable failure() {
    return failure.get();
  }

  /** One line: acknowledged, consumed, lost, read twice, and any failure. */
  public String summary() {
    return String.format(
        "%,d records acknowledged, %,d consumed, %d lost, %d read twice%s",
        acked.size(),
        Set.copyOf(consumed).size(),
        lost().size(),
        duplicates(),
        failure.get() == null ? "" : " (application error: " + failure.get() + ")");
  }

  /** Records acknowledged so far. */
  public int sent() {
    return sent.get();
  }

  /** Stops producing, then waits for the consumer to read everything acknowledged (or 45 s). */
  public void finish() throws InterruptedException {
    running.set(false);
    producing.join(150_000);
    consuming.join(150_000);
  }

  /** Acknowledged records never consumed. */
  public List<Integer> lost() {
    Set<Integer> seen = Set.copyOf(consumed);
    return acked.stream().filter(i -> !seen.contains(i)).sorted().toList();
  }

  /** Records consumed more than once. */
  public int duplicates() {
    return consumed.size() - Set.copyOf(consumed).size();
  }

  /** Records of a key consumed before an older record of the same key. */
  public List<String> outOfOrder() {
    Map<Integer, Integer> last = new HashMap<>();
    List<String> out = new ArrayList<>();
    for (int id : consumed) {
      int key = id % 8;
      Integer before = last.get(key);
      if (before != null && id < before) {
        out.add(id + " after " + before);
      }
      last.put(key, Math.max(id, before == null ? id : before));
    }
    return out;
  }

  private Thread thread(String name, ThrowingRunnable body) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Throwable e) {
                failure.compareAndSet(null, e);
              }
            },
            name);
    t.start();
    return t;
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Override
  public void close() {
    running.set(false);
    try {
      producing.join(5000);
      consuming.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
