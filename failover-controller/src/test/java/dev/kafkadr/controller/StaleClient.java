package dev.kafkadr.controller;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A client of the tenant in the primary's region that never looks at the registry: it writes to the
 * primary straight, one record at a time in flight, and counts what the primary acknowledged; it
 * stops at its first refusal.
 */
final class StaleClient implements AutoCloseable {

  private final KafkaProducer<String, String> producer;
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong lastAckAt = new AtomicLong();
  private final AtomicReference<Exception> refused = new AtomicReference<>();
  private volatile long refusedAt;
  private final Thread thread;

  /** The tenant's producer of {@link SecuredTenants}, on the primary's secured listener. */
  StaleClient() {
    this(SecuredTenants.client(SecuredTenants.PRODUCER));
  }

  /**
   * A producer with {@code client}'s settings (security; bootstrap servers, if absent, the
   * primary's secured listener); not writing until {@link #start()}.
   */
  StaleClient(Map<String, Object> client) {
    Map<String, Object> config = new HashMap<>(client);
    config.putIfAbsent(
        "bootstrap.servers", SandboxTenants.sandbox.primary().tenantBootstrapServers());
    config.put("acks", "all");
    config.put("delivery.timeout.ms", 20_000);
    config.put("request.timeout.ms", 5_000);
    producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    thread = new Thread(this::run, "stale-client");
    thread.setDaemon(true);
  }

  /** Starts writing. */
  void start() {
    thread.start();
  }

  private void run() {
    for (long i = 0; !Thread.currentThread().isInterrupted(); i++) {
      try {
        producer.send(new ProducerRecord<>(ShopTopic.TOPIC, "stale", "stale-" + i)).get();
        acked.incrementAndGet();
        lastAckAt.set(System.currentTimeMillis());
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        refusedAt = System.nanoTime();
        refused.set(
            e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                ? (Exception) e.getCause()
                : e);
        return;
      }
    }
  }

  /** Records the primary acknowledged. */
  long acked() {
    return acked.get();
  }

  /** The first refusal (the cause of a failed send), or null. */
  Exception refused() {
    return refused.get();
  }

  /** When the first refusal came, {@link System#nanoTime()}. */
  long refusedAt() {
    return refusedAt;
  }

  /** When the primary last acknowledged a record, ms since the epoch; 0 if never. */
  long lastAckAtMillis() {
    return lastAckAt.get();
  }

  /** Seconds from {@code instant} (ISO-8601) to the last acknowledgement. */
  double lastAckAfter(String instant) {
    return (lastAckAt.get() - java.time.Instant.parse(instant).toEpochMilli()) / 1000.0;
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(10_000);
    producer.close(Duration.ofSeconds(5));
  }
}
