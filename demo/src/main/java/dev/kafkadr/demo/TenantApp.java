package dev.kafkadr.demo;

import dev.kafkadr.client.FollowingConsumer;
import dev.kafkadr.client.FollowingProducer;
import dev.kafkadr.client.RegistryWatcher;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The demo tenant's application during the switchover and the failback: a producer of numbered
 * orders and a consumer group, both SCRAM users held to the tenant's ACLs and both following the
 * tenant through the client helper; it counts what was acknowledged, consumed, lost and read twice.
 */
final class TenantApp implements AutoCloseable {

  private final Set<Integer> acked = ConcurrentHashMap.newKeySet();
  private final Set<Integer> seen = ConcurrentHashMap.newKeySet();
  private final AtomicInteger twice = new AtomicInteger();
  private final AtomicBoolean producing = new AtomicBoolean(true);
  private final AtomicBoolean consuming = new AtomicBoolean(true);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread producer;
  private final Thread consumer;

  TenantApp(
      RegistryWatcher watcher,
      String topic,
      Map<String, Object> producerAuth,
      Map<String, Object> consumerAuth) {
    producer = thread("demo-app-producer", () -> produce(watcher, topic, producerAuth));
    consumer = thread("demo-app-consumer", () -> consume(watcher, topic, consumerAuth));
  }

  private void produce(RegistryWatcher watcher, String topic, Map<String, Object> auth)
      throws Exception {
    Map<String, Object> c = new HashMap<>(auth);
    c.put("acks", "all");
    try (var p =
        new FollowingProducer<>(
            watcher, c, new StringSerializer(), new StringSerializer(), Duration.ofSeconds(60))) {
      for (int i = 0; producing.get(); i++) {
        p.send(new ProducerRecord<>(topic, "order-" + (i % 16), Integer.toString(i)))
            .get(90, TimeUnit.SECONDS);
        acked.add(i);
        Thread.sleep(10);
      }
    }
  }

  private void consume(RegistryWatcher watcher, String topic, Map<String, Object> auth) {
    Map<String, Object> c = new HashMap<>(auth);
    c.put("group.id", "demo-app");
    c.put("auto.offset.reset", "earliest");
    try (var con =
        new FollowingConsumer<>(watcher, c, new StringDeserializer(), new StringDeserializer())) {
      con.subscribe(List.of(topic));
      while (consuming.get() || !seen.containsAll(acked)) {
        var records = con.poll(Duration.ofMillis(100));
        records.forEach(
            r -> {
              if (!seen.add(Integer.parseInt(r.value()))) {
                twice.incrementAndGet();
              }
            });
        if (!records.isEmpty()) {
          con.commitSync();
        }
        if (!consuming.get() && !producer.isAlive() && seen.containsAll(acked)) {
          return;
        }
      }
    }
  }

  /** Records acknowledged so far. */
  int acked() {
    return acked.size();
  }

  /** Stops producing, lets the consumer read the rest (30 s at most); one line of results. */
  String finish() throws InterruptedException {
    producing.set(false);
    producer.join(60_000);
    consuming.set(false);
    consumer.join(30_000);
    long lost = acked.stream().filter(i -> !seen.contains(i)).count();
    return String.format(
        "%,d orders acknowledged, %,d consumed, %d lost, %d read twice%s",
        acked.size(),
        seen.size(),
        lost,
        twice.get(),
        failure.get() == null ? "" : " (application error: " + failure.get() + ")");
  }

  private Thread thread(String name, Body body) {
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
    t.setDaemon(true);
    t.start();
    return t;
  }

  private interface Body {
    void run() throws Exception;
  }

  @Override
  public void close() throws InterruptedException {
    producing.set(false);
    consuming.set(false);
    producer.join(5000);
    consumer.join(5000);
  }
}
