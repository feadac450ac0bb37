package dev.kafkadr.demo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The demo tenant's producer: durable settings (acks=all, idempotent), a backlog, then a rate. */
final class SampleTraffic implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final List<TopicPartition> partitions;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "demo-traffic");
            t.setDaemon(true);
            return t;
          });
  private final byte[] payload = "x".repeat(512).getBytes(StandardCharsets.UTF_8);

  /** Traffic to {@code partitions} from a producer with {@code client}'s connection settings. */
  SampleTraffic(Map<String, Object> client, List<TopicPartition> partitions) {
    this.partitions = partitions;
    Map<String, Object> config = new java.util.HashMap<>(client);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "demo-tenant-producer");
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Produces {@code count} records and waits until all are acknowledged. */
  void produceBacklog(int count) {
    for (int i = 0; i < count; i++) {
      send();
    }
    producer.flush();
  }

  /** Produces one record to {@code topic} and waits for it to be acknowledged. */
  void produceOne(String topic) throws Exception {
    producer.send(new ProducerRecord<>(topic, "x".getBytes(StandardCharsets.UTF_8), payload)).get();
  }

  /** Produces {@code perSecond} records a second, in ten batches, until closed. */
  void startSteady(int perSecond) {
    int perTick = Math.max(1, perSecond / 10);
    ticker.scheduleAtFixedRate(
        () -> {
          for (int i = 0; i < perTick; i++) {
            send();
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
  }

  private void send() {
    long n = sent.getAndIncrement();
    TopicPartition tp = partitions.get((int) (n % partitions.size()));
    byte[] key = ("order-" + n).getBytes(StandardCharsets.UTF_8);
    producer.send(
        new ProducerRecord<>(tp.topic(), tp.partition(), key, payload),
        (meta, error) -> {
          if (error == null) {
            acked.incrementAndGet();
          }
        });
  }

  /** Stops the steady stream and waits until every record sent is acknowledged. */
  void stop() {
    ticker.shutdownNow();
    producer.flush();
  }

  /** Records the primary has acknowledged. */
  long acked() {
    return acked.get();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
