package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.config.TenantsFileParser;
import dev.kafkadr.config.render.RenderFormat;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.process.ChildLogging;
import dev.kafkadr.sandbox.process.ChildProcess;
import dev.kafkadr.sandbox.process.FreePorts;
import dev.kafkadr.sandbox.process.JvmCommand;
import dev.kafkadr.sandbox.process.MirrorMakerMain;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MirrorMaker 2 dedicated-mode properties kafka-dr renders, run by Kafka's own {@code
 * MirrorMaker} in a child JVM with the plugin jars on its classpath (as {@code libs/} would hold
 * them): the tenant's topics replicate with provenance, a neighbour's do not, and the tenant's MM2
 * keeps its Connect state in internal topics of its own. The tenant is exactly-once, so the run
 * also proves the rendered exactly-once settings start (its node's internal REST server on a
 * listener the operator chooses) and write the copy in transactions.
 */
class DedicatedMirrorMakerIT {

  @TempDir Path dir;

  @Test
  void renderedPropertiesReplicateTheTenantAndOnlyTheTenant() throws Exception {
    try (Sandbox sandbox = Sandbox.builder().dns(false).connectWorkers(0).start()) {
      sandbox
          .primary()
          .createTopics(
              new NewTopic("alpha.orders", 2, (short) 1),
              new NewTopic("other.orders", 1, (short) 1));
      try (var producer =
          new KafkaProducer<>(
              Map.<String, Object>of("bootstrap.servers", sandbox.primary().bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>("alpha.orders", "k" + i, "v" + i));
          producer.send(new ProducerRecord<>("other.orders", "k" + i, "v" + i));
        }
      }
      Path tenants = dir.resolve("tenants.yaml");
      Files.writeString(
          tenants,
          String.join(
              "\n",
              sandbox.tenantsFileClusters().stripTrailing(),
              "flows:",
              "  - {source: primary, target: secondary, tenants: [alpha]}",
              "tenants:",
              "  - id: alpha",
              "    topics: {include: [\"alpha\\\\..*\"]}",
              "    groups: {include: [\"alpha-.*\"]}",
              "    rpo: 30s",
              "    rto: 5m",
              "    overrides: {replication.factor: 1, refresh.topics.interval.seconds: 1}",
              "    delivery: exactly-once",
              "    connectCluster: alpha-mm2",
              "connectClusters:",
              // For dedicated mode only the state is rendered: the tenant's MM2 is its own cluster.
              "  - {name: alpha-mm2, url: \"http://127.0.0.1:8083\", exactlyOnceSource: enabled}",
              ""));
      Map<String, String> files = RenderFormat.MM2.render(TenantsFileParser.parse(tenants));
      String rendered = files.get("alpha.mm2.properties");
      assertThat(rendered)
          .contains(
              "secondary.exactly.once.source.support = enabled",
              "dedicated.mode.enable.internal.rest = true");
      Path properties = dir.resolve("alpha.mm2.properties");
      // Each node's REST listener is the operator's to choose (Connect's default is port 8083).
      Files.writeString(
          properties,
          rendered + "listeners = http://127.0.0.1:" + FreePorts.allocate(1, false).get(0) + "\n");

      ChildProcess mm2 = mirrorMaker(properties, sandbox.workDir());
      try {
        mm2.start();
        List<ConsumerRecord<String, String>> copied = readAll(sandbox, "primary.alpha.orders", 10);
        assertThat(copied).hasSize(10);
        assertThat(copied)
            .allSatisfy(r -> assertThat(r.headers().lastHeader("kdr.provenance")).isNotNull());
        try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
          assertThat(sandbox.secondary().endOffsetSum("primary.alpha.orders"))
              .as("copy offsets: the 10 records and a marker per transaction and partition")
              .isGreaterThan(10);
          assertThat(admin.listTopics().names().get())
              .contains("kdr.alpha.mm2-configs.internal", "kdr.alpha.mm2-offsets.internal")
              .doesNotContain("primary.other.orders", "mm2-configs.primary.internal");
        }
      } finally {
        mm2.kill();
      }
    }
  }

  /** Kafka's MirrorMaker with our plugin jars added to the sandbox's child classpath. */
  private static ChildProcess mirrorMaker(Path properties, Path workDir) throws Exception {
    List<String> command =
        new ArrayList<>(
            JvmCommand.of(
                "mm2-alpha",
                "dedicated-mm2-it",
                "256m",
                ChildLogging.write(workDir),
                MirrorMakerMain.class.getName(),
                List.of(),
                List.of(properties.toString(), "--clusters", "secondary")));
    String plugins;
    try (Stream<Path> jars = Files.walk(Path.of(System.getProperty("kdr.plugin.dir")))) {
      plugins =
          jars.filter(p -> p.toString().endsWith(".jar"))
              .map(Path::toString)
              .collect(Collectors.joining(File.pathSeparator));
    }
    int cp = command.indexOf("-cp") + 1;
    command.set(cp, command.get(cp) + File.pathSeparator + plugins);
    return new ChildProcess("mm2-alpha", command, workDir.resolve("logs").resolve("mm2-alpha.log"));
  }

  private static List<ConsumerRecord<String, String>> readAll(
      Sandbox sandbox, String topic, int expected) {
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                "bootstrap.servers",
                sandbox.secondary().bootstrapServers(),
                "group.id",
                "dedicated-it-reader",
                "isolation.level",
                "read_committed",
                "auto.offset.reset",
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> {
                try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
                  return admin.listTopics().names().get().contains(topic);
                }
              });
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
                return out.size() >= expected;
              });
    }
    return out;
  }
}
