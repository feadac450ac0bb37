package dev.kafkadr.controller;

import dev.kafkadr.client.Location;
import dev.kafkadr.client.RegistryWatcher;
import dev.kafkadr.testkit.history.CheckedTransactions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/** Transactional clients of the tenant for the tests, following it through the registry. */
final class Transactions {

  private Transactions() {}

  /**
   * Makes the tenant's transactional producer {@code transactionalId} on the cluster the registry
   * names now, as an exactly-once application does when it starts (or restarts after a fence).
   */
  static CheckedTransactions.Factory factory(RegistryWatcher watcher, String transactionalId) {
    return new CheckedTransactions.Factory() {
      private volatile String cluster = watcher.current().cluster();

      @Override
      public Producer<byte[], byte[]> create() {
        Location at = watcher.current();
        Map<String, Object> c = new HashMap<>(SecuredTenants.client(SecuredTenants.PRODUCER));
        c.put("bootstrap.servers", at.bootstrapServers());
        c.put("transactional.id", transactionalId);
        c.put("transaction.timeout.ms", 30_000);
        c.put("max.block.ms", 5_000);
        c.put("delivery.timeout.ms", 10_000);
        c.put("request.timeout.ms", 5_000);
        var p = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
        try {
          p.initTransactions();
        } catch (KafkaException e) {
          p.close(Duration.ofSeconds(1));
          throw e;
        }
        cluster = at.cluster();
        return p;
      }

      @Override
      public String cluster() {
        return cluster;
      }
    };
  }

  /**
   * A transactional producer straight on the primary, for the hand-made cases: as the tenant's
   * {@code user}, or with a null user as the sandbox's administrator (any topic).
   */
  static KafkaProducer<String, String> onPrimary(String user, String transactionalId) {
    Map<String, Object> c =
        new HashMap<>(
            user == null
                ? SandboxTenants.sandbox.primary().adminConfig()
                : SecuredTenants.client(user));
    if (user != null) {
      c.put("bootstrap.servers", SandboxTenants.sandbox.primary().tenantBootstrapServers());
    }
    c.put("transactional.id", transactionalId);
    c.put("transaction.timeout.ms", 300_000);
    var p =
        new KafkaProducer<>(
            c,
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.StringSerializer());
    p.initTransactions();
    return p;
  }

  /** The values of every record of {@code topic} on {@code bootstrap} as an admin reads them. */
  static List<String> read(
      Map<String, Object> admin, String topic, boolean committedOnly, Duration within) {
    Map<String, Object> c = new HashMap<>(admin);
    c.put("isolation.level", committedOnly ? "read_committed" : "read_uncommitted");
    c.put("enable.auto.commit", false);
    List<String> out = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, within).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      if (partitions.isEmpty()) {
        throw new AssertionError(
            "no topic " + topic + " to read at " + admin.get("bootstrap.servers"));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, within);
      long until = System.nanoTime() + within.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
          && System.nanoTime() < until) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          out.add(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  /**
   * The tenant's Kafka Streams application, exactly once ({@code exactly_once_v2}): copies {@code
   * shop.input} to {@code shop.output} unchanged. Started on the cluster the registry names; a
   * fence stops it (its client shuts down), and it is started again on the tenant's new cluster.
   */
  static final class StreamsApp implements AutoCloseable {
    private final RegistryWatcher watcher;
    private KafkaStreams streams;
    private String cluster;
    private int starts;

    StreamsApp(RegistryWatcher watcher) {
      this.watcher = watcher;
      start();
    }

    /** Starts it again where the tenant is now, if it moved. */
    synchronized void follow() {
      if (!watcher.current().cluster().equals(cluster)) {
        streams.close(Duration.ofSeconds(10));
        start();
      }
    }

    private void start() {
      Location at = watcher.current();
      Properties p = new Properties();
      p.putAll(SecuredTenants.client(TransactionalTenants.STREAMS));
      p.put(StreamsConfig.APPLICATION_ID_CONFIG, TransactionalTenants.STREAMS);
      p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, at.bootstrapServers());
      p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
      p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
      p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
      p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
      p.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/kdr-streams");
      p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
      StreamsBuilder builder = new StreamsBuilder();
      builder.<byte[], byte[]>stream("shop.input").to("shop.output");
      streams = new KafkaStreams(builder.build(), p);
      streams.setUncaughtExceptionHandler(
          e -> StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
      streams.start();
      cluster = at.cluster();
      starts++;
    }

    /** How many times it was started. */
    synchronized int starts() {
      return starts;
    }

    /** Where it runs now. */
    synchronized String cluster() {
      return cluster;
    }

    @Override
    public synchronized void close() {
      streams.close(Duration.ofSeconds(10));
    }
  }
}
