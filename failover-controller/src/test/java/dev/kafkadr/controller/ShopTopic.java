package dev.kafkadr.controller;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The secured tenant's topic on either cluster, written and read as the tenant's clients. */
final class ShopTopic {

  static final String TOPIC = "shop.orders";

  private ShopTopic() {}

  /**
   * Produces {@code n} records straight to the primary as the tenant's producer; their values,
   * {@code prefix} followed by a number.
   */
  static List<String> produceOnPrimary(String prefix, int n) throws Exception {
    List<String> values = new ArrayList<>();
    Map<String, Object> producer = new HashMap<>(SecuredTenants.client(SecuredTenants.PRODUCER));
    producer.put("bootstrap.servers", SandboxTenants.sandbox.primary().tenantBootstrapServers());
    try (var p = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < n; i++) {
        p.send(new ProducerRecord<>(TOPIC, "k" + (i % 8), prefix + i)).get();
        values.add(prefix + i);
      }
    }
    return values;
  }

  /**
   * A consumer of {@code group} on the primary, as the tenant's consumer, that has read every
   * partition of the topic to its end from the group's committed offsets and not yet committed.
   */
  static KafkaConsumer<String, String> readToEndOnPrimary(String group) {
    Map<String, Object> config = new HashMap<>(SecuredTenants.client(SecuredTenants.CONSUMER));
    config.put("bootstrap.servers", SandboxTenants.sandbox.primary().tenantBootstrapServers());
    config.put("group.id", group);
    config.put("enable.auto.commit", false);
    config.put("auto.offset.reset", "earliest");
    var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(TOPIC).stream()
            .map(p -> new TopicPartition(TOPIC, p.partition()))
            .toList();
    consumer.assign(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    Instant until = Instant.now().plusSeconds(30);
    while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
      if (Instant.now().isAfter(until)) {
        consumer.close();
        throw new IllegalStateException(group + " did not reach the end of " + TOPIC + " in 30 s");
      }
      consumer.poll(Duration.ofMillis(100));
    }
    return consumer;
  }

  /**
   * Reads the tenant's topic on cluster {@code alias} ({@code primary} or {@code secondary}) whole,
   * to the end it has now, into {@code history} as the reader named {@code alias}.
   */
  static void readWhole(dev.kafkadr.testkit.history.History history, String alias)
      throws InterruptedException {
    var cluster =
        "primary".equals(alias)
            ? SandboxTenants.sandbox.primary()
            : SandboxTenants.sandbox.secondary();
    try (var reader =
        new dev.kafkadr.testkit.history.CopyReader(
            history, alias, alias, cluster.adminConfig(), List.of(TOPIC), Duration.ofSeconds(1))) {
      reader.awaitCaughtUp(Duration.ofSeconds(60));
      if (reader.failure() != null) {
        throw new IllegalStateException("reading " + TOPIC + " on " + alias, reader.failure());
      }
    }
  }

  /** Every value of the tenant's topic on the secondary. */
  static List<String> readSecondary() {
    Map<String, Object> reader = new HashMap<>(SandboxTenants.sandbox.secondary().adminConfig());
    reader.put("group.id", "shop-checker");
    reader.put("auto.offset.reset", "earliest");
    List<String> onSecondary = new ArrayList<>();
    try (var c = new KafkaConsumer<>(reader, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(TOPIC));
      Instant until = Instant.now().plusSeconds(10);
      while (Instant.now().isBefore(until)) {
        c.poll(Duration.ofMillis(200)).forEach(r -> onSecondary.add(r.value()));
      }
    }
    return onSecondary;
  }

  /**
   * The group reads everything on the primary and commits right after a scan; the primary dies
   * before the next scan can see that commit. The offsets it committed, per partition.
   */
  static Map<String, Long> commitThenKillThePrimary(LagMonitor monitor) {
    Map<String, Long> committed = new java.util.HashMap<>();
    var consumer = readToEndOnPrimary("shop-app");
    try {
      consumer.assignment().forEach(tp -> committed.put(tp.toString(), consumer.position(tp)));
      Instant seen = monitor.latest().at();
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> monitor.latest().at().isAfter(seen));
      consumer.commitSync();
      for (var node : SandboxTenants.sandbox.primary().nodes()) {
        SandboxTenants.sandbox.kill(node.role());
      }
    } finally {
      // its cluster is gone: nothing to wait for
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
    }
    return committed;
  }

  /**
   * Whether a failover translated group {@code shop-app} from the offsets it {@code committed} (a
   * scan saw that commit after all) rather than from older ones.
   */
  @SuppressWarnings("unchecked")
  static boolean translatedFromCommit(
      Map<String, Object> translatedOffsets, Map<String, Long> committed) {
    Map<String, List<Number>> translated =
        (Map<String, List<Number>>) translatedOffsets.get("shop-app");
    return translated.entrySet().stream()
        .allMatch(e -> e.getValue().get(0).longValue() == committed.get(e.getKey()));
  }
}
