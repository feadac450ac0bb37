package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.config.TenantFlow;
import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.tenant.NamingMode;
import dev.kafkadr.tenant.Provenance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Active-active with identical topic names: flows primary to secondary and secondary to primary run
 * at once on the same topic. Provenance headers and the origin filter must keep every record to
 * exactly one copy on each side.
 */
class ActiveActiveIdenticalIT {

  private static final String TOPIC = "acme.events";
  private static final int PER_SIDE = 500;

  private static Sandbox sandbox;

  @BeforeAll
  static void start() throws Exception {
    sandbox =
        Sandbox.builder()
            .dns(false)
            .pluginPath(Path.of(System.getProperty("kdr.plugin.dir")))
            .start();
    for (var cluster : List.of(sandbox.primary(), sandbox.secondary())) {
      cluster.createTopics(new NewTopic(TOPIC, 2, (short) 1));
    }
    ConnectRestClient connect = sandbox.connect();
    for (TenantFlow flow :
        List.of(
            flow(Sandbox.PRIMARY, Sandbox.SECONDARY), flow(Sandbox.SECONDARY, Sandbox.PRIMARY))) {
      flow.connectors().forEach(connect::putConnector);
      connect.awaitRunning(flow.name() + ".source", Duration.ofSeconds(60));
    }
  }

  private static TenantFlow flow(String from, String to) {
    return new TenantFlow(
        "acme",
        from,
        sandbox.cluster(from).bootstrapServers(),
        to,
        sandbox.cluster(to).bootstrapServers(),
        List.of("acme\\..*"),
        List.of("acme-.*"),
        List.of(),
        NamingMode.IDENTICAL,
        1,
        Duration.ofSeconds(1),
        Map.of());
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void everyRecordAppearsExactlyOnceOnEachSideWithAtMostOneHop() throws Exception {
    produce(sandbox.primary().bootstrapServers(), "p-");
    produce(sandbox.secondary().bootstrapServers(), "s-");

    for (var cluster : List.of(sandbox.primary(), sandbox.secondary())) {
      List<ConsumerRecord<byte[], byte[]>> records =
          readAll(cluster.bootstrapServers(), 2 * PER_SIDE);
      // Both flows keep running; a loop would keep adding copies during this time.
      await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> true);
      records = readAll(cluster.bootstrapServers(), 2 * PER_SIDE);

      Map<String, Integer> copies = new HashMap<>();
      records.forEach(
          r -> copies.merge(new String(r.value(), StandardCharsets.UTF_8), 1, Integer::sum));
      assertThat(records).as(cluster.name()).hasSize(2 * PER_SIDE);
      assertThat(copies.values()).as("copies per record on " + cluster.name()).containsOnly(1);
      String local = cluster.name().equals(Sandbox.PRIMARY) ? "p-" : "s-";
      String remoteOrigin =
          cluster.name().equals(Sandbox.PRIMARY) ? Sandbox.SECONDARY : Sandbox.PRIMARY;
      for (ConsumerRecord<byte[], byte[]> r : records) {
        String value = new String(r.value(), StandardCharsets.UTF_8);
        String header = header(r, Provenance.DEFAULT_HEADER);
        if (value.startsWith(local)) {
          assertThat(header).as("a local record carries no provenance").isNull();
        } else {
          Provenance provenance =
              Provenance.parse(header.getBytes(StandardCharsets.UTF_8)).orElseThrow();
          assertThat(provenance.originAlias()).isEqualTo(remoteOrigin);
          assertThat(provenance.hops()).isEqualTo(1);
        }
      }
    }
  }

  private static void produce(String bootstrap, String prefix) {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
            new StringSerializer(),
            new StringSerializer())) {
      for (int i = 0; i < PER_SIDE; i++) {
        producer.send(new ProducerRecord<>(TOPIC, prefix + i, prefix + i));
      }
      producer.flush();
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, int atLeast) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                "bootstrap.servers",
                bootstrap,
                "group.id",
                "verify-" + System.nanoTime(),
                "auto.offset.reset",
                "earliest",
                "enable.auto.commit",
                "false"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(300)).forEach(out::add);
                return out.size() >= atLeast;
              });
      // Drain whatever else is there, so extra copies would be seen.
      for (int empty = 0; empty < 3; ) {
        var batch = consumer.poll(Duration.ofMillis(300));
        batch.forEach(out::add);
        empty = batch.isEmpty() ? empty + 1 : 0;
      }
    }
    return out;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
