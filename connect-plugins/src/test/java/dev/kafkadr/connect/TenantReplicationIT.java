package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkadr.config.TenantFlow;
import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.tenant.NamingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.mirror.RemoteClusterUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tenant replication through our plugins on the sandbox, with real MM2 connectors and clients.
 * Subclasses rerun the whole suite for each naming mode, as Kafka's own MM2 tests do per policy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TenantReplicationIT {

  private static final int PARTITIONS = 3;
  private static final int PER_PARTITION = 150;

  Sandbox sandbox;
  TenantFlow flow;

  abstract NamingMode naming();

  String remote(String topic) {
    return naming() == NamingMode.PREFIXED ? Sandbox.PRIMARY + "." + topic : topic;
  }

  @BeforeAll
  void start() throws Exception {
    sandbox =
        Sandbox.builder()
            .dns(false)
            .pluginPath(Path.of(System.getProperty("kdr.plugin.dir")))
            .start();
    sandbox
        .primary()
        .createTopics(
            new NewTopic("acme.orders", PARTITIONS, (short) 1),
            new NewTopic("acme.payments", 2, (short) 1),
            new NewTopic("acme.durable", 1, (short) 1)
                .configs(
                    Map.of(
                        "min.insync.replicas",
                        "2",
                        "unclean.leader.election.enable",
                        "false",
                        "retention.ms",
                        "3600000")),
            new NewTopic("acme.lenient", 1, (short) 1)
                .configs(
                    Map.of("unclean.leader.election.enable", "true", "retention.ms", "7200000")),
            new NewTopic("acme-eu.orders", 1, (short) 1));
    // Copies that exist before replication starts, one laxer and one stricter than its source.
    sandbox
        .secondary()
        .createTopics(
            new NewTopic(remote("acme.durable"), 1, (short) 1)
                .configs(Map.of("unclean.leader.election.enable", "true")),
            new NewTopic(remote("acme.lenient"), 1, (short) 1)
                .configs(Map.of("unclean.leader.election.enable", "false")));
    flow =
        new TenantFlow(
            "acme",
            Sandbox.PRIMARY,
            sandbox.primary().bootstrapServers(),
            Sandbox.SECONDARY,
            sandbox.secondary().bootstrapServers(),
            List.of("acme\\..*"),
            List.of("acme-.*"),
            List.of("acme-eu\\..*"),
            naming(),
            1,
            Duration.ofSeconds(1),
            Map.of());
    ConnectRestClient connect = sandbox.connect();
    flow.connectors().forEach(connect::putConnector);
    connect.awaitRunning(flow.name() + ".source", Duration.ofSeconds(60));
    connect.awaitRunning(flow.name() + ".heartbeat", Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void replicatesRecordsKeysHeadersTimestampsAndOrderAndStampsProvenance() throws Exception {
    Map<Integer, List<String>> sent = new HashMap<>();
    try (var producer = producer()) {
      for (int i = 0; i < PER_PARTITION; i++) {
        for (int p = 0; p < PARTITIONS; p++) {
          String id = p + "-" + i;
          RecordHeaders headers = new RecordHeaders();
          headers.add("trace-id", bytes("trace-" + id));
          producer.send(
              new ProducerRecord<>(
                  "acme.orders",
                  p,
                  1_700_000_000_000L + i,
                  bytes("key-" + id),
                  bytes("value-" + id),
                  headers));
          sent.computeIfAbsent(p, x -> new ArrayList<>())
              .add(
                  "key-"
                      + id
                      + "|value-"
                      + id
                      + "|"
                      + (1_700_000_000_000L + i)
                      + "|trace-id=trace-"
                      + id
                      + ",kdr.provenance=1;"
                      + i
                      + ";"
                      + (1_700_000_000_000L + i)
                      + ";primary");
        }
      }
      producer.flush();
    }

    Map<Integer, List<String>> received = new HashMap<>();
    try (var consumer =
        consumer(sandbox.secondary().bootstrapServers(), "verify-" + System.nanoTime())) {
      consumer.subscribe(List.of(remote("acme.orders")));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                  received.computeIfAbsent(r.partition(), x -> new ArrayList<>()).add(describe(r));
                }
                return received.values().stream().mapToInt(List::size).sum()
                    >= PARTITIONS * PER_PARTITION;
              });
    }
    assertThat(received).isEqualTo(sent);
  }

  @Test
  void neverReplicatesTheNeighbouringTenantsTopicOrGroup() throws Exception {
    try (var producer = producer()) {
      producer
          .send(new ProducerRecord<>("acme-eu.orders", bytes("k"), bytes("not for acme")))
          .get();
      producer.send(new ProducerRecord<>("acme.payments", 0, bytes("k"), bytes("for acme"))).get();
    }
    try (var consumer = consumer(sandbox.primary().bootstrapServers(), "acme-eu-billing")) {
      consumer.assign(List.of(new TopicPartition("acme-eu.orders", 0)));
      consumer.commitSync(
          Map.of(new TopicPartition("acme-eu.orders", 0), new OffsetAndMetadata(1)));
    }
    try (Admin target = Admin.create(sandbox.secondary().adminConfig())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> target.listTopics().names().get().contains(remote("acme.payments")));
      // Several topic refreshes (1 s each) after the tenant's own topic arrived.
      await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> true);
      assertThat(target.listTopics().names().get(5, TimeUnit.SECONDS))
          .doesNotContain("acme-eu.orders", "primary.acme-eu.orders");
    }
    assertThat(
            RemoteClusterUtils.translateOffsets(
                flow.remoteClusterUtilsConfig(),
                Sandbox.PRIMARY,
                "acme-eu-billing",
                Duration.ofSeconds(5)))
        .isEmpty();
  }

  @Test
  void translatesCommittedGroupOffsetsThroughCheckpoints() throws Exception {
    try (var producer = producer()) {
      for (int i = 0; i < 400; i++) {
        producer.send(new ProducerRecord<>("acme.payments", i % 2, bytes("k" + i), bytes("v" + i)));
      }
      producer.flush();
    }
    TopicPartition p0 = new TopicPartition("acme.payments", 0);
    TopicPartition p1 = new TopicPartition("acme.payments", 1);
    long end1;
    try (var consumer = consumer(sandbox.primary().bootstrapServers(), "acme-billing")) {
      end1 = consumer.endOffsets(List.of(p1)).get(p1);
      consumer.assign(List.of(p0, p1));
      consumer.commitSync(Map.of(p0, new OffsetAndMetadata(100), p1, new OffsetAndMetadata(end1)));
    }
    TopicPartition r0 = new TopicPartition(remote("acme.payments"), 0);
    TopicPartition r1 = new TopicPartition(remote("acme.payments"), 1);
    Map<TopicPartition, OffsetAndMetadata> translated = new HashMap<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              translated.clear();
              translated.putAll(
                  RemoteClusterUtils.translateOffsets(
                      flow.remoteClusterUtilsConfig(),
                      Sandbox.PRIMARY,
                      "acme-billing",
                      Duration.ofSeconds(5)));
              return translated.containsKey(r0)
                  && translated.containsKey(r1)
                  && translated.get(r1).offset() == end1;
            });
    assertThat(translated.get(r0).offset()).isBetween(0L, 100L);
    assertThat(translated.get(r1).offset()).isEqualTo(end1);
  }

  @Test
  void keepsEveryCopyAtLeastAsDurableAsItsSourceAndNeverLowersOne() throws Exception {
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () -> {
                Map<String, String> durable = config(admin, remote("acme.durable"));
                return "false".equals(durable.get("unclean.leader.election.enable"))
                    && "3600000".equals(durable.get("retention.ms"));
              });
      // The source asks for 2 in-sync replicas but the copy has one replica: raising it would stop
      // every acks=all write, MM2's own included, so the guard leaves it at 1 (and warns).
      assertThat(config(admin, remote("acme.durable")).get("min.insync.replicas")).isEqualTo("1");

      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> "7200000".equals(config(admin, remote("acme.lenient")).get("retention.ms")));
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
      assertThat(config(admin, remote("acme.lenient")).get("unclean.leader.election.enable"))
          .as("a stricter copy is never made laxer")
          .isEqualTo("false");
    }
  }

  private static Map<String, String> config(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Map<String, String> out = new HashMap<>();
    admin
        .describeConfigs(List.of(resource))
        .all()
        .get()
        .get(resource)
        .entries()
        .forEach(e -> out.put(e.name(), e.value()));
    return out;
  }

  @Test
  void badTenantConfigFailsConnectValidationNamingTheKey() {
    Map<String, String> bad = new HashMap<>(flow.source());
    bad.put(TenantConfig.TOPICS_INCLUDE, "acme.(");
    bad.put("transforms.provenance.origin.alias", "");

    JsonNode answer = sandbox.connect().validate(TenantMirrorSourceConnector.class.getName(), bad);

    assertThat(answer.path("error_count").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(errors(answer, TenantConfig.TOPICS_INCLUDE))
        .anySatisfy(
            e ->
                assertThat(e)
                    .contains(
                        "kdr.tenant.topics.include[0]: pattern \"acme.(\" is not accepted by RE2"));
    assertThat(errors(answer, "transforms.provenance.origin.alias")).isNotEmpty();
  }

  /**
   * Keys Kafka lets through but from which MirrorMaker 2 would build its own clients (no Connect
   * override policy sees them): a worker refuses a hand-made connector of kafka-dr's classes that
   * carries them, at validation, naming each key; the connector is never created.
   */
  @Test
  void aHandMadeTenantConnectorWithMirrorMakersOwnClientKeysIsRefusedByTheWorker() {
    Map<String, String> bad = new HashMap<>(flow.source());
    bad.put("source.consumer.isolation.level", "read_uncommitted");
    bad.put("consumer.interceptor.classes", "org.example.Spy");
    bad.put("source.cluster.security.protocol", "SASL_PLAINTEXT");
    bad.put("source.cluster.sasl.mechanism", "SCRAM-SHA-512");
    bad.put(
        "source.cluster.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\""
            + " password=\"admin-secret\";");
    String name = "hand-made-" + naming() + ".source";

    assertThatThrownBy(() -> sandbox.connect().putConnector(name, bad))
        .isInstanceOfSatisfying(
            dev.kafkadr.config.connect.ConnectRestException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage())
                  .contains(
                      "source.consumer.isolation.level: not a key kafka-dr's tenant connectors"
                          + " accept",
                      "consumer.interceptor.classes: not a key",
                      "source.cluster.sasl.jaas.config: logs in as \"admin\", not a replication"
                          + " principal of this worker")
                  .doesNotContain("admin-secret");
            });
    assertThat(sandbox.connect().connectors()).doesNotContain(name);
  }

  private static List<String> errors(JsonNode answer, String key) {
    List<String> out = new ArrayList<>();
    for (JsonNode config : answer.path("configs")) {
      if (key.equals(config.path("value").path("name").asText())) {
        config.path("value").path("errors").forEach(e -> out.add(e.asText()));
      }
    }
    return out;
  }

  static String describe(ConsumerRecord<byte[], byte[]> r) {
    List<String> headers = new ArrayList<>();
    for (Header h : r.headers()) {
      headers.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8));
    }
    return new String(r.key(), StandardCharsets.UTF_8)
        + "|"
        + new String(r.value(), StandardCharsets.UTF_8)
        + "|"
        + r.timestamp()
        + "|"
        + String.join(",", headers);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", sandbox.primary().bootstrapServers(), "acks", "all"),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group) {
    return new KafkaConsumer<>(
        Map.of(
            "bootstrap.servers",
            bootstrap,
            "group.id",
            group,
            "auto.offset.reset",
            "earliest",
            "enable.auto.commit",
            "false"),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }
}
